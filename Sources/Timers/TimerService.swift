import Foundation
import Logging
import ServiceLifecycle
import Storage
import Workflow

/// How the timer service claims and waits.
public struct TimerServiceConfiguration: Sendable {
    /// Timers claimed per round.
    public var batch = 64
    /// Timers fired at once (each in its own transaction).
    public var concurrency = 8
    /// How long a claimed timer stays reserved for this daemon; a daemon that dies holding it loses it after this.
    public var lease: Duration = .seconds(30)
    /// The longest wait between two looks at the queue.
    public var pollInterval: Duration = .seconds(1)

    public init() {}
}

/// When the service looks at the queue next: as soon as a timer is due, and at least every `poll`. Pure: the
/// policy is tested without a database or a clock.
public enum TimerSchedule {
    /// How long to sleep when the next pending timer is due in `untilNextDue` (nil: none pending).
    public static func sleep(untilNextDue: Duration?, poll: Duration) -> Duration {
        guard let next = untilNextDue else { return poll }
        return max(.zero, min(next, poll))
    }
}

/// Fires durable timers: in every `briefd serve`, beside the webhook dispatcher. Claims due timers under a lease
/// (`FOR UPDATE SKIP LOCKED`), fires each as a system transition through the one transition transaction
/// (`ProjectStore.fire`), and sleeps until the next one is due or the poll interval passes (no NOTIFY: a wake-up
/// per armed timer cost every transition a claim query in every daemon, and timers are due a second or more after
/// they are armed). With several daemons each timer fires once; a due timer fires after a restart.
public struct TimerService: Service {
    let queue: TimerQueue
    let projects: ProjectStore
    let config: TimerServiceConfiguration
    let logger: Logger

    /// `mail`: whether the deadline events' notifications are mailed (`BRIEFD_SMTP_URL` is set).
    public init(db: Database, configuration: TimerServiceConfiguration = .init(), mail: Bool, logger: Logger) {
        self.queue = TimerQueue(db: db)
        self.projects = ProjectStore(db: db, mail: mail)
        self.config = configuration
        self.logger = logger
    }

    public func run() async throws {
        await PollingLoop.run(
            schemaReady: schemaReady, beside: [tick],
            consume: { wakeups, _ in for await _ in wakeups { await drain() } })
    }

    private func schemaReady() async -> Bool {
        do {
            _ = try await queue.untilNextDue()
            return true
        } catch {
            return false
        }
    }

    /// Fires every due timer, a batch at a time, `concurrency` at once.
    func drain() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let claimed: [ClaimedTimer]
            do {
                claimed = try await queue.claim(limit: config.batch, lease: config.lease)
            } catch {
                logger.warning("claiming timers failed", metadata: ["error": "\(String(reflecting: error))"])
                return
            }
            if claimed.isEmpty { return }
            // One transaction per project: its due timers fire together.
            let byProject = Dictionary(grouping: claimed, by: \.projectID).values.map(Array.init)
            await withTaskGroup(of: Void.self) { group in
                var next = byProject.makeIterator()
                for _ in 0..<config.concurrency {
                    guard let timers = next.next() else { break }
                    group.addTask { await self.fire(timers) }
                }
                while await group.next() != nil {
                    if let timers = next.next() { group.addTask { await self.fire(timers) } }
                }
            }
            if claimed.count < config.batch { return }
        }
    }

    private func fire(_ timers: [ClaimedTimer]) async {
        do {
            let fired = try await projects.fire(timers)
            logger.debug("timers fired", metadata: ["fired": "\(fired)", "claimed": "\(timers.count)"])
        } catch {
            // The leases run out and the timers are claimed again.
            logger.warning(
                "firing timers failed; they will be retried",
                metadata: ["project_id": "\(timers[0].projectID)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Wakes the loop when the next timer is due, or after the poll interval.
    private func tick(_ wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            wake.yield()
            let next = try? await queue.untilNextDue()
            try? await Task.sleep(for: TimerSchedule.sleep(untilNextDue: next ?? nil, poll: config.pollInterval))
        }
    }
}
