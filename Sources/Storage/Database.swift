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

    /// The PostgresNIO client configuration.
    public func clientConfiguration(maxConnections: Int = 20) -> PostgresClient.Configuration {
        var config = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: tls == .disable
                ? .disable : tls == .prefer ? .prefer(tlsConfiguration()) : .require(tlsConfiguration()))
        config.options.maximumConnections = maxConnections
        config.options.minimumConnections = 0
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

    /// Runs `body` on a pooled connection within the deadline.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T
    {
        try await withDeadline(deadline) { [client, usage] in
            try await usage.track { leased in
                try await client.withConnection { conn in
                    leased()
                    return try await body(conn)
                }
            }
        }
    }

    /// Runs `body` in one transaction within the deadline, retrying on serialization failures and deadlocks,
    /// and unwrapping PostgresNIO's transaction error so callers see the real one.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T
    {
        try await withDeadline(deadline) { try await transactionWithRetries(body) }
    }

    private func transactionWithRetries<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T
    {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await usage.track { [client, logger] leased in
                    try await client.withTransaction(logger: logger) { conn in
                        leased()
                        return try await body(conn)
                    }
                }
            } catch let error as PostgresTransactionError {
                let inner = error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError ?? error
                if attempt < 4, Self.isRetryable(inner) { continue }
                throw inner
            }
        }
    }

    /// Runs one query within the deadline and returns all its rows.
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withConnection { [logger] conn in
            var out: [PostgresRow] = []
            for try await row in try await conn.query(query, logger: logger) { out.append(row) }
            return out
        }
    }

    /// Whether the database answers a trivial query within the deadline.
    public func ping(within deadline: Duration = .seconds(1)) async -> Bool {
        do {
            try await withDeadline(deadline) { [client, logger] in
                try await client.withConnection { conn in try await conn.query("SELECT 1", logger: logger).run() }
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

    /// Runs `lease`, which calls `leased` once it holds a connection.
    func track<T: Sendable>(_ lease: (_ leased: @escaping @Sendable () -> Void) async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        let held = Mutex(false)
        update { $0.waiting += 1 }
        defer {
            let wasHeld = held.withLock { $0 }
            update { if wasHeld { $0.inUse -= 1 } else { $0.waiting -= 1 } }
        }
        return try await lease { [self] in
            held.withLock { $0 = true }
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
    public var description: String { "the database did not answer in time" }
}

/// Runs `body`, cancelling it and throwing `DatabaseUnavailable` after `deadline`. The timer is a NIO
/// scheduled task on the current event loop, cancelled when `body` finishes first: `Task.sleep` went
/// through Dispatch's timer thread and cost about 8 % of the daemon's CPU in the lifecycle benchmark.
public func withDeadline<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async throws -> T)
    async throws -> T
{
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(deadline.nanoseconds))
            {}
            try await withTaskCancellationHandler {
                try await timer.futureResult.get()
            } onCancel: {
                timer.cancel()
            }
            throw DatabaseUnavailable()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    public var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

extension PSQLError {
    /// The SQLSTATE code the server sent, if any.
    var sqlState: String? { serverInfo?[.sqlState] }
}

extension Database {
    /// Whether `error` is PostgreSQL failing as a server rather than refusing the request: the deadline ran out
    /// (`DatabaseUnavailable`), no server answer at all (a closed or refused connection), a connection exception
    /// (SQLSTATE class 08), an operator intervention such as a shutdown or restart (class 57: `57P01` admin
    /// shutdown, `57P02` crash shutdown, `57P03` cannot connect now), or too many connections (`53300`).
    /// A retry will succeed: the API answers 503.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if error is DatabaseUnavailable { return true }
        guard let psql = error as? PSQLError else { return false }
        guard let state = psql.sqlState else { return true }
        return state.hasPrefix("08") || state.hasPrefix("57") || state == "53300"
    }

    /// Whether the transaction may be run again as it is: a serialization failure or a deadlock.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.sqlState else { return false }
        return state == "40001" || state == "40P01"
    }
}
