import Foundation
import Hummingbird
import Storage
import Workflow

extension Console {
    /// The oldest waits the home page lists at first; "Show more" adds as many again, up to `inboxMost`
    /// (`GET /v1/inbox` pages through them all).
    static let inboxShown = 25
    static let inboxMost = 500

    /// One row of "Waiting on you".
    struct InboxRow {
        var href: String
        var project: String
        var projectState: String
        var task: String?
        var taskState: String?
        var agency: String?
        var actions: String
        var waiting: String
        var overdue: Bool
        var due: String?
    }

    /// `GET /console` signed in: what the caller's organization must do next, oldest wait first, overdue marked.
    func inbox(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        struct View {
            var chrome: Chrome
            var rows: [InboxRow]
            var empty: Bool
            var summary: String
            /// Mustache treats any number as true: sections need a Bool.
            var hasOverdue: Bool
            var overdueText: String
            /// "Show more", when more items wait than are listed.
            var more: String?
        }
        let p = session.principal
        let now = Date()
        let shown = min(
            max(Int(request.uri.queryParameters.get("show") ?? "") ?? Self.inboxShown, Self.inboxShown), Self.inboxMost)
        let waiting = try await projects.oldestWaiting(for: p.actor, limit: shown + 1, now: now)
        let items = waiting.items
        let names = try await organizations.names(ids: items.compactMap { $0.task?.agencyID })
        let zone = p.organization.serviceLevels.timezone
        let t = session.t
        let rows = items.prefix(shown).map { item in
            InboxRow(
                href: ConsolePaths.project(item.projectID, task: item.task?.id),
                project: item.projectTitle, projectState: t.state(item.projectState.rawValue),
                task: item.task?.title, taskState: item.task.map { t.state($0.state.rawValue) },
                agency: p.organization.kind == .brand ? item.task.flatMap { names[$0.agencyID] } : nil,
                actions: item.actions.map(t.action).joined(separator: " · "),
                waiting: t.say(
                    "inbox.waiting",
                    ["age": t.age(since: item.waitingSince, now: now), "since": t.date(item.waitingSince, in: zone)]),
                overdue: item.overdue, due: item.task?.dueAt.map { t.say("inbox.due", ["due": t.due($0, in: zone)]) })
        }
        let overdue = rows.filter(\.overdue).count
        let summary =
            waiting.complete && items.count <= shown
            ? t.plural("inbox.steps", items.count)
            : t.plural("inbox.oldest", rows.count, ["projects": t.plural("inbox.candidates", waiting.candidates)])
        return templates.page(
            .inbox,
            View(
                chrome: Chrome(session, title: t.say("inbox.title"), section: "inbox"), rows: Array(rows),
                empty: rows.isEmpty, summary: summary, hasOverdue: overdue > 0,
                overdueText: t.plural(waiting.complete ? "inbox.overdue" : "inbox.overdue_of_these", overdue),
                more: items.count > shown && shown < Self.inboxMost ? "/console?show=\(shown * 2)" : nil))
    }
}
