import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

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
