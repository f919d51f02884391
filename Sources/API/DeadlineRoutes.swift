import Foundation
import Hummingbird
import Storage
import Workflow

/// Service levels (`PATCH /v1/organizations/me`) and "waiting on you" (`GET /v1/inbox`).
struct DeadlineRoutes: Sendable {
    let organizations: OrganizationStore
    let projects: ProjectStore
    let routes: Routes

    func register(on group: RouterGroup<BriefdContext>) {
        group.patch("/organizations/me", use: updateServiceLevels)
        group.get("/inbox", use: inbox)
    }

    /// An admin sets its organization's time zone and service levels (ISO 8601 durations, at least 1 second).
    @Sendable func updateServiceLevels(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        var r = try FieldReader(body: try await routes.readBody(request, context))
        var patch = ServiceLevelsPatch()
        if let zone = r.string("timezone", max: 64, required: false) {
            if TimeZone(identifier: zone) == nil {
                r.fail("timezone", "must be an IANA time zone such as Europe/Paris")
            } else {
                patch.timezone = zone
            }
        }
        func duration(_ key: String) -> TimeInterval? {
            guard let text = r.string(key, max: 64, required: false) else { return nil }
            guard let seconds = ISODuration.parse(text) else {
                r.fail(key, "must be an ISO 8601 duration in weeks, days, hours, minutes or seconds (P2D, PT48H)")
                return nil
            }
            guard seconds >= 1, seconds <= 366 * 86_400 else {
                r.fail(key, "must be at least 1 second and at most 366 days")
                return nil
            }
            return seconds
        }
        patch.responseSLA = duration("response_sla")
        patch.reviewSLA = duration("review_sla")
        patch.dueSoon = duration("due_soon")
        patch.escalateAfter = duration("escalate_after")
        try r.finish()
        var organization = p.organization
        organization.serviceLevels = try await organizations.updateServiceLevels(organizationID: organization.id, patch)
        var caller = p
        caller.organization = organization
        return try APIResponse.json(PeopleRoutes.me(caller)).response
    }

    /// What the caller's organization must do next, oldest wait first; `?overdue=true` keeps the late ones.
    @Sendable func inbox(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let limit = try routes.limitParameter(request)
        let overdueOnly = try Self.overdueParameter(request)
        let after = request.uri.queryParameters.get("after").map { String($0) }
        // The first page reads only the oldest waits; `?overdue=true` and pages after a cursor may read thousands.
        guard overdueOnly || after != nil else {
            return try await page(p, limit: limit, overdueOnly: false, after: nil)
        }
        return try await routes.budget.run(p.organization.id) {
            try await page(p, limit: limit, overdueOnly: overdueOnly, after: after)
        }
    }

    /// One page of the inbox.
    func page(_ p: Principal, limit: Int, overdueOnly: Bool, after: String?) async throws -> Response {
        // The oldest items only, read as far as this page needs (`oldestWaiting`); a page after a cursor reads
        // twice as far each time until it has the cursor and a page past it, or everything.
        var want = limit + 1
        var items: [InboxItem] = []
        let now = Date()
        while true {
            let read = try await projects.oldestWaiting(
                for: p.actor, limit: want, now: now, include: { !overdueOnly || $0.overdue })
            let everything = read.items.count < want
            items = read.items
            if let after {
                guard let index = items.firstIndex(where: { Self.cursor($0) == after }) else {
                    if everything {
                        throw APIError.invalid(
                            "after", "is not a cursor of this inbox (the step may be done already): start again")
                    }
                    want *= 2
                    continue
                }
                items = Array(items[(index + 1)...])
            }
            if items.count > limit || everything { break }
            want *= 2
        }
        let page = Array(items.prefix(limit))
        var body: [String: JSONValue] = [
            "data": .array(page.map { Views.inboxItem($0, cursor: Self.cursor($0)) }),
            "has_more": .bool(items.count > limit),
        ]
        body["next_cursor"] = items.count > limit ? page.last.map { .string(Self.cursor($0)) } ?? .null : .null
        return try APIResponse.json(JSONValue.object(body)).response
    }

    /// An item's cursor: when its wait started and what it is.
    static func cursor(_ item: InboxItem) -> String {
        "\(Int64(item.waitingSince.timeIntervalSince1970 * 1000))_\(item.id.lowercased)"
    }

    static func overdueParameter(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters.get("overdue") {
        case nil, "false": return false
        case "true": return true
        default: throw APIError.invalid("overdue", "must be true or false")
        }
    }
}
