import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

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

    public init(db: Database, migrator: Migrator, interval: Duration = .seconds(1)) {
        self.db = db
        self.migrator = migrator
        self.interval = interval
    }

    /// The last status seen.
    public var status: Status { state.withLock { $0 } }

    /// Checks once, now.
    public func check() async {
        let database = await db.ping()
        let migrations = database ? await migrator.isUpToDate(db.client) : false
        let new = Status(database: database, migrations: migrations)
        let old = state.withLock { s in defer { s = new }; return s }
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
