import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Storage
import Synchronization
import Workflow

/// The console's Mustache templates, one per page (`signin`, `inbox`, `projects`, `project`, …) and partials for
/// the shared parts (`header`, `footer`, `chart`); `{{ }}` escapes HTML, so nothing a user typed becomes markup.
struct Templates: Sendable {
    let library: MustacheLibrary

    /// The pages, each `Templates/<raw value>.mustache`: a page is named by this type, never by a string, and every
    /// one must be installed for the console to start.
    enum Page: String, CaseIterable, Sendable {
        case signin, inbox, projects, project, agencies, webhooks, error, invitation, members, roster, profile
        case notifications
        case newProject = "new_project"
        case passwordReset = "password_reset"
    }

    struct MissingTemplates: Error, CustomStringConvertible {
        var missing: [String] = []
        var description: String {
            missing.isEmpty
                ? "the console's templates are not installed next to the binary"
                : "the console's templates lack \(missing.joined(separator: ", ")) (Sources/Console/Templates)"
        }
    }

    /// Where the templates are installed: the module's resources.
    static var installed: URL? { Bundle.module.url(forResource: "Templates", withExtension: nil) }

    /// Reads every `.mustache` file of the module's `Templates` folder (or of `folder`), and fails when a page of
    /// ``Page`` has none or when the catalogues do not load with the same keys.
    static func load(from folder: URL? = installed) throws -> Templates {
        guard let folder else { throw MissingTemplates() }
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        for file in files where file.pathExtension == "mustache" {
            let text = try String(contentsOf: file, encoding: .utf8)
            try library.register(text, named: file.deletingPathExtension().lastPathComponent)
        }
        let missing = Page.allCases.filter { library.getTemplate(named: $0.rawValue) == nil }
        guard missing.isEmpty else { throw MissingTemplates(missing: missing.map(\.rawValue)) }
        _ = try Catalogue.load()  // the daemon refuses to start on a missing or uneven catalogue
        return Templates(library: library)
    }

    /// Renders page `name` with `model` as a complete HTML response.
    func page(_ page: Page, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        HTML.response(render(page, model), status: status)
    }

    /// Renders `page` to text (every page is there: ``load()`` checked).
    /// The model's `chrome.lang` names the catalogue the template reads as `t`.
    func render(_ page: Page, _ model: Any) -> String {
        var root = Self.flatten(model) as? [String: Any] ?? [:]
        let lang = (root["chrome"] as? [String: Any])?["lang"] as? String
        root["t"] = Catalogue.of(lang.flatMap(Language.init(rawValue:)) ?? .en).tree
        return library.render(root, withTemplate: page.rawValue) ?? ""
    }

    /// The view model as dictionaries and arrays, read once. Mustache finds a name by reflecting every object on
    /// its context stack (`Mirror`, for each `{{name}}`); a dictionary answers at once. Reflecting each value once
    /// made pages 3–4 times faster to render. A nil optional is left out, as Mustache treats a nil value.
    static func flatten(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Double: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { flatten($0.value) }
        case .collection, .set: return mirror.children.compactMap { flatten($0.value) }
        case .struct, .class:
            var object: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label, let v = flatten(child.value) { object[label] = v }
            }
            return object
        default: return value
        }
    }
}

/// The stylesheet and the icon, served from the module's resources with a day of caching.
enum Static {
    static let css = file("console", "css")
    static let icon = file("favicon", "svg")

    static func file(_ name: String, _ ext: String) -> [UInt8] {
        Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Static")
            .flatMap { try? Data(contentsOf: $0) }.map(Array.init) ?? []
    }

    static func stylesheet() -> Response { response(css, type: "text/css; charset=utf-8") }
    static func favicon() -> Response { response(icon, type: "image/svg+xml") }

    static func response(_ bytes: [UInt8], type: String) -> Response {
        var headers = HTML.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The frame of every page: who is signed in, the navigation, the session's form token, the page's language.
struct Chrome {
    struct Link {
        var label: String
        var href: String
        var current: Bool
    }

    var title: String
    var signedIn: Bool
    /// The page's language (`<html lang>`, and which catalogue the templates' `t` is).
    var lang: String
    var organization: String = ""
    var person: String = ""
    /// The organization's kind and the caller's role, in the language's order: "brand manager", "responsable (marque)".
    var kindAndRole: String = ""
    var csrf: String = ""
    var nav: [Link] = []
    /// A viewer key sees no buttons.
    var canAct: Bool = false
    /// A person's unread notifications, in the header.
    var unread: Int = 0
    var hasUnread: Bool = false
    var unreadLabel: String = ""
    /// Signed out: the other languages, each a link to this page in it (`?lang=`).
    var languages: [Link] = []

    /// A signed-out page at `path` in `language`, with links to it in the others.
    static func signedOut(title: String, language: Language, path: String = "/console") -> Chrome {
        var chrome = Chrome(title: title, signedIn: false, lang: language.rawValue)
        chrome.languages = Language.allCases.filter { $0 != language }.map {
            Link(label: $0.name, href: "\(path)?lang=\($0.rawValue)", current: false)
        }
        return chrome
    }

    init(title: String, signedIn: Bool, lang: String) {
        self.title = title
        self.signedIn = signedIn
        self.lang = lang
    }

    init(_ session: ConsoleSession, title: String, section: String) {
        let p = session.principal
        let t = session.t
        self.title = title
        signedIn = true
        lang = t.language.rawValue
        organization = p.organization.name
        person = p.name
        kindAndRole = t.say(
            "nav.kind_and_role",
            ["kind": t.say("kind.\(p.organization.kind.rawValue)"), "role": t.say("role.\(p.role.rawValue)")])
        csrf = session.csrfToken
        canAct = p.role != .viewer
        unread = session.unread
        hasUnread = session.unread > 0
        unreadLabel = t.plural("nav.unread", session.unread)
        var links = [("nav.inbox", "/console", "inbox"), ("nav.projects", "/console/projects", "projects")]
        if p.organization.kind == .brand { links.append(("nav.agencies", "/console/agencies", "agencies")) }
        if p.organization.kind == .agency { links.append(("nav.scorecard", "/console/agencies", "agencies")) }
        links.append((p.organization.kind == .brand ? "nav.roster" : "nav.brands", "/console/roster", "roster"))
        if p.role == .admin { links.append(("nav.members", "/console/members", "members")) }
        if p.role == .admin { links.append(("nav.webhooks", "/console/webhooks", "webhooks")) }
        if p.user != nil { links.append(("nav.notifications", ConsolePaths.notifications, "notifications")) }
        if p.user != nil { links.append(("nav.profile", ConsolePaths.profile, "profile")) }
        nav = links.map { Link(label: t.say($0.0), href: $0.1, current: $0.2 == section) }
    }
}

/// How the console writes values people read, in the catalogue's language.
extension Catalogue {
    func date(_ d: Date?, in zone: String) -> String {
        guard let d else { return "" }
        return Formatters.shared.date(d, zone: zone, pattern: "d MMM yyyy, HH:mm", locale: language.locale)
    }

    /// A deadline: one at midnight is the end of the day before (`due_date` is the end of that day in the brand's
    /// time zone, stored as the next midnight), written as that day: "30 Jun 2031, end of day".
    func due(_ d: Date, in zone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? .gmt
        let parts = calendar.dateComponents([.hour, .minute, .second], from: d)
        guard parts.hour == 0, parts.minute == 0, parts.second == 0 else { return date(d, in: zone) }
        let day = Formatters.shared.date(
            d.addingTimeInterval(-1), zone: zone, pattern: "d MMM yyyy", locale: language.locale)
        return say("format.end_of_day", ["day": day])
    }

    /// A calendar day (a strategy's `due_date`) as "30 Jun 2031", "30 juin 2031".
    func dayText(_ day: DateComponents) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        var noon = day
        noon.hour = 12
        guard let d = calendar.date(from: noon) else { return "" }
        return Formatters.shared.date(d, zone: "UTC", pattern: "d MMM yyyy", locale: language.locale)
    }

    /// An amount as a form shows it for editing: no grouping, the language's decimal mark ("50000.00", "50000,00").
    func editableAmount(_ minor: Int64, _ currency: String) -> String {
        let plain = Currency.format(minor: minor, currency).replacingOccurrences(of: ",", with: "")
        return language == .fr ? plain.replacingOccurrences(of: ".", with: ",") : plain
    }

    /// A number as a form shows it for editing: no grouping, the language's decimal mark.
    func editableNumber(_ n: Double) -> String {
        let plain = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        return language == .fr ? plain.replacingOccurrences(of: ".", with: ",") : plain
    }

    /// An amount in minor units as people write it: "€42,000.00", "42 000,00 €", "¥42,000", with the currency's
    /// own number of decimals.
    func money(_ minor: Int64?, _ currency: String) -> String {
        guard let minor else { return "" }
        return Formatters.shared.money(minor, currency, locale: language.locale)
    }

    /// A KPI's target or actual: whole numbers without decimals, others with at most `digits`.
    func number(_ n: Double?, digits: Int = 2) -> String {
        guard let n, n.isFinite else { return "–" }
        return Formatters.shared.number(n, digits: digits, locale: language.locale)
    }

    /// "129%" in English, "129 %" (a no-break space) in French.
    func percent(_ n: Double?) -> String {
        guard let n, n.isFinite else { return "–" }
        return Formatters.shared.percent(n, locale: language.locale)
    }

    /// How long ago, in the largest unit that fits.
    func age(since d: Date, now: Date) -> String {
        let s = max(0, now.timeIntervalSince(d))
        if s < 3600 { return say("format.minutes", ["n": String(Int(s / 60))]) }
        if s < 86_400 { return say("format.hours", ["n": String(Int(s / 3600))]) }
        return say("format.days", ["n": String(Int(s / 86_400))])
    }

    /// A project's or task's state for people ("KPI review", "revue des KPI"); the API's values never change.
    func state(_ raw: String) -> String { say("state.\(raw)") }

    /// A state as a heading: "KPI review", "Delivery".
    func stateTitle(_ raw: String) -> String {
        let s = state(raw)
        return s.prefix(1).uppercased() + s.dropFirst()
    }

    /// What a person reads on an action's button.
    func action(_ action: Action) -> String { say("action.\(action.rawValue)") }

    /// A typed amount or number as the machine reads it: the language's decimal comma becomes a point, and the
    /// grouping (spaces, no-break spaces, English commas) goes. "42 000,50" in French and "42,000.50" in English
    /// are both "42000.50".
    func decimalInput(_ text: String) -> String {
        var t = text.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" }
        if language == .fr {
            t = t.replacingOccurrences(of: ",", with: ".")
        } else {
            t = t.replacingOccurrences(of: ",", with: "")
        }
        return t
    }
}

/// The formatters of every language, zone and pattern: making a `DateFormatter` or a `NumberFormatter` costs far
/// more than formatting with one (a board of 100 cards spent most of its time there), so each is made once and used
/// under a lock.
final class Formatters: Sendable {
    static let shared = Formatters()
    private let dates = Mutex<[String: DateFormatter]>([:])
    private let numbers = Mutex<[String: NumberFormatter]>([:])

    func date(_ d: Date, zone: String, pattern: String, locale: Locale) -> String {
        dates.withLock { cache in
            let key = locale.identifier + "|" + zone + "|" + pattern
            if let f = cache[key] { return f.string(from: d) }
            let f = DateFormatter()
            f.locale = locale
            f.timeZone = TimeZone(identifier: zone) ?? .gmt
            f.dateFormat = pattern
            cache[key] = f
            return f.string(from: d)
        }
    }

    func money(_ minor: Int64, _ currency: String, locale: Locale) -> String {
        let digits = Currency.minorDigits(currency)
        let major = Decimal(minor) / pow(Decimal(10), digits)
        return format(NSDecimalNumber(decimal: major), "money|\(currency)", locale, fallback: "\(major) \(currency)") {
            $0.numberStyle = .currency
            $0.currencyCode = currency
            $0.minimumFractionDigits = digits
            $0.maximumFractionDigits = digits
        }
    }

    func number(_ n: Double, digits: Int, locale: Locale) -> String {
        format(NSNumber(value: n), "number|\(digits)", locale, fallback: String(n)) {
            $0.numberStyle = .decimal
            $0.minimumFractionDigits = 0
            $0.maximumFractionDigits = digits
        }
    }

    func percent(_ n: Double, locale: Locale) -> String {
        format(NSNumber(value: n), "percent", locale, fallback: String(n)) {
            $0.numberStyle = .percent
            $0.maximumFractionDigits = 0
        }
    }

    /// Formats `value` with the formatter of `kind` in `locale`, made by `setUp` the first time.
    private func format(
        _ value: NSNumber, _ kind: String, _ locale: Locale, fallback: String, _ setUp: (NumberFormatter) -> Void
    ) -> String {
        numbers.withLock { cache in
            let key = kind + "|" + locale.identifier
            if let f = cache[key] { return f.string(from: value) ?? fallback }
            let f = NumberFormatter()
            f.locale = locale
            setUp(f)
            cache[key] = f
            return f.string(from: value) ?? fallback
        }
    }
}
