import Foundation
import Hummingbird
import Storage
import Workflow

extension Console {
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
            var isBrand: Bool
        }
        let p = session.principal
        let now = Date()
        let active = try await projects.active(for: p.actor)
        let items = Inbox.items(organization: p.organization.id, kind: p.organization.kind, projects: active, now: now)
        let names = try await organizations.names(ids: items.compactMap { $0.task?.agencyID })
        let zone = p.organization.serviceLevels.timezone
        let rows = items.map { item in
            InboxRow(
                href: "/console/projects/\(item.projectID.lowercased)"
                    + (item.task.map { "#task-\($0.id.lowercased)" } ?? ""),
                project: item.projectTitle, projectState: Format.state(item.projectState.rawValue),
                task: item.task?.title, taskState: item.task.map { Format.state($0.state.rawValue) },
                agency: p.organization.kind == .brand ? item.task.flatMap { names[$0.agencyID] } : nil,
                actions: item.actions.map(ActionForms.label).joined(separator: " · "),
                waiting: Format.age(since: item.waitingSince, now: now),
                since: Format.date(item.waitingSince, in: zone),
                overdue: item.overdue, due: item.task?.dueAt.map { Format.date($0, in: zone) })
        }
        return templates.page(
            "inbox",
            View(
                chrome: Chrome(session, title: "Waiting on you", section: "inbox"), rows: rows, empty: rows.isEmpty,
                count: rows.count, overdueCount: rows.filter(\.overdue).count, isBrand: p.organization.kind == .brand))
    }
}
