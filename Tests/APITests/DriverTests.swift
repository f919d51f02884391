import Foundation
import Logging
import PostgresNIO
import Storage
import Testing

/// PostgresNIO 1.33 loses a statement written on a connection whose channel has closed: its promise never
/// completes (vapor/postgres-nio#497). These reproduce that without restarting a server, and show the daemon
/// neither sends such a statement nor waits for one.
@Suite("The driver's lost statements")
struct DriverTests {
    @Test("a statement on a closed connection fails at once instead of being sent")
    func closedConnectionFailsFast() async throws {
        try await withClient(TestEnvironment.adminURL) { client in
            let db = Database(client: client, logger: TestEnvironment.logger, deadline: .seconds(30))
            let started = ContinuousClock.now
            await #expect(throws: ConnectionClosed.self) {
                try await db.withConnection { conn in
                    try await conn.close()
                    try await conn.run("SELECT 1", logger: TestEnvironment.logger)
                }
            }
            // Sent, it would wait out the 30 s deadline; refused before sending, it answers at once. The bound is
            // far from both, so a loaded machine (the suite runs ~100 daemons) does not make it flaky.
            #expect(started.duration(to: .now) < .seconds(10))
            // The pool replaced the closed connection.
            let one = try await db.rows("SELECT 1::int")
            #expect(try one.first?.decode(Int.self) == 1)
        }
    }

    @Test("a statement the driver lost does not hold its caller past the deadline", .timeLimit(.minutes(1)))
    func lostStatementGivenUp() async throws {
        try await withClient(TestEnvironment.adminURL) { client in
            let db = Database(client: client, logger: TestEnvironment.logger, deadline: .seconds(1))
            let started = ContinuousClock.now
            await #expect(throws: DatabaseUnavailable.self) {
                try await db.withConnection { conn in
                    try await conn.close()
                    // PostgresNIO's own query, unguarded: written after the handlers are gone, it never completes.
                    try await conn.query("SELECT 1", logger: TestEnvironment.logger).run()
                }
            }
            let waited = started.duration(to: .now)
            // Lost, it would never answer (the test's time limit); given up, it answers once the 1 s deadline passed.
            #expect(waited >= .seconds(1) && waited < .seconds(15), "answered after \(waited)")
            // The pool goes on with a new connection (a longer deadline: the suite loads the machine).
            let patient = Database(client: client, logger: TestEnvironment.logger, deadline: .seconds(20))
            let one = try await patient.rows("SELECT 1::int")
            #expect(try one.first?.decode(Int.self) == 1)
        }
    }
}
