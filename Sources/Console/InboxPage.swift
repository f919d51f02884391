import Foundation
import Hummingbird
import Storage
import Workflow

extension Console {
    /// The oldest waits the home page lists; the rest are counted (and paged through by `GET /v1/inbox`).
    static let inboxShown = 100

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
        var since: String
        var overdue: Bool
        var due: String?
    }

    /// `GET /console` signed in: what the caller's organization must do next, oldest wait first, overdue marked.
    func inbox(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        struct View {
            var chrome: Chrome
            var rows: [InboxRow]
            var empty: Bool
            var count: Int
            var overdueCount: Int
            /// Mustache treats any number as true: sections need a Bool.
            var hasOverdue: Bool
            var isBrand: Bool
            var hasMore: Bool
            var more: Int
        }
        let p = session.principal
        let now = Date()
        let active = try await projects.active(for: p.actor, states: Inbox.states(for: p.organization.kind))
        let items = Inbox.items(organization: p.organization.id, kind: p.organization.kind, projects: active, now: now)
        let names = try await organizations.names(ids: items.compactMap { $0.task?.agencyID })
        let zone = p.organization.serviceLevels.timezone
        let rows = items.prefix(Self.inboxShown).map { item in
            InboxRow(
                href: "/console/projects/\(item.projectID.lowercased)"
                    + (item.task.map { "#task-\($0.id.lowercased)" } ?? ""),
                project: item.projectTitle, projectState: Format.state(item.projectState.rawValue),
                task: item.task?.title, taskState: item.task.map { Format.state($0.state.rawValue) },
                agency: p.organization.kind == .brand ? item.task.flatMap { names[$0.agencyID] } : nil,
                actions: item.actions.map(ActionForms.label).joined(separator: " · "),
                waiting: Format.age(since: item.waitingSince, now: now),
                since: Format.date(item.waitingSince, in: zone),
                overdue: item.overdue, due: item.task?.dueAt.map { Format.due($0, in: zone) })
        }
        return templates.page(
            "inbox",
            View(
                chrome: Chrome(session, title: "Waiting on you", section: "inbox"), rows: Array(rows),
                empty: rows.isEmpty,
                count: items.count, overdueCount: items.filter(\.overdue).count,
                hasOverdue: items.contains(where: \.overdue), isBrand: p.organization.kind == .brand,
                hasMore: items.count > rows.count, more: items.count - rows.count))
    }
}
