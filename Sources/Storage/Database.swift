import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// The shared database handle: a pooled PostgresNIO client. Run `client.run()` in the service group.
public struct Database: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// How long one database operation may take, waiting for a connection included, before it is
    /// abandoned with `DatabaseUnavailable` (the API answers 503 instead of hanging while the database is down).
    public let deadline: Duration

    /// How the pool is used, exported as metrics.
    let usage: PoolUsage

    /// `maxConnections` is the pool's size as configured, exported as `briefd_db_connections_max`.
    public init(client: PostgresClient, logger: Logger, deadline: Duration = .seconds(5), maxConnections: Int? = nil) {
        self.client = client
        self.logger = logger
        self.deadline = deadline
        self.usage = PoolUsage()
        if let maxConnections { PoolUsage.maximum.record(maxConnections) }
    }

    /// Runs `body` on a pooled connection within the deadline. Past the deadline the caller gets
    /// `DatabaseUnavailable` at once, the connection is closed (so the pool replaces it) and the body is left to
    /// end on its own: a statement PostgresNIO lost on a closed connection never ends, and must not hold a request.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T
    {
        try await withDeadline(deadline) { [client, usage] giveUp in
            try await usage.track(giveUp) { leased in
                // The pool may lend a connection that closed a moment ago (it learns of the close on its event
                // loop, afterwards): nothing was sent on it yet, so another is leased after a short pause, up to
                // ten times (about half a second in all) before the closed connection's error is the answer.
                var lease = 0
                while true {
                    lease += 1
                    do {
                        return try await client.withConnection { conn in
                            if conn.isClosed, lease < 10 { throw LentClosed() }
                            leased()
                            giveUp.onGiveUp { conn.closeAbandoned() }
                            return try await body(conn)
                        }
                    } catch is LentClosed {
                        try await Task.sleep(for: .milliseconds(10 * lease))
                    }
                }
            }
        }
    }

    /// A connection lent already closed, before anything was sent on it.
    private struct LentClosed: Error {}

    /// Runs `body` in one transaction within the deadline (given up on like ``withConnection(_:)``), retrying on
    /// serialization failures and deadlocks. `BEGIN`, `COMMIT` and `ROLLBACK` are our own statements, each sent
    /// only on an open connection; a `COMMIT` that got no answer is ``CommitOutcomeUnknown`` (503: the
    /// `Idempotency-Key` tells the retry what happened).
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T
    {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await withConnection { [logger] conn in try await Self.inTransaction(conn, logger, body) }
            } catch {
                if attempt < 4, Self.isRetryable(error) { continue }
                throw error
            }
        }
    }

    static func inTransaction<T: Sendable>(
        _ conn: PostgresConnection, _ logger: Logger, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await conn.run("BEGIN", logger: logger)
        let value: T
        do { value = try await body(conn) } catch {
            // On a closed connection the server has rolled back already; nothing may be sent there.
            if !conn.isClosed { try? await conn.run("ROLLBACK", logger: logger) }
            throw error
        }
        try conn.ensureOpen()  // closed before COMMIT was sent: nothing was committed
        do { try await conn.run("COMMIT", logger: logger) } catch let error as PSQLError where error.sqlState != nil {
            throw error  // the server answered: the transaction did not commit
        } catch {
            throw CommitOutcomeUnknown(underlying: String(describing: error))
        }
        return value
    }

    /// Runs one query within the deadline and returns all its rows.
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withConnection { [logger] conn in
            try conn.ensureOpen()
            var out: [PostgresRow] = []
            for try await row in try await conn.query(query, logger: logger) { out.append(row) }
            return out
        }
    }

    /// Runs one writing statement in a transaction of its own and returns its rows once `COMMIT` is answered.
    /// Sent alone, a statement is answered before it is committed — in the extended protocol PostgreSQL sends
    /// `CommandComplete` and commits the implicit transaction only at the following `Sync`, and PostgresNIO
    /// hands the answer over at `CommandComplete` — so a PostgreSQL crash in between would lose a write the
    /// client was told is done (`scripts/faults postgres` lost transitions that way; docs/decisions.md).
    /// `COMMIT`'s own answer comes after the commit. Reads and the dispatcher's and timers' own bookkeeping
    /// (which a lost write only repeats) use ``rows(_:)``.
    public func write(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await transaction { [logger] conn in
            try conn.ensureOpen()
            return try await conn.query(query, logger: logger).collect()
        }
    }

    /// Whether the database answers a trivial query within the deadline.
    public func ping(within deadline: Duration = .seconds(1)) async -> Bool {
        do {
            // A slow answer is not a dead connection (a loaded machine): the ping is given up on, the connection
            // kept; a closed one fails at once.
            try await withDeadline(deadline) { [client, logger] _ in
                try await client.withConnection { conn in try await conn.run("SELECT 1", logger: logger) }
            }
            return true
        } catch {
            return false
        }
    }
}

/// The database did not answer within the deadline: unreachable, down, or every connection busy.
public struct DatabaseUnavailable: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "the database did not answer in time" }
}

/// A `COMMIT` was sent and no answer came (the connection closed): the transaction may or may not have committed.
/// The API answers 503; a retry with the same `Idempotency-Key` replays the answer if it did.
public struct CommitOutcomeUnknown: Error, CustomStringConvertible, Sendable {
    public var underlying: String
    public var description: String { "the database closed the connection during COMMIT (\(underlying))" }
}

/// A statement was about to be sent on a closed connection; it was not sent (PostgresNIO would have lost it).
public struct ConnectionClosed: Error, CustomStringConvertible, Sendable {
    public var description: String { "the database connection is closed" }
}

extension PostgresConnection {
    /// Throws ``ConnectionClosed`` instead of sending on a closed connection: PostgresNIO 1.33 drops a statement
    /// written after the channel's handlers are gone and never completes it (vapor/postgres-nio#497).
    public func ensureOpen() throws {
        if isClosed { throw ConnectionClosed() }
    }

    /// Closes a connection whose operation was given up on, so the pool drops it rather than lending it again.
    func closeAbandoned() {
        let future: EventLoopFuture<Void> = close()
        future.whenComplete { _ in }
    }

    /// Runs one statement without results (`BEGIN`, `COMMIT`, …) on an open connection.
    public func run(_ sql: String, logger: Logger) async throws {
        try ensureOpen()
        try await query(PostgresQuery(unsafeSQL: sql), logger: logger).run()
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    public var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

extension PSQLError {
    /// The SQLSTATE code the server sent, if any.
    var sqlState: PostgresError.Code? { serverInfo?[.sqlState].map(PostgresError.Code.init(raw:)) }
}

extension PostgresError.Code {
    /// Whether the code is of SQLSTATE class `class` (its first two characters): `08` connection exceptions,
    /// `57` operator intervention.
    func isOfClass(_ class: String) -> Bool { raw.hasPrefix(`class`) }
    /// Class 08, a connection exception.
    static let connectionExceptionClass = "08"
    /// Class 57, an operator intervention (a shutdown, a restart, a cancel).
    static let operatorInterventionClass = "57"
}

extension Database {
    /// Whether `error` is PostgreSQL failing as a server rather than refusing the request: the deadline ran out
    /// (`DatabaseUnavailable`), no server answer at all (a closed or refused connection), a connection exception
    /// (SQLSTATE class 08), an operator intervention such as a shutdown or restart (class 57: `57P01` admin
    /// shutdown, `57P02` crash shutdown, `57P03` cannot connect now), or too many connections (`53300`).
    /// A retry will succeed: the API answers 503.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if error is DatabaseUnavailable || error is ConnectionClosed || error is CommitOutcomeUnknown { return true }
        guard let psql = error as? PSQLError else { return false }
        guard let state = psql.sqlState else { return true }
        return state.isOfClass(PostgresError.Code.connectionExceptionClass)
            || state.isOfClass(PostgresError.Code.operatorInterventionClass) || state == .tooManyConnections
    }

    /// Whether the transaction may be run again as it is: a serialization failure or a deadlock.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.sqlState else { return false }
        return state == .serializationFailure || state == .deadlockDetected
    }
}
