import Foundation

/// The `data` of a transition's event: what its webhook body and `GET /v1/events` carry (docs/webhooks.md). Every
/// recipient gets the same document, so it holds only what every recipient may read: the details an agency may see
/// (`WorkflowDefinition.agencyVisible`), the project's id, title, state and version, and the task's own fields.
public enum EventPayload {
    /// The event data of `transition`, the `sequence`-th of `project` (as the decision leaves it; `before` finds a
    /// task the decision removed), performed by `actor` (nobody for the engine's own transitions).
    public static func data(
        of transition: Transition, sequence: Int, project p: ProjectRecord, before: ProjectRecord?, actor: Actor
    ) -> JSONValue {
        let t = transition
        let byActor = t.side != .system
        let task = t.taskID.flatMap { id in p.tasks.first { $0.id == id } ?? before?.tasks.first { $0.id == id } }
        return .object([
            "project_id": .id(p.id), "task_id": .id(t.taskID), "action": .string(t.action.rawValue),
            "from_state": .optional(t.from?.rawValue), "to_state": .string(t.to.rawValue),
            "sequence": .number(Double(sequence)),
            "actor": .object([
                "kind": .string(byActor ? actor.identityKind : "system"), "id": .id(byActor ? actor.identity : nil),
                "name": .optional(byActor ? actor.name : nil),
                "organization_id": .id(byActor ? actor.organizationID : nil),
                "api_key_id": .id(byActor ? actor.apiKeyID : nil), "side": .string(t.side.rawValue),
            ]),
            "details": .object(WorkflowDefinition.agencyVisible(t.data)),
            "project": .object([
                "id": .id(p.id), "title": .string(p.title), "state": .string(p.state.rawValue),
                "version": .number(Double(p.version)), "brand_id": .id(p.brandID),
            ]),
            "task": task.map {
                .object([
                    "id": .id($0.id), "title": .string($0.title), "state": .string($0.state.rawValue),
                    "agency_id": .id($0.agencyID),
                ])
            } ?? .null,
        ])
    }
}
