import Foundation
import PostgresNIO
import Testing

@testable import Storage

/// `briefd_write_transition` (migration 0015) receives timestamps as text where the statements it replaced bound them
/// in binary. A timer's basis is matched by equality when it is cancelled, so the two must name the same microsecond.
@Suite("One round trip for a transition's writes")
struct TransitionWritesTests {
    @Test("a timestamp sent as text is the microsecond PostgresNIO sends in binary, for any date")
    func timestampsAgree() async throws {
        var dates: [Date] = [
            Date(), Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 946_684_800),  // both epochs
            Date(timeIntervalSince1970: 946_684_799.999_999_9),  // before PostgreSQL's epoch: negative microseconds
            Date(timeIntervalSince1970: 1_709_164_799.999_999), Date(timeIntervalSince1970: 1_709_164_800),  // leap day
            Date(timeIntervalSince1970: 4_102_444_800.000_000_5),  // 2100, not a leap year
            Date(timeIntervalSince1970: 253_402_300_799.999_99),  // the last second of 9999
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2e9...5e9, using: &generator)))
        }
        // Dates as the daemon has them: read back from PostgreSQL, sent again.
        let now = Date()
        for micros in 0..<1_000 { dates.append(now.addingTimeInterval(Double(micros) / 1e6)) }

        let all = dates
        try await withClient(TestEnvironment.adminURL) { client in
            let db = Database(client: client, logger: TestEnvironment.logger, deadline: .seconds(30))
            let texts = all.map(PostgresTimestamp.text)
            let rows = try await db.rows(
                """
                SELECT x.n, x.b::text, x.t FROM unnest(\(all), \(texts)) WITH ORDINALITY AS x(b, t, n)
                WHERE x.b IS DISTINCT FROM x.t::timestamptz
                """)
            let mismatches = try rows.map { try $0.decode((Int, String, String).self) }
            #expect(mismatches.count == 0, "binary and text differ, first: \(mismatches.prefix(5))")
        }
    }

    @Test("a write for a project that moved on since it was read writes nothing and fails with BFD01")
    func staleWriteRefused() async throws {
        try await withMigratedDatabase { _, db in
            let (brand, project) = (UUID(), UUID())
            try await db.rows("INSERT INTO organizations (id, name, kind) VALUES (\(brand), 'Brand', 'brand')")
            try await db.rows(
                """
                INSERT INTO projects (id, brand_id, title, state, version, last_sequence, strategy, created_at,
                                      updated_at)
                VALUES (\(project), \(brand), 'P', 'strategy', 3, 4, '{}', now(), now())
                """)
            // A rename decided on the project as it was at sequence `expected`.
            func rename(expected: Int) -> String {
                """
                {"expected_last_sequence": \(expected), "project": {"id": "\(project.lowercased)", "title": "Q",
                 "state": "strategy", "version": 4, "last_sequence": \(expected + 1), "cancel_reason": null,
                 "updated_at": "2026-11-29T12:00:00.000000Z"}, "removed_tasks": [], "changed_tasks": [],
                 "added_tasks": [], "cancelled_timers": [], "armed_timers": [], "decisions": [], "comment": null,
                 "events": []}
                """
            }
            await #expect {
                try await db.rows("SELECT briefd_write_transition(\(rename(expected: 3))::jsonb)")
            } throws: { ($0 as? PSQLError)?.serverInfo?[.sqlState] == "BFD01" }
            let untouched = try await db.rows("SELECT title, last_sequence FROM projects WHERE id = \(project)")
            let before = try #require(try untouched.first?.decode((String, Int).self))
            #expect(before.0 == "P" && before.1 == 4)

            try await db.rows("SELECT briefd_write_transition(\(rename(expected: 4))::jsonb)")
            let renamed = try await db.rows("SELECT title, last_sequence FROM projects WHERE id = \(project)")
            let after = try #require(try renamed.first?.decode((String, Int).self))
            #expect(after.0 == "Q" && after.1 == 5)
        }
    }

    /// Migration 0016. Under load PostgreSQL can give a transaction its id before it waits for the project's row lock
    /// (following an update chain), and an event's position is that id: the write must refuse, to be retried, when
    /// the project's last writer has a higher id, or the later transition's events would sort before the earlier's.
    @Test("a write whose transaction id is below the project's last writer's fails with 40001, to be retried")
    func writeBehindLastWriterRefused() async throws {
        try await withMigratedDatabase { _, db in
            let (brand, project) = (UUID(), UUID())
            try await db.rows("INSERT INTO organizations (id, name, kind) VALUES (\(brand), 'Brand', 'brand')")
            try await db.rows(
                """
                INSERT INTO projects (id, brand_id, title, state, version, last_sequence, strategy, created_at,
                                      updated_at)
                VALUES (\(project), \(brand), 'P', 'strategy', 3, 4, '{}', now(), now())
                """)
            let rename = """
                {"expected_last_sequence": 5, "project": {"id": "\(project.lowercased)", "title": "R",
                 "state": "strategy", "version": 5, "last_sequence": 6, "cancel_reason": null,
                 "updated_at": "2026-11-29T12:00:00.000000Z"}, "removed_tasks": [], "changed_tasks": [],
                 "added_tasks": [], "cancelled_timers": [], "armed_timers": [], "decisions": [], "comment": null,
                 "events": []}
                """
            try await db.withConnection { early in
                try await early.query("BEGIN", logger: TestEnvironment.logger).run()
                // This transaction's id, taken first; then another transaction writes the project and commits.
                try await early.query("SELECT pg_current_xact_id()", logger: TestEnvironment.logger).run()
                try await db.rows("UPDATE projects SET title = 'Q', last_sequence = 5 WHERE id = \(project)")
                try await early.query(
                    "SELECT 1 FROM projects WHERE id = \(project) FOR UPDATE", logger: TestEnvironment.logger
                ).run()
                await #expect {
                    try await early.query(
                        "SELECT briefd_write_transition(\(rename)::jsonb)", logger: TestEnvironment.logger
                    ).run()
                } throws: { ($0 as? PSQLError)?.serverInfo?[.sqlState] == "40001" }
                try await early.query("ROLLBACK", logger: TestEnvironment.logger).run()
            }
            // The same write in a transaction of its own (a higher id, as the retry has) applies.
            try await db.transaction { conn in
                try await conn.query("SELECT briefd_write_transition(\(rename)::jsonb)", logger: db.logger).run()
            }
            let renamed = try await db.rows("SELECT title, last_sequence FROM projects WHERE id = \(project)")
            let after = try #require(try renamed.first?.decode((String, Int).self))
            #expect(after.0 == "R" && after.1 == 6)
        }
    }

    @Test("the calendar arithmetic agrees with Foundation's on every day of four centuries")
    func civilDays() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in Int64(-36_524)...Int64(109_572) {  // 1870 to 2270
            let date = Date(timeIntervalSince1970: Double(day) * 86_400)
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let mine = PostgresTimestamp.civil(daysSince1970: day)
            #expect(
                mine == (Int64(c.year!), Int64(c.month!), Int64(c.day!)), "day \(day): \(mine) against \(c)")
            if mine != (Int64(c.year!), Int64(c.month!), Int64(c.day!)) { return }
        }
    }
}
