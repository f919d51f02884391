import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// Why a database URL was refused.
public struct DatabaseURLError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Connection settings parsed from `postgres://user:pass@host:port/db?sslmode=`.
public struct DatabaseSettings: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public var tls: TLSMode
    /// `sslrootcert`: the certificate authorities `verify-ca` and `verify-full` trust (default: the system's).
    public var rootCertificates: String?

    /// libpq's `sslmode`s that briefd supports. A mode that requires TLS never falls back to plaintext.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, plaintext otherwise; the certificate is not checked.
        case prefer
        /// TLS or no connection; the certificate is not checked (protects against eavesdropping only).
        case require
        /// TLS or no connection; the certificate must chain to a trusted authority.
        case verifyCA = "verify-ca"
        /// TLS or no connection; the certificate must chain to a trusted authority and name the host.
        case verifyFull = "verify-full"
    }

    /// Parses a `postgres://` or `postgresql://` URL. `sslmode=disable|prefer|require|verify-ca|verify-full`
    /// chooses TLS (`sslrootcert=` the trusted authorities); the default is no TLS on loopback hosts and TLS when
    /// offered elsewhere.
    public init(url: String) throws {
        guard let c = URLComponents(string: url), let scheme = c.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw DatabaseURLError(
                description: "BRIEFD_DATABASE_URL must look like postgres://user:password@host:port/database")
        }
        guard let host = c.host, !host.isEmpty else {
            throw DatabaseURLError(description: "BRIEFD_DATABASE_URL has no host")
        }
        guard let user = c.user, !user.isEmpty else {
            throw DatabaseURLError(description: "BRIEFD_DATABASE_URL has no user name")
        }
        let db = String(c.path.drop(while: { $0 == "/" }))
        guard !db.isEmpty else { throw DatabaseURLError(description: "BRIEFD_DATABASE_URL names no database") }
        self.host = host
        self.port = c.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = c.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = db.removingPercentEncoding ?? db
        let mode = c.queryItems?.first(where: { $0.name == "sslmode" })?.value
        switch mode {
        case nil: tls = ["127.0.0.1", "localhost", "::1"].contains(host) ? .disable : .prefer
        case let name?:
            guard let known = TLSMode(rawValue: name) else {
                throw DatabaseURLError(
                    description: "sslmode must be disable, prefer, require, verify-ca or verify-full")
            }
            tls = known
        }
        rootCertificates = c.queryItems?.first(where: { $0.name == "sslrootcert" })?.value
        if let path = rootCertificates, !FileManager.default.isReadableFile(atPath: path) {
            throw DatabaseURLError(description: "sslrootcert \(path) is not a readable file")
        }
    }

    /// The TLS configuration of the mode: what is verified, and against which authorities.
    func tlsConfiguration() -> TLSConfiguration {
        var config = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable, .prefer, .require: config.certificateVerification = .none
        case .verifyCA: config.certificateVerification = .noHostnameVerification
        case .verifyFull: config.certificateVerification = .fullVerification
        }
        if let rootCertificates { config.trustRoots = .file(rootCertificates) }
        return config
    }

    /// Connects once, outside the pool (which retries in silence), and says in one sentence why that failed;
    /// nil when it worked. For messages at start: a refused TLS or an unverifiable certificate is not "no answer".
    public func connectionProblem(logger: Logger) async -> String? {
        do {
            let tlsSetting: PostgresConnection.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
                case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration()))
                }
            var config = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
            config.options.connectTimeout = .seconds(3)
            let connection = try await PostgresConnection.connect(configuration: config, id: 0, logger: logger)
            try? await connection.close()
            return nil
        } catch let error as PSQLError where error.code == .sslUnsupported {
            return "the server does not offer TLS, and sslmode=\(tls.rawValue) does not allow a connection without it"
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(error.code): \(String(describing: underlying))" }
            return "\(error.code)"
        } catch {
            return String(describing: error)
        }
    }

    /// The PostgresNIO client configuration. Connections open on demand and close after a minute idle; no
    /// keep-alive pings: PostgresNIO's pool arms a keep-alive timer (three tasks and a Dispatch timer) each time a
    /// connection is handed back and cancels it at the next lease — at least once per request, about a tenth of
    /// the daemon's CPU in the lifecycle benchmark. A connection that died while idle is found at its next use (its
    /// statement fails, or is given up on at the deadline and its connection closed) and replaced. Keeping the
    /// pool open (`minimumConnections`, which would spare the idle timer too) crashes PostgresNIO 1.33's pool when
    /// the database restarts under load: docs/decisions.md "The pool's timers".
    public func clientConfiguration(maxConnections: Int = 20) -> PostgresClient.Configuration {
        var config = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: tls == .disable
                ? .disable : tls == .prefer ? .prefer(tlsConfiguration()) : .require(tlsConfiguration()))
        config.options.maximumConnections = maxConnections
        config.options.minimumConnections = 0
        config.options.keepAliveBehavior = nil
        config.options.connectTimeout = .seconds(3)
        return config
    }
}

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
                try await client.withConnection { conn in
                    leased()
                    giveUp.onGiveUp { conn.closeAbandoned() }
                    return try await body(conn)
                }
            }
        }
    }

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

/// Counts the callers holding a pooled connection and those waiting for one, and times the waits:
/// `briefd_db_connections_in_use`, `briefd_db_connection_waiters`, `briefd_db_connection_wait_seconds`
/// (the dispatcher's LISTEN connection is held apart and not counted).
final class PoolUsage: Sendable {
    static let inUse = Gauge(label: "briefd_db_connections_in_use")
    static let waiters = Gauge(label: "briefd_db_connection_waiters")
    static let maximum = Gauge(label: "briefd_db_connections_max")
    static let wait = Metrics.Timer(label: "briefd_db_connection_wait_seconds")

    private let counts = Mutex((inUse: 0, waiting: 0))

    /// Operations given up on at their deadline (their connection closed, their body left to end on its own).
    static let abandoned = Counter(label: "briefd_db_operations_abandoned_total")

    /// Runs `lease`, which calls `leased` once it holds a connection. An operation given up on stops counting
    /// at that moment (its body may never end), so the gauges show what the pool really has at rest.
    func track<T: Sendable>(
        _ giveUp: GiveUp, _ lease: (_ leased: @escaping @Sendable () -> Void) async throws -> T
    ) async throws -> T {
        let asked = ContinuousClock.now
        // nil: not counted any more; false: waiting; true: holding a connection.
        let held = Mutex<Bool?>(false)
        update { $0.waiting += 1 }
        let release: @Sendable () -> Void = { [self] in
            guard
                let wasHeld = held.withLock({ h -> Bool? in
                    defer { h = nil }
                    return h
                })
            else { return }
            update { if wasHeld { $0.inUse -= 1 } else { $0.waiting -= 1 } }
        }
        giveUp.onGiveUp {
            Self.abandoned.increment()
            release()
        }
        defer { release() }
        return try await lease { [self] in
            let counted = held.withLock { h -> Bool in
                guard h != nil else { return false }
                h = true
                return true
            }
            guard counted else { return }
            update {
                $0.waiting -= 1
                $0.inUse += 1
            }
            Self.wait.recordNanoseconds(asked.duration(to: .now).nanoseconds)
        }
    }

    private func update(_ change: (inout (inUse: Int, waiting: Int)) -> Void) {
        let now = counts.withLock { c in
            change(&c)
            return c
        }
        Self.inUse.record(now.inUse)
        Self.waiters.record(now.waiting)
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

/// What an operation under ``withDeadline(_:_:)`` does when it is given up on (close its connection, stop
/// counting it). Actions registered after that run at once.
public final class GiveUp: Sendable {
    private let state = Mutex<(done: Bool, actions: [@Sendable () -> Void])>((false, []))

    /// Runs `action` when the operation is given up on (at once if it already was).
    public func onGiveUp(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            if s.done { return true }
            s.actions.append(action)
            return false
        }
        if now { action() }
    }

    func fire() {
        for action in state.withLock({ s -> [@Sendable () -> Void] in
            s.done = true
            defer { s.actions = [] }
            return s.actions
        }) {
            action()
        }
    }
}

/// Runs `body` and answers with its result, or with `DatabaseUnavailable` once `deadline` has passed — without
/// waiting for `body`: the body runs as a task of its own (inheriting task locals and priority), which is
/// cancelled and given up on at the deadline (`GiveUp` closes its connection). This is the one place where work
/// outlives its caller, on purpose: a query whose promise PostgresNIO lost cannot be cancelled or awaited out,
/// and a request must still get its answer. `briefd_db_operations_abandoned_total` counts such cases.
///
/// The timer is a NIO scheduled task, cancelled when `body` finishes first: `Task.sleep` went through
/// Dispatch's timer thread and cost about 8 % of the daemon's CPU in the lifecycle benchmark.
public func withDeadline<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable (GiveUp) async throws -> T)
    async throws -> T
{
    let giveUp = GiveUp()
    let answer = Answer<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            answer.wait(continuation)
            let work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await body(giveUp)) } catch { result = .failure(error) }
                answer.give(result)
            }
            let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
                in: .nanoseconds(deadline.nanoseconds)
            ) {
                if answer.give(.failure(DatabaseUnavailable())) {
                    work.cancel()
                    giveUp.fire()
                }
            }
            answer.whenGiven {
                timer.cancel()
                work.cancel()
            }
        }
    } onCancel: {
        answer.give(.failure(CancellationError()))
    }
}

/// The one answer of ``withDeadline(_:_:)``: the first result given resumes the caller; later ones are dropped.
final class Answer<T: Sendable>: Sendable {
    private let state = Mutex<
        (
            continuation: CheckedContinuation<T, any Error>?, result: Result<T, any Error>?, given: Bool,
            then: (@Sendable () -> Void)?
        )
    >(
        (nil, nil, false, nil))

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { s -> Result<T, any Error>? in
            if let r = s.result { return r }
            s.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Gives the answer; false when one was given before.
    @discardableResult
    func give(_ result: Result<T, any Error>) -> Bool {
        let (first, continuation, then) = state.withLock {
            s -> (Bool, CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !s.given else { return (false, nil, nil) }
            s.given = true
            if s.continuation == nil { s.result = result }
            defer {
                s.continuation = nil
                s.then = nil
            }
            return (true, s.continuation, s.then)
        }
        continuation?.resume(with: result)
        if first { then?() }
        return first
    }

    /// Runs `action` once an answer is given (at once if it was).
    func whenGiven(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            if s.given { return true }
            s.then = action
            return false
        }
        if now { action() }
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
