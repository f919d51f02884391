import Logging
import Storage
import Synchronization

/// Records successful attempts in batches, group-commit style: the attempts that succeed while one
/// batch is being written go together in the next statement. Nothing waits for a timer, so a lone
/// delivery is recorded at once; under load one round trip and one commit serve many deliveries.
/// A caller waits until its attempt is written (or the write failed: the lease then runs out and the
/// delivery is attempted again, at least once, never lost).
final class SuccessRecorder: Sendable {
    private struct Item: Sendable {
        var delivery: ClaimedDelivery
        var attempt: AttemptRecord
        var written: CheckedContinuation<Void, Never>
    }

    private let store: DeliveryQueue
    private let logger: Logger
    private let pending = Mutex<[Item]>([])
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(store: DeliveryQueue, logger: Logger) {
        self.store = store
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a successful attempt and returns once it is written.
    func record(_ delivery: ClaimedDelivery, _ attempt: AttemptRecord) async {
        await withCheckedContinuation { (written: CheckedContinuation<Void, Never>) in
            pending.withLock { $0.append(Item(delivery: delivery, attempt: attempt, written: written)) }
            wake.yield()
        }
    }

    /// Writes batches until cancelled; the dispatcher runs it beside its deliveries and cancels it
    /// only once they have all finished.
    func run() async {
        for await _ in wakeups { await flush() }
        await flush()
    }

    private func flush() async {
        while true {
            let batch = pending.withLock { items -> [Item] in
                defer { items = [] }
                return items
            }
            if batch.isEmpty { return }
            do {
                try await store.recordSucceeded(batch.map { ($0.delivery, $0.attempt) })
            } catch {
                logger.warning(
                    "recording delivery attempts failed",
                    metadata: ["deliveries": "\(batch.count)", "error": "\(String(reflecting: error))"])
            }
            for item in batch { item.written.resume() }
        }
    }
}
