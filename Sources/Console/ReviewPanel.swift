import API
import Foundation
import Hummingbird
import Storage
import Workflow

extension Console {
    /// One comment of a task's thread, as the project page shows it (the body as text: never rendered as HTML).
    struct CommentView {
        var id: String
        var author: String
        var when: String
        /// The body as the safe subset of Markdown (``CommentMarkup``), escaped.
        var bodyHTML: String
        var isInternal: Bool
        var resolved: String?
        var replies: [CommentView]
        var resolveForm: SmallForm?
        var replyForm: CommentForm?
    }

    /// A form with a button only (resolve a thread).
    struct SmallForm {
        var url: String
        var formKey: String
        var label: String
    }

    /// The form that writes a comment: a new thread, or a reply (`parentID`).
    struct CommentForm {
        var id: String
        var url: String
        var formKey: String
        var parentID: String?
        var label: String
        /// Brand only: the "internal" box (a reply to an internal thread is internal anyway).
        var mayBeInternal: Bool
        var rounds: [Option]
        var hasRounds: Bool
    }

    /// One approver's decision on a round.
    struct DecisionView {
        var who: String
        var decision: String
        var when: String
    }

    /// A task's approval rule, its pending approvers, each round's decisions, its threads and the form for a new
    /// one.
    struct ReviewView {
        var approval: String?
        var pending: String?
        var decisions: [Int: [DecisionView]]
        var threads: [CommentView]
        var hasThreads: Bool
        var commentForm: CommentForm?
    }

    /// What the reviews of a page's tasks read, in two statements for all of them: the comments the reader may see
    /// and the names of the keys they and the approvals name.
    struct ReviewReads {
        var comments: [UUID: [TaskComment]]
        var keyNames: [UUID: (organization: UUID, name: String)]
    }

    /// The comments of `tasks` and the key names their reviews show, for `p`.
    func reviewReads(_ tasks: [TaskRecord], of project: ProjectRecord, for p: Principal) async throws -> ReviewReads {
        let comments = try await reviewStore.comments(tasks: tasks.map(\.id), for: p.actor, limit: 500)
        let keyIDs = tasks.flatMap { t in
            let own = comments[t.id] ?? []
            return t.approval.approvers + t.decisions.map(\.apiKeyID) + own.compactMap(\.authorAPIKeyID)
                + own.compactMap(\.resolvedByAPIKeyID)
        }
        let names = try await organizations.keyNames(
            ids: keyIDs, ofAny: [project.brandID] + tasks.map(\.agencyID))
        return ReviewReads(comments: comments, keyNames: names)
    }

    /// The review of task `t` for the page's reader: threads it may read (an agency never sees internal ones), who
    /// signs off, who has decided each round. Names are the keys' names (a person's key is named for them), of the
    /// brand's keys and of this task's agency's only.
    func review(
        _ task: TaskRecord, of project: ProjectRecord, for p: Principal, names: [UUID: String], reads: ReviewReads,
        zone: String, now: Date, t: Catalogue
    ) -> ReviewView {
        let comments = reads.comments[task.id] ?? []
        var people: [UUID: String] = [:]
        for (id, key) in reads.keyNames where key.organization == project.brandID { people[id] = key.name }
        var agencyPeople: [UUID: String] = [:]
        for (id, key) in reads.keyNames where key.organization == task.agencyID { agencyPeople[id] = key.name }
        func person(_ key: UUID?, _ org: UUID?) -> String {
            let who = key.flatMap { people[$0] ?? agencyPeople[$0] }
            let organization = org.flatMap { names[$0] }
            return [who, organization].compactMap { $0 }.joined(separator: " · ")
        }
        let base = "/console/projects/\(project.id.lowercased)/tasks/\(task.id.lowercased)/comments"
        let canAct = p.actor.role.mayAct && Machine.mayComment(project, task: task.id, for: p.actor)
        let rounds = task.deliveries.map {
            Option(value: String($0.round), label: t.say("review.round", ["n": String($0.round)]), selected: false)
        }
        func form(parent: TaskComment?) -> CommentForm? {
            guard canAct, parent?.isVisible(to: p.actor) ?? true else { return nil }
            let id = "comment-\(task.id.lowercased)-\(parent?.id.lowercased ?? "new")"
            return CommentForm(
                id: id, url: base, formKey: newFormKey(), parentID: parent?.id.lowercased,
                label: t.say(parent == nil ? "review.comment" : "review.reply"),
                mayBeInternal: p.actor.kind == .brand && parent?.isInternal != true,
                rounds: parent == nil ? rounds : [],
                hasRounds: parent == nil && !rounds.isEmpty)
        }
        func view(_ c: TaskComment, replies: [CommentView]) -> CommentView {
            CommentView(
                id: c.id.lowercased, author: person(c.authorAPIKeyID, c.authorOrganizationID),
                when: t.date(c.createdAt, in: zone)
                    + (c.round.map { " · " + t.say("review.about_round", ["n": String($0)]) } ?? ""),
                bodyHTML: CommentMarkup.html(c.body), isInternal: c.isInternal,
                resolved: c.resolvedAt.map {
                    t.say(
                        "review.resolved",
                        ["when": t.date($0, in: zone), "who": person(c.resolvedByAPIKeyID, nil)])
                },
                replies: replies,
                resolveForm: c.parentID == nil && c.resolvedAt == nil && canAct
                    ? SmallForm(
                        url: "\(base)/\(c.id.lowercased)/resolve", formKey: newFormKey(),
                        label: t.action(.resolveComment))
                    : nil,
                replyForm: c.parentID == nil && c.resolvedAt == nil ? form(parent: c) : nil)
        }
        let threads = comments.filter { $0.parentID == nil }.map { thread in
            view(thread, replies: comments.filter { $0.parentID == thread.id }.map { view($0, replies: []) })
        }
        let policy = task.approval
        let revoked = t.say("review.revoked_key")
        let approvers = policy.approvers.map { people[$0] ?? revoked }.joined(separator: ", ")
        return ReviewView(
            approval: policy.approvers.isEmpty
                ? nil : t.say(policy.mode == .all ? "review.every_one_of" : "review.any_one_of", ["who": approvers]),
            pending: task.pendingApprovers.isEmpty
                ? nil : task.pendingApprovers.map { people[$0] ?? revoked }.joined(separator: ", "),
            decisions: Dictionary(grouping: task.decisions, by: \.round).mapValues { list in
                list.map {
                    DecisionView(
                        who: people[$0.apiKeyID] ?? t.say("review.brand_key"),
                        decision: t.say($0.verdict == .approve ? "review.approved" : "review.asked_changes"),
                        when: t.date($0.decidedAt, in: zone))
                }
            },
            threads: threads, hasThreads: !threads.isEmpty, commentForm: form(parent: nil))
    }

    /// `POST …/tasks/{task_id}/comments` and `…/comments/{comment_id}/resolve`: the form becomes the same input an
    /// API call gives, and runs through `ProjectStore.apply` (the transition transaction) under the form's key.
    func comment(
        _ request: Request, _ context: BriefdContext, _ session: ConsoleSession, _ form: Form, resolve: Bool
    ) async throws -> Response {
        let p = session.principal
        let projectID = try pathID(context, "id")
        let taskID = try pathID(context, "task_id")
        let action: Action = resolve ? .resolveComment : .comment
        do {
            let input: ActionInput
            if resolve {
                input = .resolveComment(try pathID(context, "comment_id"))
            } else {
                var body: [String: JSONValue] = ["body": .string(form.text("body") ?? "")]
                if let parent = form.text("parent_id") { body["parent_id"] = .string(parent) }
                if let round = form.text("round") {
                    guard let n = Int(round) else {
                        throw InputError.invalid([
                            FieldError(field: "round", message: session.t.say("review.bad_round"))
                        ])
                    }
                    body["round"] = .number(Double(n))
                }
                if form["internal"] == "on" { body["internal"] = .bool(true) }
                input = try ActionInput.parse(.comment, body: JSONValue.object(body).serialized())
            }
            let page = "/console/projects/\(projectID.lowercased)?done=\(action.rawValue)#task-\(taskID.lowercased)"
            let location = try await once(session, form: form, request: request) { claim in
                _ = try await projects.apply(
                    projectID: projectID, action: action, taskID: taskID, input: input, actor: p.actor, ifMatch: nil,
                    idempotency: claim, respond: { _ in Self.redirect(to: page) })
                return page
            }
            return HTML.seeOther(location)
        } catch let e as InputError {
            return try await projectPage(
                session, id: projectID,
                notice: refusal(action, e, fields: ["body": session.t.say("review.comment")], session.t),
                status: HTTPResponse.Status(code: e.problem.status))
        }
    }
}
