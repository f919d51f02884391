import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Storage
import Synchronization
import Workflow

/// Watches the database in the background so `GET /readyz` answers at once, even while the database hangs.
public final class ReadinessMonitor: Service, Sendable {
    /// What the last check found.
    public struct Status: Sendable, Equatable {
        public var database: Bool
        public var migrations: Bool
        public var ready: Bool { database && migrations }
    }

    private let db: Database
    private let migrator: Migrator
    private let interval: Duration
    private let state = Mutex(Status(database: false, migrations: false))
    private let checked = Mutex(false)
    /// Pings missed in a row. A database that was up is called down only after `missesToFail` of them (or at once
    /// when a fresh connection is refused): one ping slowed past its second by a loaded machine must not turn
    /// every request away.
    private let misses = Mutex(0)
    static let missesToFail = 2

    /// Whether at least one check has finished (before that, nothing is known).
    public var hasChecked: Bool { checked.withLock { $0 } }

    /// Whether a fresh connection (outside the pool) can be opened now: asked after a missed ping, so a database
    /// that refuses connections is called down at once, and only a slow one waits for a second miss.
    private let canConnect: (@Sendable () async -> Bool)?

    public init(
        db: Database, migrator: Migrator, interval: Duration = .seconds(1),
        canConnect: (@Sendable () async -> Bool)? = nil
    ) {
        self.db = db
        self.migrator = migrator
        self.canConnect = canConnect
        self.interval = interval
    }

    /// The last status seen.
    public var status: Status { state.withLock { $0 } }

    /// Checks once, now.
    public func check() async {
        let answered = await db.ping()
        let missed = misses.withLock { m in
            m = answered ? 0 : m + 1
            return m
        }
        let wasUp = state.withLock { $0.database }
        var database = answered || (wasUp && missed < Self.missesToFail)
        if database, !answered, let canConnect, await !canConnect() { database = false }
        let migrations =
            answered ? await migrator.isUpToDate(db.client) : database && state.withLock { $0.migrations }
        let new = Status(database: database, migrations: migrations)
        let old = state.withLock { s in
            defer { s = new }
            return s
        }
        checked.withLock { $0 = true }
        if old != new {
            db.logger.info("readiness changed", metadata: ["database": "\(database)", "migrations": "\(migrations)"])
        }
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await check()
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }
}

/// While the readiness monitor sees the database down, `/v1` requests get 503 `unavailable` at once
/// (with `Retry-After`) instead of each waiting out the database deadline.
struct DatabaseGate<Context: RequestContext>: RouterMiddleware {
    let readiness: ReadinessMonitor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if request.uri.path.hasPrefix("/v1/"), readiness.hasChecked, !readiness.status.database {
            throw Problem(
                .unavailable, "the database is unavailable; retry shortly",
                headers: ["Retry-After": "2"])
        }
        return try await next(request, context)
    }
}
