import Foundation

/// One field's validation error, as problem+json `errors` lists it.
public struct FieldError: Sendable, Hashable, Codable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Why a request body was refused before the machine saw it.
public enum InputError: Error, Sendable, Equatable {
    /// Not JSON, not an object, or a field of the wrong type: 400 `malformed_request`.
    case malformed(String)
    /// Well-typed but invalid fields: 422 `validation_failed`.
    case invalid([FieldError])
}

/// Limits on input sizes. Past them a field is a validation error.
///
/// Text is measured in Unicode scalars (code points), the unit PostgreSQL's `length` counts, never in
/// glyphs: a glyph may carry any number of combining marks, so a one-glyph title could be megabytes.
public enum Limits {
    /// Whether `text` fits a limit of `max` Unicode scalars (PostgreSQL's `length(text)`). Stops counting past `max`.
    public static func fits(_ text: some StringProtocol, _ max: Int) -> Bool {
        // utf8.count is O(1) on native strings and is never below the scalar count.
        if text.utf8.count <= max { return true }
        var n = 0
        for _ in text.unicodeScalars {
            n += 1
            if n > max { return false }
        }
        return true
    }

    public static let title = 200
    public static let shortText = 2_000
    public static let longText = 10_000
    public static let listItems = 50
    public static let links = 20
    public static let url = 2_048
    /// Integers must be exactly representable in a JSON double.
    public static let maxInteger: Double = 9_007_199_254_740_991
    /// Absolute bound on targets and actuals.
    public static let maxMagnitude: Double = 1e15
}

/// A new task as `add_task` describes it.
public struct NewTask: Sendable, Hashable {
    public var agencyID: UUID
    public var title: String
    public var description: String
    public var dueDate: String?
    /// `due_at`, when given (it wins over `due_date`).
    public var dueAt: Date?
    /// The fee agreed with the agency, when given.
    public var fee: Money?
    /// Who signs off its deliveries, when given (else any brand manager, one decision).
    public var approval: ApprovalPolicy?
}

/// An amount in minor units of a currency.
public struct Money: Sendable, Hashable, Codable {
    public var amountMinor: Int64
    public var currency: String
    public init(amountMinor: Int64, currency: String) {
        self.amountMinor = amountMinor
        self.currency = currency
    }
}

/// The validated input of an action, typed by action.
public enum ActionInput: Sendable, Hashable {
    case none
    case create(title: String, strategy: Strategy)
    case strategy(Strategy)
    case addTask(NewTask)
    case removeTask(UUID)
    case reason(String)
    case agency(UUID)
    case delivery(summary: String, links: [String])
    case note(String)
    case kpiResults(KPIResults)
    /// `set_due_date`: `due_at` (RFC 3339) or `due_date` (YYYY-MM-DD).
    case deadline(at: Date?, date: String?)
    /// `comment`: a new comment.
    case comment(NewComment)
    /// `resolve_comment`: the thread to resolve.
    case resolveComment(UUID)
    /// `set_approval`: the task's new approval policy.
    case approval(ApprovalPolicy)

    /// Parses and validates the body of `action`. An empty body counts as `{}`.
    public static func parse(_ action: Action, body: [UInt8]) throws(InputError) -> ActionInput {
        let object = try JSONBody.object(body)
        var r = FieldReader(object: object, path: "")
        let input: ActionInput
        switch action {
        case .create:
            let title = r.string("title", max: Limits.title)
            let strategy = r.nested("strategy") { Strategy.read(&$0) }
            input = .create(title: title ?? "", strategy: strategy ?? .placeholder)
        case .updateStrategy:
            input = .strategy(r.nested("strategy") { Strategy.read(&$0) } ?? .placeholder)
        case .addTask:
            let agency = r.uuid("agency_id")
            let title = r.string("title", max: Limits.title)
            let description = r.string("description", max: Limits.longText, allowEmpty: true)
            let due = r.date("due_date", required: false)
            let dueAt = r.timestamp("due_at", required: false)
            let fee = r.minorAmount("fee_minor", required: false)
            let currency = r.string("currency", max: 3, required: false)
            if let c = currency, !Currency.isISO4217(c) {
                r.fail("currency", "must be an ISO 4217 currency code such as EUR")
            }
            if (fee == nil) != (currency == nil) && r.errors.isEmpty {
                r.fail(fee == nil ? "fee_minor" : "currency", "fee_minor and currency go together")
            }
            let approval = r.has("approval") ? r.nested("approval") { ApprovalPolicy.read(&$0) } : nil
            input = .addTask(
                NewTask(
                    agencyID: agency ?? UUID(), title: title ?? "", description: description ?? "", dueDate: due,
                    dueAt: dueAt,
                    fee: fee.flatMap { amount in currency.map { Money(amountMinor: amount, currency: $0) } },
                    approval: approval))
        case .removeTask:
            input = .removeTask(r.uuid("task_id") ?? UUID())
        case .decline, .cancel:
            input = .reason(r.string("reason", max: Limits.shortText) ?? "")
        case .reassign:
            input = .agency(r.uuid("agency_id") ?? UUID())
        case .submitDelivery:
            let summary = r.string("summary", max: Limits.longText)
            let links = r.stringArray("links", max: Limits.links, itemMax: Limits.url, minCount: 1)
            for (i, link) in (links ?? []).enumerated() where !URLCheck.isWebURL(link) {
                r.fail("links[\(i)]", "must be an absolute http or https URL")
            }
            input = .delivery(summary: summary ?? "", links: links ?? [])
        case .requestChanges:
            input = .note(r.string("note", max: Limits.shortText) ?? "")
        case .recordKPIResults:
            var actuals: [String: Double] = [:]
            if let results = r.object("results") {
                if results.isEmpty { r.fail("results", "must name at least one KPI") }
                if results.count > Limits.listItems { r.fail("results", "at most \(Limits.listItems) entries") }
                for (key, value) in results {
                    guard case .number(let n) = value else {
                        r.malformed("results.\(key) must be a number")
                        continue
                    }
                    if !n.isFinite || abs(n) > Limits.maxMagnitude {
                        r.fail("results.\(key)", "must be a finite number within ±1e15")
                    }
                    actuals[key] = n
                }
            }
            let spend = r.minorAmount("spend_minor", required: false)
            let revenue = r.minorAmount("revenue_minor", required: false)
            input = .kpiResults(KPIResults(actuals: actuals, spendMinor: spend, revenueMinor: revenue))
        case .setDueDate:
            let date = r.date("due_date", required: false)
            let at = r.timestamp("due_at", required: false)
            if date == nil && at == nil && r.errors.isEmpty {
                r.fail("due_at", "give due_at (RFC 3339) or due_date (YYYY-MM-DD)")
            }
            input = .deadline(at: at, date: date)
        case .comment:
            let body = r.string("body", max: Review.commentBytes)
            if let body, body.utf8.count > Review.commentBytes {
                r.fail("body", "must be at most \(Review.commentBytes) bytes (UTF-8)")
            }
            let round = r.has("round") ? r.positiveInteger("round") : nil
            let parent = r.has("parent_id") ? r.uuid("parent_id") : nil
            let isInternal = r.bool("internal") ?? false
            input = .comment(NewComment(body: body ?? "", round: round, parentID: parent, isInternal: isInternal))
        case .resolveComment:
            input = .resolveComment(r.uuid("comment_id") ?? UUID())
        case .setApproval:
            input = .approval(r.nested("approval") { ApprovalPolicy.read(&$0) } ?? .standard)
        case .issueBrief, .withdrawBrief, .accept, .approve, .startKPIReview, .close, .startDelivery, .remind,
            .responseOverdue, .dueSoon, .overdue, .escalate, .reviewOverdue, .recordDecision:
            input = .none
        }
        try r.finish()
        return input
    }
}

extension ApprovalPolicy {
    /// `{mode: any | all, approvers: [api_key_id…]}`; `approvers` may be left out with `any`.
    static func read(_ r: inout FieldReader) -> ApprovalPolicy {
        let mode = r.enumValue("mode", ApprovalMode.self)
        var approvers: [UUID] = []
        if r.has("approvers"), let items = r.stringArray("approvers", max: Limits.listItems, itemMax: 36, minCount: 0) {
            for (i, item) in items.enumerated() {
                guard let id = UUID(uuidString: item) else {
                    r.fail("approvers[\(i)]", "must be an API key id (a UUID)")
                    continue
                }
                if approvers.contains(id) { r.fail("approvers[\(i)]", "is listed twice") }
                approvers.append(id)
            }
        }
        if mode == .all && approvers.isEmpty && r.errors.isEmpty {
            r.fail("approvers", "mode all needs at least one approver")
        }
        return ApprovalPolicy(mode: mode ?? .any, approvers: approvers)
    }
}

extension Strategy {
    /// Used only to fill a slot when validation already failed.
    static let placeholder = Strategy(
        objectives: [], audience: "", channels: [], budget: Budget(amountMinor: 0, currency: "USD"), kpis: [])

    static func read(_ r: inout FieldReader) -> Strategy {
        let objectives = r.stringArray("objectives", max: Limits.listItems, itemMax: Limits.shortText, minCount: 0)
        let audience = r.string("audience", max: Limits.shortText, allowEmpty: true)
        let channels = r.stringArray("channels", max: Limits.listItems, itemMax: Limits.title, minCount: 0)
        let budget = r.nested("budget") { b -> Budget in
            let amount = b.minorAmount("amount_minor", required: true)
            let currency = b.string("currency", max: 3)
            if let c = currency, !Currency.isISO4217(c) {
                b.fail("currency", "must be an ISO 4217 currency code such as EUR")
            }
            return Budget(amountMinor: amount ?? 0, currency: currency ?? "")
        }
        var kpis: [KPI] = []
        if let items = r.array("kpis", max: Limits.listItems) {
            var seen = Set<String>()
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item else {
                    r.malformed("kpis[\(i)] must be an object")
                    continue
                }
                var k = FieldReader(object: o, path: r.qualified("kpis[\(i)]"))
                let key = k.string("key", max: 64)
                if let key, !KPI.isValidKey(key) { k.fail("key", "must match ^[a-z][a-z0-9_]{0,63}$") }
                if let key, !seen.insert(key).inserted { k.fail("key", "duplicate KPI key") }
                let name = k.string("name", max: Limits.title)
                let target = k.number("target")
                let unit = k.string("unit", max: 32, allowEmpty: true)
                let comparator = k.enumValue("comparator", Comparator.self)
                r.absorb(&k)
                kpis.append(
                    KPI(
                        key: key ?? "", name: name ?? "", target: target ?? 0, unit: unit ?? "",
                        comparator: comparator ?? .gte))
            }
        }
        let due = r.date("due_date", required: false)
        return Strategy(
            objectives: objectives ?? [], audience: audience ?? "", channels: channels ?? [],
            budget: budget ?? Budget(amountMinor: 0, currency: ""), kpis: kpis, dueDate: due)
    }
}

extension KPI {
    /// KPI keys are short snake_case identifiers.
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first), key.unicodeScalars.count <= 64 else {
            return false
        }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// Parses request bodies into JSON objects with the errors the API promises.
public enum JSONBody {
    /// Parses `body` as a JSON object; an empty body is `{}`.
    public static func object(_ body: [UInt8]) throws(InputError) -> [String: JSONValue] {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        do { try StrictJSON.validate(body) } catch {
            throw .malformed("the body is not valid JSON (RFC 8259): \(error.message) at byte \(error.offset)")
        }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: Data(body)) } catch {
            throw .malformed("the body is not valid JSON")
        }
        guard case .object(let object) = value else { throw .malformed("the body must be a JSON object") }
        return object
    }
}

/// Reads typed fields from a JSON object, collecting every validation error (422 `validation_failed` lists them all)
/// and keeping the first type error (400 `malformed_request`). The one reader of request bodies: action inputs and
/// the bodies of every other route alike.
public struct FieldReader {
    let object: [String: JSONValue]
    let path: String
    private(set) var seen: Set<String> = []
    private(set) var errors: [FieldError] = []
    private(set) var typeError: String?

    init(object: [String: JSONValue], path: String) {
        self.object = object
        self.path = path
    }

    /// A reader of a request body, which must be a JSON object (an empty body is `{}`).
    public init(body: [UInt8]) throws(InputError) {
        self.init(object: try JSONBody.object(body), path: "")
    }

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    /// Records a validation error of `key` (a rule of the caller's, beyond the field's type and size).
    public mutating func fail(_ key: String, _ message: String) {
        errors.append(FieldError(field: qualified(key), message: message))
    }
    mutating func malformed(_ message: String) {
        if typeError == nil { typeError = path.isEmpty ? message : "\(path).\(message)" }
    }

    mutating func absorb(_ other: inout FieldReader) {
        other.rejectUnknown()
        errors += other.errors
        if typeError == nil { typeError = other.typeError }
    }

    private mutating func value(_ key: String, required: Bool) -> JSONValue? {
        seen.insert(key)
        guard let v = object[key], v != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        return v
    }

    public mutating func string(_ key: String, max: Int, allowEmpty: Bool = false, required: Bool = true) -> String? {
        guard let v = value(key, required: required) else { return nil }
        guard case .string(let s) = v else {
            malformed("\(key) must be a string")
            return nil
        }
        let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.unicodeScalars.contains(where: { $0.value == 0 }) {
            fail(key, "must not contain NUL characters")
            return nil
        }
        if !allowEmpty && trimmed.isEmpty { fail(key, "must not be empty") }
        if !Limits.fits(s, max) { fail(key, "must be at most \(max) characters") }
        return s
    }

    /// Whether the object has `key` with a value other than null.
    mutating func has(_ key: String) -> Bool {
        seen.insert(key)
        return object[key].map { $0 != .null } ?? false
    }

    /// An optional boolean.
    public mutating func bool(_ key: String) -> Bool? {
        guard let v = value(key, required: false) else { return nil }
        guard case .bool(let b) = v else {
            malformed("\(key) must be true or false")
            return nil
        }
        return b
    }

    mutating func positiveInteger(_ key: String) -> Int? {
        guard let v = value(key, required: true) else { return nil }
        guard case .number(let n) = v, n.isFinite, n.rounded() == n else {
            malformed("\(key) must be an integer")
            return nil
        }
        guard n >= 1, n <= 1_000_000 else {
            fail(key, "must be a positive integer")
            return nil
        }
        return Int(n)
    }

    mutating func array(_ key: String, max: Int, required: Bool = true) -> [JSONValue]? {
        guard let v = value(key, required: required) else { return nil }
        guard case .array(let a) = v else {
            malformed("\(key) must be an array")
            return nil
        }
        if a.count > max {
            fail(key, "must have at most \(max) items")
            return nil
        }
        return a
    }

    public mutating func stringArray(
        _ key: String, max: Int, itemMax: Int, minCount: Int, required: Bool = true
    ) -> [String]? {
        guard let items = array(key, max: max, required: required) else { return nil }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                malformed("\(key)[\(i)] must be a string")
                return nil
            }
            if s.unicodeScalars.contains(where: { $0.value == 0 }) {
                fail("\(key)[\(i)]", "must not contain NUL characters")
            }
            if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { fail("\(key)[\(i)]", "must not be empty") }
            if !Limits.fits(s, itemMax) { fail("\(key)[\(i)]", "must be at most \(itemMax) characters") }
            out.append(s)
        }
        if out.count < minCount { fail(key, "must have at least \(minCount) item\(minCount == 1 ? "" : "s")") }
        return out
    }

    mutating func object(_ key: String) -> [String: JSONValue]? {
        guard let v = value(key, required: true) else { return nil }
        guard case .object(let o) = v else {
            malformed("\(key) must be an object")
            return nil
        }
        return o
    }

    mutating func nested<T>(_ key: String, _ read: (inout FieldReader) -> T) -> T? {
        guard let o = object(key) else { return nil }
        var inner = FieldReader(object: o, path: qualified(key))
        let result = read(&inner)
        absorb(&inner)
        return result
    }

    mutating func number(_ key: String) -> Double? {
        guard let v = value(key, required: true) else { return nil }
        guard case .number(let n) = v else {
            malformed("\(key) must be a number")
            return nil
        }
        if !n.isFinite || abs(n) > Limits.maxMagnitude {
            fail(key, "must be a finite number within ±1e15")
            return nil
        }
        return n
    }

    mutating func minorAmount(_ key: String, required: Bool) -> Int64? {
        guard let v = value(key, required: required) else { return nil }
        guard case .number(let n) = v else {
            malformed("\(key) must be an integer")
            return nil
        }
        guard n.isFinite, n.rounded() == n else {
            malformed("\(key) must be an integer")
            return nil
        }
        guard n >= 0, n <= Limits.maxInteger else {
            fail(key, "must be between 0 and 9007199254740991")
            return nil
        }
        return Int64(n)
    }

    mutating func uuid(_ key: String) -> UUID? {
        guard let s = string(key, max: 36) else { return nil }
        guard let id = UUID(uuidString: s) else {
            fail(key, "must be a UUID")
            return nil
        }
        return id
    }

    mutating func date(_ key: String, required: Bool) -> String? {
        guard let s = string(key, max: 10, required: required) else { return nil }
        if !CalendarDate.isValid(s) { fail(key, "must be a date written YYYY-MM-DD") }
        return s
    }

    /// An RFC 3339 timestamp with a time zone (`2026-12-01T17:00:00Z`, `…+01:00`, fractions allowed).
    public mutating func timestamp(_ key: String, required: Bool) -> Date? {
        guard let s = string(key, max: 40, required: required) else { return nil }
        guard let date = JSONCoding.parse(s) else {
            fail(key, "must be an RFC 3339 timestamp such as 2026-12-01T17:00:00Z")
            return nil
        }
        return date
    }

    public mutating func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) -> E?
    where E.RawValue == String {
        guard let s = string(key, max: 32) else { return nil }
        guard let e = E(rawValue: s) else {
            fail(key, "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return e
    }

    mutating func rejectUnknown() {
        for key in object.keys.sorted() where !seen.contains(key) { fail(key, "is not a known field") }
        seen.formUnion(object.keys)
    }

    /// Ends the reading: an unknown field is an error, and the errors found are thrown, the type error first.
    public mutating func finish() throws(InputError) {
        rejectUnknown()
        if let typeError { throw .malformed(typeError) }
        if !errors.isEmpty { throw .invalid(errors) }
    }

    /// ``finish()``, then the required values read, each present once no error was found.
    public mutating func finish<each T>(_ values: repeat (each T)?) throws(InputError) -> (repeat each T) {
        try finish()
        return (repeat try Self.present(each values))
    }

    /// A required value that was not read is an error ``finish()`` has already thrown.
    static func present<T>(_ value: T?) throws(InputError) -> T {
        guard let value else { throw .malformed("a required field is missing") }
        return value
    }
}

/// Calendar dates written YYYY-MM-DD.
public enum CalendarDate {
    public static func isValid(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard s.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), y >= 1900,
            y <= 9999
        else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d)
    }
}

/// Absolute web URLs, as delivery links and webhook endpoints need.
public enum URLCheck {
    public static func isWebURL(_ s: String) -> Bool {
        guard s.utf8.count <= Limits.url, !s.contains(where: { $0.isWhitespace }),
            let c = URLComponents(string: s), let scheme = c.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = c.host, !host.isEmpty
        else { return false }
        return true
    }
}

/// ISO 4217 active currency codes.
public enum Currency {
    static let codes: Set<String> = Set(
        """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY \
        COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR \
        IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR \
        MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD \
        SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD \
        XCG XOF XPF YER ZAR ZMW ZWG
        """.split(separator: " ").map(String.init))

    /// Whether `code` is an active ISO 4217 currency code (upper case).
    public static func isISO4217(_ code: String) -> Bool { codes.contains(code) }

    static let noMinorUnit: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    static let threeMinorDigits: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    /// How many digits the minor unit of `code` has (ISO 4217's exponent): 2 for most, 0 for JPY, 3 for KWD.
    /// People write amounts in major units ("1,250.50 EUR"); the API speaks minor units (`125050`).
    public static func minorDigits(_ code: String) -> Int {
        noMinorUnit.contains(code) ? 0 : threeMinorDigits.contains(code) ? 3 : 2
    }

    /// An amount in minor units written in major units: `125050` EUR is "1,250.50".
    public static func format(minor: Int64, _ code: String) -> String {
        let digits = minorDigits(code)
        let scale = Int64([1, 10, 100, 1000][digits])
        let sign = minor < 0 ? "-" : ""
        let whole = abs(minor) / scale
        var groups: [String] = []
        var rest = whole
        repeat {
            let part = rest % 1000
            rest /= 1000
            groups.insert(rest > 0 ? String(format: "%03lld", part) : String(part), at: 0)
        } while rest > 0
        let fraction = digits == 0 ? "" : "." + String(format: "%0\(digits)lld", abs(minor) % scale)
        return sign + groups.joined(separator: ",") + fraction
    }

    /// An amount written in major units ("1250.50", "1,250.5", "1250") in minor units, or nil when it is not a
    /// plain non-negative decimal with at most the currency's digits after the point.
    public static func parseMajor(_ text: String, _ code: String) -> Int64? {
        let t = text.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        let digits = minorDigits(code)
        guard (1...2).contains(parts.count), let wholeText = parts.first, !wholeText.isEmpty,
            wholeText.count <= 15, wholeText.allSatisfy(\.isASCII), let whole = Int64(wholeText), whole >= 0
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard !f.isEmpty, f.count <= digits, f.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            fraction = Int64(f.padding(toLength: digits, withPad: "0", startingAt: 0)) ?? 0
        }
        let scale = Int64([1, 10, 100, 1000][digits])
        return whole * scale + fraction
    }
}
