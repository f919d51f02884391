import Foundation
import Hummingbird
import Storage
import Workflow

/// A language of the console. A person's `locale` names one; a signed-out visitor's is chosen by `?lang=` (kept in
/// a cookie), else by the browser's `Accept-Language`, else English.
enum Language: String, CaseIterable, Sendable {
    case en, fr

    /// The formats' locale: British English writes "30 Jun 2031" and "€42,000.00"; French "30 juin 2031" and
    /// "42 000,00 €".
    var locale: Locale { Locale(identifier: self == .en ? "en_GB" : "fr_FR") }

    /// The name of the language in itself, for the switch on signed-out pages.
    var name: String { self == .en ? "English" : "Français" }

    /// The cookie that keeps a signed-out visitor's choice.
    static let cookie = "briefd_lang"

    /// The language of a request without a person: `?lang=`, the cookie, `Accept-Language` by its weights.
    static func of(_ request: Request) -> Language {
        if let q = request.uri.queryParameters.get("lang"), let l = Language(rawValue: String(q)) { return l }
        if let c = request.cookies[cookie]?.value, let l = Language(rawValue: c) { return l }
        return accepted(request.headers[.acceptLanguage])
    }

    /// The best of English and French for an `Accept-Language` header (`fr-FR,fr;q=0.9,en;q=0.8`), English when
    /// it names neither.
    static func accepted(_ header: String?) -> Language {
        guard let header else { return .en }
        var best: (Language, Double)?
        for part in header.split(separator: ",").prefix(20) {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(),
                let language = Language(rawValue: String(tag.prefix(while: { $0 != "-" && $0 != "_" })))
            else { continue }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if q > 0, q > (best?.1 ?? 0) { best = (language, q) }
        }
        return best?.0 ?? .en
    }
}

/// The words of one language: every sentence a page shows, by key (`Resources/Catalogues/<language>.json`). A leaf
/// is a string, or a plural (`one`, `other`) chosen by the language's rule. `{name}` marks where a value goes.
/// Templates read the same tree as `{{t.section.key}}`.
final class Catalogue: @unchecked Sendable {
    let language: Language
    /// Flat keys (`nav.inbox`) to their entries.
    let entries: [String: Entry]
    /// The nested tree the templates see as `t` (only the strings; a plural is for Swift).
    let tree: [String: Any]

    enum Entry: Equatable {
        case text(String)
        case plural(one: String, other: String)
    }

    struct Broken: Error, CustomStringConvertible {
        var description: String
    }

    init(language: Language, json: Data) throws {
        self.language = language
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw Broken(description: "the \(language.rawValue) catalogue is not a JSON object")
        }
        var entries: [String: Entry] = [:]
        func walk(_ node: [String: Any], _ prefix: String) throws {
            for (key, value) in node {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if let s = value as? String {
                    entries[path] = .text(s)
                } else if let o = value as? [String: Any], Set(o.keys) == ["one", "other"],
                    let one = o["one"] as? String, let other = o["other"] as? String
                {
                    entries[path] = .plural(one: one, other: other)
                } else if let o = value as? [String: Any] {
                    try walk(o, path)
                } else {
                    throw Broken(description: "the \(language.rawValue) catalogue's \(path) is neither text nor plural")
                }
            }
        }
        try walk(root, "")
        self.entries = entries
        func strings(_ node: [String: Any]) -> [String: Any] {
            var out: [String: Any] = [:]
            for (key, value) in node {
                if let s = value as? String {
                    out[key] = s
                } else if let o = value as? [String: Any], Set(o.keys) != ["one", "other"] {
                    out[key] = strings(o)
                }
            }
            return out
        }
        var tree = strings(root)
        tree["lang"] = language.rawValue
        self.tree = tree
    }

    /// The sentence at `key`, with each `{name}` replaced by its value. A missing key shows as itself (the tests
    /// fail on one).
    func say(_ key: String, _ values: [String: String] = [:]) -> String {
        switch entries[key] {
        case .text(let s): return Self.fill(s, values)
        case .plural(_, let other): return Self.fill(other, values)
        case nil: return key
        }
    }

    /// The plural at `key` for `count` (`{count}` is the number, written in the language's way), by the
    /// language's rule: English says "one" of 1 only, French of 0 and 1.
    func plural(_ key: String, _ count: Int, _ values: [String: String] = [:]) -> String {
        var values = values
        values["count"] = number(Double(count))
        guard case .plural(let one, let other) = entries[key] else { return say(key, values) }
        let isOne = language == .fr ? (count == 0 || count == 1) : count == 1
        return Self.fill(isOne ? one : other, values)
    }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        guard template.contains("{") else { return template }
        var out = template
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    /// Every language's catalogue, read once from the module's resources.
    static let all: [Language: Catalogue] = (try? load()) ?? [:]

    /// The catalogue of `language` (English if the resources were missing, which ``load()`` refuses at start).
    static func of(_ language: Language) -> Catalogue {
        all[language] ?? all[.en] ?? (try! Catalogue(language: .en, json: Data("{}".utf8)))
    }

    /// Reads every catalogue and fails when one is missing, does not parse, or has keys the others lack.
    static func load(from folder: URL? = Bundle.module.url(forResource: "Catalogues", withExtension: nil)) throws
        -> [Language: Catalogue]
    {
        guard let folder else { throw Broken(description: "the console's catalogues are not installed") }
        var out: [Language: Catalogue] = [:]
        for language in Language.allCases {
            let data = try Data(contentsOf: folder.appendingPathComponent("\(language.rawValue).json"))
            out[language] = try Catalogue(language: language, json: data)
        }
        let keys = Set(out[.en]?.entries.keys.map { $0 } ?? [])
        for (language, catalogue) in out where Set(catalogue.entries.keys) != keys {
            let missing = keys.symmetricDifference(catalogue.entries.keys).sorted().prefix(5)
            throw Broken(
                description: "the \(language.rawValue) catalogue's keys differ from English's: "
                    + missing.joined(separator: ", "))
        }
        return out
    }
}

extension ConsoleSession {
    /// The words of the session's language: the person's `locale`, else (a service account) the request's.
    var t: Catalogue { Catalogue.of(Language(rawValue: locale) ?? .en) }
}
