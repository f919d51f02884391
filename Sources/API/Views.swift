import Foundation
import Storage
import Workflow

/// JSON views of the API's resources. Built as `JSONValue` so ids are lowercase, absent values are explicit
/// `null`s, and integers print as integers: the shapes the OpenAPI document describes.
enum Views {
    static func date(_ d: Date?) -> JSONValue { d.map { .string(JSONCoding.format($0)) } ?? .null }
    static func int(_ n: Int) -> JSONValue { .number(Double(n)) }
    static func int64(_ n: Int64?) -> JSONValue { n.map { .number(Double($0)) } ?? .null }
    static func double(_ n: Double?) -> JSONValue { n.map(JSONValue.number) ?? .null }
    static func strings(_ s: [String]) -> JSONValue { .array(s.map(JSONValue.string)) }

    static func strategy(_ s: Strategy) -> JSONValue {
        .object([
            "objectives": strings(s.objectives), "audience": .string(s.audience), "channels": strings(s.channels),
            "budget": .object(["amount_minor": int64(s.budget.amountMinor), "currency": .string(s.budget.currency)]),
            "kpis": .array(
                s.kpis.map {
                    .object([
                        "key": .string($0.key), "name": .string($0.name), "target": .number($0.target),
                        "unit": .string($0.unit), "comparator": .string($0.comparator.rawValue),
                    ])
                }),
            "due_date": .optional(s.dueDate),
        ])
    }

    /// A task of `project`; `allowed` is what the caller may do on it now.
    static func task(_ t: TaskRecord, of project: ProjectRecord, allowed: [Action], now: Date) -> JSONValue {
        .object([
            "fee_minor": int64(t.fee?.amountMinor), "currency": .optional(t.fee?.currency),
            "due_at": date(t.dueAt), "waiting_on": .string(Deadlines.waitingOn(t, in: project).rawValue),
            "waiting_since": date(t.stateSince),
            "timeliness": .optional(Deadlines.timeliness(t, levels: project.serviceLevels, now: now)?.rawValue),
            "id": .id(t.id), "agency_id": .id(t.agencyID), "position": int(t.position), "title": .string(t.title),
            "description": .string(t.description), "due_date": .optional(t.dueDate), "state": .string(t.state.rawValue),
            "decline_reason": .optional(t.declineReason), "change_note": .optional(t.changeNote),
            "deliveries": .array(
                t.deliveries.map { d in
                    .object([
                        "round": int(d.round), "summary": .string(d.summary),
                        "links": strings(d.links), "submitted_at": date(d.submittedAt),
                        "decisions": Review.json(t.decisions.filter { $0.round == d.round }),
                    ])
                }),
            "approval": Review.json(t.approval), "pending_approvers": .array(t.pendingApprovers.map { .id($0) }),
            "allowed_actions": strings(allowed.map(\.rawValue)),
            "created_at": date(t.createdAt), "updated_at": date(t.updatedAt),
        ])
    }

    static func kpiResults(_ r: KPIResults) -> JSONValue {
        .object([
            "actuals": .object(r.actuals.mapValues(JSONValue.number)), "spend_minor": int64(r.spendMinor),
            "revenue_minor": int64(r.revenueMinor),
        ])
    }

    static func outcome(_ o: Outcome?) -> JSONValue {
        guard let o else { return .null }
        return .object([
            "kpis": .array(
                o.kpis.map {
                    .object([
                        "key": .string($0.key), "target": .number($0.target), "actual": .number($0.actual),
                        "met": .bool($0.met), "attainment": double($0.attainment),
                    ])
                }),
            "all_met": .bool(o.allMet), "roi": double(o.roi),
        ])
    }

    /// A project as the caller may see it: an agency sees the strategy and its own tasks, not the brand's measured
    /// results.
    static func project(_ p: ProjectRecord, for actor: Actor) -> JSONValue {
        let brand = actor.kind == .brand
        let now = Date()
        let allowed = Machine.allowed(p, for: actor, context: DecisionContext(now: now, serviceLevels: p.serviceLevels))
        return .object([
            "id": .id(p.id), "brand_id": .id(p.brandID), "title": .string(p.title), "state": .string(p.state.rawValue),
            "version": int(p.version), "strategy": strategy(p.strategy),
            "tasks": .array(
                Machine.visibleTasks(p, to: actor).map {
                    task($0, of: p, allowed: allowed.tasks[$0.id] ?? [], now: now)
                }),
            "kpi_results": brand ? kpiResults(p.kpiResults) : .null, "outcome": brand ? outcome(p.outcome) : .null,
            "cancel_reason": .optional(p.cancelReason),
            "allowed_actions": strings(allowed.project.map(\.rawValue)),
            "created_at": date(p.createdAt), "updated_at": date(p.updatedAt),
        ])
    }

    static func organization(_ o: Organization) -> JSONValue {
        let l = o.serviceLevels
        return .object([
            "id": .id(o.id), "name": .string(o.name), "kind": .string(o.kind.rawValue), "created_at": date(o.createdAt),
            "timezone": .string(l.timezone), "response_sla": .string(ISODuration.format(l.responseSLA)),
            "review_sla": .string(ISODuration.format(l.reviewSLA)), "due_soon": .string(ISODuration.format(l.dueSoon)),
            "escalate_after": .string(ISODuration.format(l.escalateAfter)),
        ])
    }

    /// An API key; `token` only in the response that creates it.
    static func apiKey(_ k: APIKey, token: String? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .id(k.id), "name": .string(k.name), "role": .string(k.role.rawValue),
            "created_at": date(k.createdAt), "revoked_at": date(k.revokedAt), "owner_user_id": .id(k.ownerUserID),
        ]
        if let token { o["token"] = .string(token) }
        return .object(o)
    }

    /// An invitation; `acceptURL` only in the answer that creates it (its token is shown once).
    static func invitation(_ i: Invitation, acceptURL: String? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .id(i.id), "email": .string(i.email), "role": .string(i.role.rawValue),
            "organization": .object(["id": .id(i.organizationID), "name": .string(i.organizationName)]),
            "state": .string(i.state()), "created_at": date(i.createdAt), "expires_at": date(i.expiresAt),
            "accepted_at": date(i.acceptedAt), "revoked_at": date(i.revokedAt),
        ]
        if i.brandID != nil { o["agency_name"] = .string(i.organizationName) }
        if let acceptURL { o["accept_url"] = .string(acceptURL) }
        return .object(o)
    }

    /// One "waiting on you" item.
    static func inboxItem(_ item: InboxItem, cursor: String) -> JSONValue {
        .object([
            "cursor": .string(cursor), "project_id": .id(item.projectID), "project_title": .string(item.projectTitle),
            "project_state": .string(item.projectState.rawValue), "task_id": .id(item.task?.id),
            "task_title": .optional(item.task?.title), "task_state": .optional(item.task?.state.rawValue),
            "agency_id": .id(item.task?.agencyID), "due_at": date(item.task?.dueAt),
            "actions": strings(item.actions.map(\.rawValue)), "waiting_since": date(item.waitingSince),
            "overdue": .bool(item.overdue),
        ])
    }

    static func page(_ items: [JSONValue], hasMore: Bool) -> JSONValue {
        .object(["data": .array(items), "has_more": .bool(hasMore)])
    }

    /// A history entry; an agency reads it without the details only the brand reads.
    static func history(_ h: HistoryEntry, forAgency: Bool) -> JSONValue {
        var data = parse(h.data)
        if forAgency, case .object(let details) = data { data = .object(WorkflowDefinition.agencyVisible(details)) }
        return history(h, data: data)
    }

    static func history(_ h: HistoryEntry, data: JSONValue) -> JSONValue {
        .object([
            "sequence": int(h.sequence), "action": .string(h.action), "from_state": .optional(h.fromState),
            "to_state": .string(h.toState),
            "task_id": .id(h.taskID),
            "actor": .object([
                "kind": .string(h.actorUserID != nil ? "user" : h.actorAPIKeyID != nil ? "api_key" : "system"),
                "id": .id(h.actorUserID ?? h.actorAPIKeyID), "name": .optional(h.actorName),
                "organization_id": .id(h.actorOrganizationID), "api_key_id": .id(h.actorAPIKeyID),
                "side": .string(h.actorSide),
            ]),
            "data": data, "occurred_at": date(h.occurredAt),
        ])
    }

    static func event(_ e: EventRecord) -> JSONValue {
        .object([
            "id": .id(e.id), "type": .string(e.type), "timestamp": date(e.occurredAt), "cursor": int64(e.position),
            "data": parse(e.data),
        ])
    }

    static func parse(_ json: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))) ?? .null
    }

    /// `GET /v1/workflow`: the machine's own table.
    static func workflow() -> JSONValue {
        .object([
            "project_states": strings(ProjectState.allCases.map(\.rawValue)),
            "task_states": strings(TaskState.allCases.map(\.rawValue)),
            "terminal_states": strings(ProjectState.allCases.filter(\.isTerminal).map(\.rawValue)),
            "actions": .array(
                WorkflowDefinition.actions.map {
                    .object([
                        "name": .string($0.action.rawValue), "scope": .string($0.scope.rawValue),
                        "who": .string($0.otherSide == nil ? $0.side.rawValue : "either"),
                        "from": strings($0.from.map(\.rawValue)), "to": .optional($0.to?.rawValue),
                        "task_from": strings($0.taskFrom.map(\.rawValue)), "task_to": .optional($0.taskTo?.rawValue),
                        "event_type": .string($0.eventType.rawValue), "guard": .optional($0.guardDescription),
                        "automatic": .bool(!$0.requestable),
                    ])
                }),
        ])
    }
}
