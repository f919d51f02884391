import Foundation
import Storage
import Testing

@testable import Console
@testable import Workflow

/// The console's words: the catalogues agree, every key the code and the templates name exists, formats and plurals
/// follow each language, and a French page holds no English sentence.
@Suite("The catalogues")
struct CatalogueTests {
    static let console = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Console")

    static func placeholders(_ entry: Catalogue.Entry) -> Set<String> {
        let texts: [String]
        switch entry {
        case .text(let s): texts = [s]
        case .plural(let one, let other): texts = [one, other]
        }
        return Set(texts.flatMap { $0.matches(of: /\{([a-z_]+)\}/).map { String($0.output.1) } })
    }

    @Test("English and French have the same keys, the same plurals and the same placeholders")
    func sameKeys() throws {
        let all = try Catalogue.load()
        let en = try #require(all[.en])
        let fr = try #require(all[.fr])
        #expect(en.entries.count > 400)
        #expect(Set(en.entries.keys) == Set(fr.entries.keys))
        for (key, english) in en.entries {
            guard let french = fr.entries[key] else { continue }
            switch (english, french) {
            case (.text, .text), (.plural, .plural): break
            default: Issue.record("\(key) is a plural in one language only")
            }
            var wanted = Self.placeholders(english)
            if case .plural = english { wanted.remove("count") }
            var got = Self.placeholders(french)
            if case .plural = french { got.remove("count") }
            #expect(wanted == got, "\(key): \(english) / \(french)")
        }
    }

    @Test("the daemon does not start when a catalogue lacks a key the other has")
    func unevenCatalogues() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalogues-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Self.console.appendingPathComponent("Catalogues")
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("en.json"), to: folder.appendingPathComponent("en.json"))
        var french = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("fr.json")))
                as? [String: Any])
        var nav = try #require(french["nav"] as? [String: Any])
        nav.removeValue(forKey: "inbox")
        french["nav"] = nav
        try JSONSerialization.data(withJSONObject: french).write(to: folder.appendingPathComponent("fr.json"))
        #expect {
            _ = try Catalogue.load(from: folder)
        } throws: { "\($0)".contains("nav.inbox") }
    }

    @Test("every key a template or the code names is in the catalogue")
    func everyKeyExists() throws {
        let en = Catalogue.of(.en)
        let texts = Set(en.entries.compactMap { if case .text = $0.value { $0.key } else { nil } })
        let files = try FileManager.default.contentsOfDirectory(
            at: Self.console.appendingPathComponent("Templates"), includingPropertiesForKeys: nil)
        var named = 0
        for file in files where file.pathExtension == "mustache" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for m in text.matches(of: /\{\{\{?[#^\/]?\s*t\.([A-Za-z0-9_.]+)\s*\}?\}\}/) {
                named += 1
                #expect(texts.contains(String(m.output.1)), "\(file.lastPathComponent) names t.\(m.output.1)")
            }
        }
        #expect(named > 150, "the templates read their words from the catalogue")
        // In Swift: a literal that starts with a catalogue section is a key ("nav.inbox"); one that ends in an
        // interpolation ("state.\(raw)") is a family, checked below by every value it can take.
        let sections = Set(en.entries.keys.map { String($0.prefix { $0 != "." }) })
        let sources = try FileManager.default.contentsOfDirectory(at: Self.console, includingPropertiesForKeys: nil)
        var literals = 0
        for file in sources where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for m in text.matches(of: /"([a-z_]+)((?:\.[a-z0-9_]+)+)"/) where sections.contains(String(m.output.1)) {
                literals += 1
                let key = String(m.output.1) + String(m.output.2)
                #expect(en.entries[key] != nil, "\(file.lastPathComponent) names \(key)")
            }
        }
        #expect(literals > 150)
        var families: [String: [String]] = [
            "state": ProjectState.allCases.map(\.rawValue) + TaskState.allCases.map(\.rawValue),
            "action": Action.allCases.map(\.rawValue), "event": Action.allCases.map(\.rawValue),
            "error.title": Problem.Code.allCases.map(\.rawValue),
            "error.message": Problem.Code.allCases.map(\.rawValue),
            "roster.state": AgencyRelationship.State.allCases.map(\.rawValue), "kind": ["brand", "agency"],
            "role": ["admin", "manager", "viewer"], "comparator": ["gte", "lte"],
        ]
        families["invitation_state"] = ["pending", "accepted", "revoked", "expired"]
        for (family, values) in families {
            for value in values { #expect(en.entries["\(family).\(value)"] != nil, "\(family).\(value)") }
        }
    }

    @Test("plurals by each language's rule: French says one of 0 and 1")
    func plurals() {
        let en = Catalogue.of(.en)
        let fr = Catalogue.of(.fr)
        #expect(en.plural("inbox.steps", 1) == "1 step waiting")
        #expect(en.plural("inbox.steps", 0) == "0 steps waiting")
        #expect(en.plural("inbox.steps", 2) == "2 steps waiting")
        #expect(fr.plural("inbox.steps", 0) == "0 étape en attente")
        #expect(fr.plural("inbox.steps", 1) == "1 étape en attente")
        #expect(fr.plural("inbox.steps", 2) == "2 étapes en attente")
        #expect(fr.plural("webhooks.replayed", 1200) == "1\u{202F}200 envois remis en file.")
        #expect(en.say("no.such.key") == "no.such.key", "a missing key shows as itself, which the tests above refuse")
    }

    @Test("dates, money, numbers and percentages as each language writes them; forms read the decimal comma")
    func formats() {
        let en = Catalogue.of(.en)
        let fr = Catalogue.of(.fr)
        #expect(en.money(4_200_000, "EUR") == "€42,000.00")
        #expect(fr.money(4_200_000, "EUR") == "42\u{202F}000,00\u{00A0}€")
        #expect(fr.money(4_200_000, "JPY") == "4\u{202F}200\u{202F}000\u{00A0}JPY")
        #expect(en.money(4_200_000, "USD") == "US$42,000.00")
        #expect(en.percent(1.29) == "129%")
        #expect(fr.percent(1.29) == "129\u{00A0}%")
        #expect(fr.number(1234.5) == "1\u{202F}234,5")
        #expect(en.number(1234.5) == "1,234.5")
        // The end of 30 June in Paris is stored as the next midnight there.
        let due = Date(timeIntervalSince1970: 1_940_623_200)  // 2031-07-01T00:00:00+02:00
        #expect(fr.due(due, in: "Europe/Paris") == "30 juin 2031, fin de journée")
        #expect(en.due(due, in: "Europe/Paris") == "30 Jun 2031, end of day")
        let moment = Date(timeIntervalSince1970: 1_795_935_360)  // 2026-11-29T06:56:00Z
        #expect(fr.date(moment, in: "Europe/Paris") == "29 nov. 2026, 07:56")
        #expect(fr.decimalInput("42 000,50") == "42000.50")
        #expect(fr.decimalInput("42\u{202F}000,50") == "42000.50")
        #expect(en.decimalInput("42,000.50") == "42000.50")
        #expect(Currency.parseMajor(fr.decimalInput("1 250,5"), "EUR") == 125_050)
        #expect(fr.editableAmount(5_000_000, "EUR") == "50000,00")
        #expect(en.editableAmount(5_000_000, "EUR") == "50000.00")
        #expect(Language.accepted("fr-FR,fr;q=0.9,en;q=0.8") == .fr)
        #expect(Language.accepted("de-DE,en;q=0.5,fr;q=0.4") == .en)
        #expect(Language.accepted("de-DE") == .en)
        #expect(Language.accepted("fr;q=0") == .en)
        #expect(Language.accepted(nil) == .en)
    }

    @Test("comment markup: escaped first, then bold, italics, http(s) links and lists, nothing else")
    func markup() {
        #expect(
            CommentMarkup.html("The **hook** comes *too* late")
                == "<p>The <strong>hook</strong> comes <em>too</em> late</p>")
        #expect(
            CommentMarkup.html("<script>alert(1)</script> **<b>x</b>**")
                == "<p>&lt;script&gt;alert(1)&lt;/script&gt; <strong>&lt;b&gt;x&lt;/b&gt;</strong></p>")
        #expect(
            CommentMarkup.html("[brief](https://x.example/a?b=1&c=2)")
                == "<p><a href=\"https://x.example/a?b=1&amp;c=2\" rel=\"noopener noreferrer nofollow\">brief</a></p>")
        #expect(CommentMarkup.html("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>")
        #expect(!CommentMarkup.html("[x](https://a.example/\"onmouseover=\"alert(1))").contains("\"onmouseover"))
        #expect(
            CommentMarkup.html("- one\n- two\n\n1. first")
                == "<ul><li>one</li><li>two</li></ul>\n<ol><li>first</li></ol>")
        #expect(CommentMarkup.html("snake_case_name and 2*3*4") == "<p>snake_case_name and 2*3*4</p>")
    }

    /// The English catalogue's sentences that French says otherwise, cut at their placeholders: the pieces of two
    /// words or more that no French sentence holds.
    static func englishSentences() -> [String] {
        let en = Catalogue.of(.en)
        let fr = Catalogue.of(.fr)
        func texts(_ e: Catalogue.Entry) -> [String] {
            switch e {
            case .text(let s): [s]
            case .plural(let one, let other): [one, other]
            }
        }
        let french = fr.entries.values.flatMap(texts).joined(separator: "\n")
        var out: Set<String> = []
        for (key, entry) in en.entries where entry != fr.entries[key] {
            for text in texts(entry) {
                for piece in text.split(separator: /\{[a-z_]+\}/) {
                    let p = piece.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
                    if p.split(separator: " ").count >= 2, p.count >= 8, !french.contains(p) { out.insert(p) }
                }
            }
        }
        return out.sorted()
    }

    /// A page's text as a reader sees it: tags gone, entities read.
    static func readable(_ html: String) -> String {
        var s = html.replacing(/<[^>]*>/, with: " ")
        for (entity, c) in [("&#39;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            s = s.replacingOccurrences(of: entity, with: c)
        }
        return s.replacing(/\s+/, with: " ")
    }

    @Test("a French brand manager and a French agency person meet no English sentence on any page")
    func frenchPages() async throws {
        let english = Self.englishSentences()
        #expect(english.count > 200)
        try await withServer { s in
            let brand = try await s.organization("Maison Lumière", "brand")
            let agency = try await s.organization("Atelier Nord", "agency")
            let claire = try await s.person(
                brand, email: "claire@lumiere.example", name: "Claire Martin", role: "admin")
            let hugo = try await s.person(agency, email: "hugo@nord.example", name: "Hugo Petit")
            for person in [claire, hugo] {
                let r = try await s.call(.PATCH, "/v1/me", token: person.token, json: #"{"locale":"fr"}"#)
                try #require(r.status == 200, "\(r.text)")
            }
            let hook = try await s.call(
                .POST, "/v1/webhook-endpoints", token: brand.token, json: #"{"url":"http://127.0.0.1:9/crochet"}"#)
            #expect(hook.status == 201, "\(hook.text)")
            let project = try await s.project(brand, title: "Lancement de printemps")
            let task = try await s.addTask(brand, project, agency: agency, title: "Film de lancement")
            let manager = ConsoleVisitor(server: s, cookie: "briefd_session=\(claire.token)")
            let agent = ConsoleVisitor(server: s, cookie: "briefd_session=\(hugo.token)")
            var seen: [(String, String)] = []
            func visit(_ who: ConsoleVisitor, _ paths: [String]) async throws {
                for path in paths {
                    let r = try await who.get(path)
                    #expect(r.status == 200, "\(path): \(r.status)")
                    #expect(r.text.contains("<html lang=\"fr\""), "\(path)")
                    seen.append((path, Self.readable(r.text)))
                }
            }
            let pages = [
                "/console", "/console/projects", "/console/projects/new", "/console/projects/\(project)",
                "/console/projects/\(project)/strategy", "/console/agencies", "/console/roster", "/console/members",
                "/console/webhooks", "/console/notifications", "/console/profile",
            ]
            try await visit(manager, pages)
            #expect(
                seen.first?.1.contains("Claire Martin · Maison Lumière administrateur (marque)") == true, "the header")
            try await s.act(brand.token, project, "issue_brief")
            try await visit(agent, ["/console", "/console/projects/\(project)", "/console/roster"])
            try await s.act(agency.token, project, "accept", task: task)
            try await s.act(
                agency.token, project, "submit_delivery", task: task,
                json: #"{"summary":"Film livré","links":["https://nord.example/film"]}"#)
            try await visit(manager, ["/console", "/console/projects/\(project)", "/console/notifications"])
            try await s.act(brand.token, project, "approve", task: task)
            try await s.measureAndClose(brand, project)
            try await visit(manager, ["/console/projects/\(project)", "/console/agencies", "/console/projects"])
            try await visit(agent, ["/console/projects/\(project)", "/console/notifications", "/console/profile"])
            // Signed out, the browser's language chooses.
            let stranger = ConsoleVisitor(server: s, cookie: "", language: "fr-FR,fr;q=0.9,en;q=0.5")
            let invitation = try await s.invitation(brand.token, email: "lea@lumiere.example")
            try await visit(
                stranger, ["/console", "/console/password-reset", "/console/invitations/\(invitation)"])
            // The check can fail: the same pages in English hold the sentences it looks for.
            let inEnglish = ConsoleVisitor(server: s, cookie: "", language: "en")
            let signInPage = Self.readable(try await inEnglish.get("/console").text)
            let projectPage = Self.readable(try await s.signIn(brand.token).0.get("/console/projects/\(project)").text)
            #expect(english.filter { signInPage.contains($0) || projectPage.contains($0) }.count >= 10)
            for (path, text) in seen {
                for sentence in english where text.contains(sentence) {
                    Issue.record("\(path) says “\(sentence)” in English")
                }
            }
        }
    }
}
