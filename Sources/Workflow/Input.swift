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
            let (amount, currency) = b.amountAndCurrency()
            return Budget(amountMinor: amount, currency: currency)
        }
        let kpis = KPI.readList(&r, "kpis")
        let due = r.date("due_date", required: false)
        return Strategy(
            objectives: objectives ?? [], audience: audience ?? "", channels: channels ?? [],
            budget: budget ?? Budget(amountMinor: 0, currency: ""), kpis: kpis, dueDate: due)
    }
}

extension FieldReader {
    /// `amount_minor` and an ISO 4217 `currency`, both required: a strategy's budget, a proposal's estimated fee.
    mutating func amountAndCurrency() -> (amountMinor: Int64, currency: String) {
        let amount = minorAmount("amount_minor", required: true)
        let currency = string("currency", max: 3)
        if let c = currency, !Currency.isISO4217(c) {
            fail("currency", "must be an ISO 4217 currency code such as EUR")
        }
        return (amount ?? 0, currency ?? "")
    }
}

extension KPI {
    /// Reads a list of KPIs under `field` (a strategy's `kpis`, a proposal's `expected_kpis`): each with a valid,
    /// unique key, a name, a finite target, a unit and a comparator.
    static func readList(_ r: inout FieldReader, _ field: String, required: Bool = true) -> [KPI] {
        var kpis: [KPI] = []
        if let items = r.array(field, max: Limits.listItems, required: required) {
            var seen = Set<String>()
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item else {
                    r.malformed("\(field)[\(i)] must be an object")
                    continue
                }
                var k = FieldReader(object: o, path: r.qualified("\(field)[\(i)]"))
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
        return kpis
    }

    /// KPI keys are short snake_case identifiers.
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first), key.unicodeScalars.count <= 64 else {
            return false
        }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
