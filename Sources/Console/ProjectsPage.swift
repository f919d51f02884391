import Foundation
import Hummingbird
import Storage
import Workflow

extension Console {
    /// The projects shown per column of the board; a column links to the full list of its state.
    static let boardColumnSize = 10
    /// Projects per page of one state's list.
    static let listPageSize = 50

    struct Card {
        var href: String
        var title: String
        var overdue: Bool
        /// "2 tasks · updated 29 Nov 2026, 07:56".
        var meta: String
    }

    struct Column {
        var state: String
        var label: String
        var count: Int
        var cards: [Card]
        var more: Bool
        var href: String
        var allLabel: String
    }

    /// `GET /console/projects`: a board by state with counts and overdue markers; `?state=` lists one state
    /// (paged with `?after=`), `?overdue=true` the active projects with a late task.
    func board(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        struct View {
            var chrome: Chrome
            var columns: [Column]
            var filtered: Bool
            var filterLabel: String
            var list: [Card]
            var next: String?
            var total: Int
            var canCreate: Bool
            var states: [Chrome.Link]
            var overdueLink: Chrome.Link
            var boardLabel: String
        }
        let p = session.principal
        let now = Date()
        let zone = p.organization.serviceLevels.timezone
        let query = request.uri.queryParameters
        let t = session.t
        func card(_ project: ProjectRecord) -> Card {
            let tasks = Machine.visibleTasks(project, to: p.actor)
            return Card(
                href: "/console/projects/\(project.id.lowercased)", title: project.title,
                overdue: tasks.contains {
                    Deadlines.isOverdue($0, in: project, levels: project.serviceLevels, now: now)
                },
                meta: t.plural("projects.card", tasks.count, ["updated": t.date(project.updatedAt, in: zone)]))
        }
        let counts = try await projects.countsByState(for: p.actor)
        var state: ProjectState?
        if let s = query.get("state") {
            guard let parsed = ProjectState(rawValue: s) else {
                throw ConsoleError(
                    .malformedRequest, title: "projects.unknown_state", "projects.no_state",
                    ["state": String(s.prefix(40))])
            }
            state = parsed
        }
        let overdueOnly = query.get("overdue") == "true"
        let states = ProjectState.allCases.map {
            Chrome.Link(
                label: "\(t.state($0.rawValue)) (\(counts[$0] ?? 0))",
                href: "/console/projects?state=\($0.rawValue)",
                current: $0 == state)
        }
        let overdueLink = Chrome.Link(
            label: t.say("common.overdue"), href: "/console/projects?overdue=true", current: overdueOnly)
        var view = View(
            chrome: Chrome(session, title: t.say("projects.title"), section: "projects"), columns: [], filtered: false,
            filterLabel: "", list: [], next: nil, total: counts.values.reduce(0, +),
            canCreate: p.organization.kind == .brand && p.role != .viewer, states: states, overdueLink: overdueLink,
            boardLabel: t.say("projects.board", ["count": String(counts.values.reduce(0, +))]))
        if overdueOnly {
            let late = try await projects.active(for: p.actor).map(card).filter(\.overdue)
            view.filtered = true
            view.filterLabel = t.say("projects.overdue_filter", ["count": String(late.count)])
            view.list = late
        } else if let state {
            let after = query.get("after").flatMap { UUID(uuidString: $0) }
            let page = try await projects.list(for: p.actor, state: state, after: after, limit: Self.listPageSize + 1)
            view.filtered = true
            view.filterLabel = "\(t.stateTitle(state.rawValue)) (\(counts[state] ?? 0))"
            view.list = page.prefix(Self.listPageSize).map(card)
            if page.count > Self.listPageSize, let last = page.prefix(Self.listPageSize).last {
                view.next = "/console/projects?state=\(state.rawValue)&after=\(last.id.lowercased)"
            }
        } else {
            // The active states, then the closed projects (outcomes to read); cancelled ones are a filter away.
            for s in ProjectState.allCases where s != .cancelled {
                let page = try await projects.list(for: p.actor, state: s, after: nil, limit: Self.boardColumnSize)
                view.columns.append(
                    Column(
                        state: s.rawValue, label: t.stateTitle(s.rawValue), count: counts[s] ?? 0,
                        cards: page.map(card), more: (counts[s] ?? 0) > page.count,
                        href: "/console/projects?state=\(s.rawValue)",
                        allLabel: t.say("projects.all", ["count": String(counts[s] ?? 0)])))
            }
        }
        return templates.page(.projects, view)
    }
}
