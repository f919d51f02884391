import BriefdApp
import Foundation
import Synchronization
import Testing

/// Whether the writers have stopped, read by the feed's readers.
private final class Stopped: Sendable {
    let value = Atomic<Bool>(false)
}

@Suite("The feed's order under concurrent writers (no lock per organization)")
struct FeedOrderTests {
    /// One organization's feed followed by its cursor: every event as the reader saw it, in order.
    struct Followed: Sendable {
        var organization: String
        var events: [(cursor: Int, id: String, project: String?, sequence: Int?)]
    }

    @Test(
        "16 writers on 4 brands, 240 writes, while readers follow /v1/events: every event once, in each project's order"
    )
    func followersSeeEveryEventOnce() async throws {
        let twentyConnections: @Sendable (inout DaemonConfiguration) -> Void = { $0.maxDBConnections = 20 }
        try await withServer(configure: twentyConnections) { s in
            var made: [Org] = []
            for i in 0..<4 { made.append(try await s.organization("Brand \(i)", "brand")) }
            let brands = made
            // Two agencies, each working for two brands: their feeds interleave two brands' projects.
            let agencies = [
                try await s.organization("Studio A", "agency"), try await s.organization("Studio B", "agency"),
            ]
            // Per brand, a project in draft whose strategy its writers race to update, and an issued task they race
            // to comment on (a comment reaches the brand and the agency: an event with two recipients).
            var draftIDs: [String] = []
            var issuedTasks: [(project: String, task: String)] = []
            for (i, brand) in brands.enumerated() {
                draftIDs.append(try await s.project(brand, title: "Draft \(i)"))
                let p = try await s.project(brand, title: "Issued \(i)")
                let task = try await s.addTask(brand, p, agency: agencies[i % 2], title: "Film")
                try await s.act(brand.token, p, "issue_brief")
                issuedTasks.append((p, task))
            }
            let drafts = draftIDs
            let issued = issuedTasks
            let stopped = Stopped()
            let followers = brands + agencies

            async let written: Int = withThrowingTaskGroup(of: Int.self) { group in
                for w in 0..<16 {
                    let b = w % 4
                    group.addTask {
                        // A fixed amount of work, however long this machine takes to do it.
                        var applied = 0
                        var n = w
                        for _ in 0..<200 where applied < 15 {
                            n += 1
                            let r: Reply
                            switch n % 10 {
                            case 0:
                                r = try await s.call(
                                    .POST, "/v1/projects", token: brands[b].token,
                                    json: #"{"title":"New \#(n)","strategy":\#(TestServer.strategy)}"#)
                            case 1, 3, 5, 7, 9:
                                r = try await s.call(
                                    .POST, "/v1/projects/\(drafts[b])/actions/update_strategy", token: brands[b].token,
                                    json: #"{"strategy":\#(TestServer.strategy)}"#)
                            default:
                                r = try await s.call(
                                    .POST, "/v1/projects/\(issued[b].project)/tasks/\(issued[b].task)/comments",
                                    token: brands[b].token, json: #"{"body":"Note \#(n) from writer \#(w)"}"#)
                            }
                            // 503 is the daemon's answer when every connection stays busy past its deadline (a slow
                            // machine under the whole suite): nothing of it is assumed; the check reads what committed.
                            if r.status == 503 { continue }
                            #expect([200, 201].contains(r.status), "writer \(w): \(r.text)")
                            applied += 1
                        }
                        return applied
                    }
                }
                let total = try await group.reduce(0, +)
                stopped.value.store(true, ordering: .sequentiallyConsistent)
                return total
            }

            let followed = try await withThrowingTaskGroup(of: Followed.self) { group in
                for org in followers {
                    group.addTask {
                        var seen = Followed(organization: org.id, events: [])
                        var cursor = 0
                        var quietAfterStop = false
                        while true {
                            let writersDone = stopped.value.load(ordering: .sequentiallyConsistent)
                            let r = try await s.call(.GET, "/v1/events?after=\(cursor)&limit=100", token: org.token)
                            if r.status == 503 {
                                try await Task.sleep(for: .milliseconds(50))
                                continue
                            }
                            try #require(r.status == 200, "\(r.text)")
                            let page = r["data"] as? [[String: Any]] ?? []
                            for e in page {
                                let data = e["data"] as? [String: Any]
                                seen.events.append(
                                    (
                                        e["cursor"] as? Int ?? -1, e["id"] as? String ?? "",
                                        data?["project_id"] as? String,
                                        data?["sequence"] as? Int
                                    ))
                            }
                            cursor = try #require(r["next_cursor"] as? Int)
                            // Done after an empty page read once every writer had returned.
                            if page.isEmpty && writersDone {
                                if quietAfterStop { return seen }
                                quietAfterStop = true
                            }
                            if page.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                        }
                    }
                }
                return try await group.reduce(into: [Followed]()) { $0.append($1) }
            }
            let writes = try await written
            #expect(writes == 16 * 15, "only \(writes) writes applied")

            var eventsSeen = 0
            for f in followed {
                let cursors = f.events.map(\.cursor)
                #expect(
                    cursors == cursors.sorted() && Set(cursors).count == cursors.count, "cursors of \(f.organization)")
                // Exactly the committed events the organization received, each once.
                let stored = try await s.sql(
                    """
                    SELECT event_id::text FROM event_recipients WHERE organization_id =
                    \(UUID(uuidString: f.organization)!)
                    """
                ).map { try $0.decode(String.self) }
                let ids = f.events.map { $0.id.lowercased() }
                let missed = Set(stored).subtracting(ids).count
                let unknown = Set(ids).subtracting(stored).count
                #expect(ids.count == Set(ids).count, "\(f.organization) saw an event twice")
                #expect(
                    missed == 0 && unknown == 0,
                    "\(f.organization): \(missed) of \(stored.count) missed, \(unknown) unknown")
                // Each project's events in the order of its history; a brand receives all of them, so without a gap.
                let isBrand = brands.contains { $0.id == f.organization }
                var last: [String: Int] = [:]
                for e in f.events {
                    guard let p = e.project, let sequence = e.sequence else { continue }
                    let previous = last[p] ?? 0
                    #expect(
                        isBrand ? sequence == previous + 1 : sequence > previous,
                        """
                        \(p): \(sequence) after \(previous); this project's events as read (cursor, sequence): \(
                            f.events.filter { $0.project == p }.map { "\($0.cursor):\($0.sequence ?? -1)" })
                        """)
                    last[p] = sequence
                }
                eventsSeen += ids.count
            }
            // Each brand sees every transition of its projects, gap-free: writes + setup, one event each.
            let brandEvents = followed.filter { f in brands.contains { $0.id == f.organization } }
            #expect(brandEvents.map(\.events.count).reduce(0, +) >= writes)
            #expect(eventsSeen > writes)
        }
    }

    @Test("a cursor from before migration 0014 goes on where it was: old positions come before every new one")
    func oldCursorsGoOn() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let project = try await s.project(brand)
            // Three events as the per-organization counter numbered them before 0014 (1, 2, 3), written now.
            let org = try #require(UUID(uuidString: brand.id))
            var old: [String] = []
            for position in 1...3 {
                let id = UUID()
                old.append(id.uuidString.lowercased())
                _ = try await s.sql(
                    """
                    INSERT INTO events (id, type, organization_id, occurred_at, data)
                    VALUES (\(id), 'webhook_endpoint.disabled', \(org), now(), '{}')
                    """)
                _ = try await s.sql(
                    """
                    INSERT INTO event_recipients (organization_id, position, event_id) VALUES (\(org),
                    \(position), \(id))
                    """
                )
            }
            func page(after: Int) async throws -> [[String: Any]] {
                let r = try await s.call(.GET, "/v1/events?after=\(after)&limit=100", token: brand.token)
                try #require(r.status == 200, "\(r.text)")
                return r["data"] as? [[String: Any]] ?? []
            }
            let all = try await page(after: 0)
            #expect(all.compactMap { $0["id"] as? String }.prefix(3) == old[...])
            #expect(all.dropFirst(3).first?["type"] as? String == "project.created")
            #expect((all.dropFirst(3).first?["data"] as? [String: Any])?["project_id"] as? String == project)
            // An old cursor (2) reads the third old event, then the new ones; the last old one (3), the new ones.
            #expect(try await page(after: 2).compactMap { $0["id"] as? String }.first == old[2])
            #expect(try await page(after: 3).first?["type"] as? String == "project.created")
            #expect(try await page(after: 3).count == all.count - 3)
        }
    }

    @Test(
        "an event committed after an older transaction began waits for it; other databases' transactions do not count")
    func horizonHoldsLateCommits() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            _ = try await s.project(brand)
            @Sendable func types() async throws -> [String] {
                let r = try await s.call(.GET, "/v1/events?limit=100", token: brand.token)
                try #require(r.status == 200, "\(r.text)")
                return (r["data"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            }
            #expect(try await types() == ["project.created"])
            // A transaction of this database holds an id and stays open: whatever commits after it may have to wait.
            // (On a connection of its own, without the test pool's deadline: it stays open as long as the test needs.)
            try await withClient(s.url, maxConnections: 1) { pg in
                try await pg.withConnection { held in
                    try await held.query("BEGIN", logger: s.db.logger).run()
                    var xid: Int64 = 0
                    for try await x in try await held.query(
                        "SELECT pg_current_xact_id()::text::int8", logger: s.db.logger
                    )
                    .decode(Int64.self) { xid = x }
                    #expect(try await s.scalar("SELECT briefd_feed_horizon()", as: Int64.self) <= xid)
                    _ = try await s.project(brand, title: "Committed while an older transaction is open")
                    let clock = ContinuousClock()
                    let started = clock.now
                    #expect(try await types() == ["project.created"], "the later event is not listed yet")
                    #expect(clock.now - started >= .milliseconds(900), "the read waited for the older transaction")
                    try await held.query("ROLLBACK", logger: s.db.logger).run()
                }
            }
            #expect(try await types() == ["project.created", "project.created"])
            // A transaction of another database of the cluster holds nothing back.
            try await withClient(TestEnvironment.adminURL, maxConnections: 1) { admin in
                try await admin.withConnection { other in
                    try await other.query("BEGIN", logger: s.db.logger).run()
                    _ = try await other.query("SELECT pg_current_xact_id()", logger: s.db.logger).collect()
                    _ = try await s.project(brand, title: "Committed while another database's transaction is open")
                    #expect(try await types().count == 3)
                    try await other.query("ROLLBACK", logger: s.db.logger).run()
                }
            }
        }
    }
}
