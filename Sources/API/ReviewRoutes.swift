import Foundation
import Hummingbird
import Storage
import Workflow

/// Comment threads on a task (`…/tasks/{task_id}/comments`). Writing one is a transition without a state change —
/// the project's lock, the machine's guard, history, event and outbox in one transaction — that leaves the project's
/// version (its `ETag`) as it is. Approval policies and decisions are task actions on the usual route.
struct ReviewRoutes: Sendable {
    let projects: ProjectStore
    let review: ReviewStore
    let routes: Routes

    func register(on group: RouterGroup<BriefdContext>) {
        group.post("/projects/{id}/tasks/{task_id}/comments", use: addComment)
        group.get("/projects/{id}/tasks/{task_id}/comments", use: listComments)
        group.post("/projects/{id}/tasks/{task_id}/comments/{comment_id}/resolve", use: resolveComment)
    }

    /// `{body, round?, parent_id?, internal?}` → 201 with the comment.
    @Sendable func addComment(_ request: Request, context: BriefdContext) async throws -> Response {
        try await write(request, context, action: .comment, status: .created) { body, _ in
            try ActionInput.parse(.comment, body: body)
        }
    }

    /// Resolves a thread → 200 with the comment.
    @Sendable func resolveComment(_ request: Request, context: BriefdContext) async throws -> Response {
        try await write(request, context, action: .resolveComment, status: .ok) { body, context in
            guard try JSONBody.object(body).isEmpty else {
                throw APIError.malformed("resolve takes no body")
            }
            return .resolveComment(try routes.pathID(context, "comment_id"))
        }
    }

    /// The task's comments the caller sees, oldest first, in pages (`limit`, `starting_after`).
    @Sendable func listComments(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let projectID = try routes.pathID(context, "id")
        let taskID = try routes.pathID(context, "task_id")
        let (limit, after) = try routes.pageParameters(request)
        guard let project = try await projects.find(id: projectID, for: p.actor),
            Machine.visibleTasks(project, to: p.actor).contains(where: { $0.id == taskID })
        else { throw APIError.notFound("no such task") }
        let list = try await review.comments(task: taskID, for: p.actor, after: after, limit: limit + 1)
        return try APIResponse.json(
            Views.page(list.prefix(limit).map(Review.json), hasMore: list.count > limit)
        ).response
    }

    /// A comment action through the transition transaction, under the caller's `Idempotency-Key`.
    private func write(
        _ request: Request, _ context: BriefdContext, action: Action, status: HTTPResponse.Status,
        input: @escaping @Sendable ([UInt8], BriefdContext) throws -> ActionInput
    ) async throws -> Response {
        let p = try context.caller()
        let projectID = try routes.pathID(context, "id")
        let taskID = try routes.pathID(context, "task_id")
        let body = try await routes.readBody(request, context)
        let response = try await routes.idempotent(
            request, context, scope: p.idempotencyScope, body: body
        ) { claim in
            let parsed = try input(body, context)
            let render: @Sendable (Decision) throws -> StoredResponse = { decision in
                try Self.commentResponse(decision, status: status).stored
            }
            let decision = try await projects.apply(
                projectID: projectID, action: action, taskID: taskID, input: parsed, actor: p.actor, ifMatch: nil,
                idempotency: claim, respond: render)
            return try Self.commentResponse(decision, status: status).kept(inTransactionOf: claim)
        }
        TransitionMetrics.record(
            action: action.rawValue,
            outcome: response.transitionOutcome(applied: status))
        return response.response
    }

    static func commentResponse(_ decision: Decision, status: HTTPResponse.Status) throws -> APIResponse {
        guard let comment = decision.writes.comment else { throw APIError.notFound("no such comment") }
        return try .json(Review.json(comment), status: status)
    }
}
