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
    /// ``Page`` has none.
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
        return Templates(library: library)
    }

    /// Renders page `name` with `model` as a complete HTML response.
    func page(_ page: Page, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        HTML.response(render(page, model), status: status)
    }

    /// Renders `page` to text (every page is there: ``load()`` checked).
    func render(_ page: Page, _ model: Any) -> String {
        library.render(Self.flatten(model) ?? [String: Any](), withTemplate: page.rawValue) ?? ""
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

/// The frame of every page: who is signed in, the navigation, the session's form token.
struct Chrome {
    struct Link {
        var label: String
        var href: String
        var current: Bool
    }

    var title: String
    var signedIn: Bool
    var organization: String = ""
    var kind: String = ""
    var person: String = ""
    var role: String = ""
    var csrf: String = ""
    var nav: [Link] = []
    /// A viewer key sees no buttons.
    var canAct: Bool = false
    /// A person's unread notifications, in the header.
    var unread: Int = 0
    var hasUnread: Bool = false

    static func signedOut(title: String) -> Chrome { Chrome(title: title, signedIn: false) }

    init(title: String, signedIn: Bool) {
        self.title = title
        self.signedIn = signedIn
    }

    init(_ session: ConsoleSession, title: String, section: String) {
        let p = session.principal
        self.title = title
        signedIn = true
        organization = p.organization.name
        kind = p.organization.kind.rawValue
        person = p.name
        role = p.role.rawValue
        csrf = session.csrfToken
        canAct = p.role != .viewer
        unread = session.unread
        hasUnread = session.unread > 0
        var links = [("Waiting on you", "/console", "inbox"), ("Projects", "/console/projects", "projects")]
        if p.organization.kind == .brand { links.append(("Agencies", "/console/agencies", "agencies")) }
        if p.organization.kind == .agency { links.append(("Scorecard", "/console/agencies", "agencies")) }
        links.append((p.organization.kind == .brand ? "Roster" : "Brands", "/console/roster", "roster"))
        if p.role == .admin { links.append(("Members", "/console/members", "members")) }
        if p.role == .admin { links.append(("Webhooks", "/console/webhooks", "webhooks")) }
        if p.user != nil { links.append(("Notifications", ConsolePaths.notifications, "notifications")) }
        if p.user != nil { links.append(("Profile", ConsolePaths.profile, "profile")) }
        nav = links.map { Link(label: $0.0, href: $0.1, current: $0.2 == section) }
    }
}

/// How the console writes values people read.
enum Format {
    static func date(_ d: Date?, in zone: String) -> String {
        guard let d else { return "" }
        return formatters.format(d, zone: zone, pattern: "d MMM yyyy, HH:mm")
    }

    /// Formatters by time zone and pattern: making a `DateFormatter` costs far more than formatting with one (a
    /// board of 100 cards spent most of its time there), so each is made once and used under a lock.
    static let formatters = FormatterCache()

    final class FormatterCache: Sendable {
        private let cache = Mutex<[String: DateFormatter]>([:])

        func format(_ d: Date, zone: String, pattern: String) -> String {
            cache.withLock { cache in
                let key = zone + "|" + pattern
                if let f = cache[key] { return f.string(from: d) }
                let f = DateFormatter()
                f.locale = Locale(identifier: "en_GB")
                f.timeZone = TimeZone(identifier: zone) ?? .gmt
                f.dateFormat = pattern
                cache[key] = f
                return f.string(from: d)
            }
        }
    }

    /// A deadline: one at midnight is the end of the day before (`due_date` is the end of that day in the brand's
    /// time zone, stored as the next midnight), written as that day.
    static func due(_ d: Date, in zone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? .gmt
        let parts = calendar.dateComponents([.hour, .minute, .second], from: d)
        guard parts.hour == 0, parts.minute == 0, parts.second == 0 else { return date(d, in: zone) }
        return formatters.format(d.addingTimeInterval(-1), zone: zone, pattern: "d MMM yyyy") + ", end of day"
    }

    static func money(_ minor: Int64?, _ currency: String) -> String {
        guard let minor else { return "" }
        return "\(Currency.format(minor: minor, currency)) \(currency)"
    }

    static func number(_ n: Double?, digits: Int = 2) -> String {
        guard let n else { return "–" }
        if n == n.rounded() && abs(n) < 1e15 { return String(Int64(n)) }
        return String(format: "%.\(digits)f", n)
    }

    static func percent(_ n: Double?) -> String {
        guard let n else { return "–" }
        return String(format: "%.0f %%", n * 100)
    }

    /// How long ago, in the largest unit that fits.
    static func age(since d: Date, now: Date) -> String {
        let s = max(0, now.timeIntervalSince(d))
        if s < 3600 { return "\(Int(s / 60)) min" }
        if s < 86_400 { return "\(Int(s / 3600)) h" }
        return "\(Int(s / 86_400)) d"
    }

    static func state(_ raw: String) -> String {
        raw.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "kpi", with: "KPI")
    }

    /// A state as a heading: "KPI review", "Delivery".
    static func stateTitle(_ raw: String) -> String {
        let s = state(raw)
        return s.prefix(1).uppercased() + s.dropFirst()
    }
}
