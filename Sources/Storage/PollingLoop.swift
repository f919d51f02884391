import ServiceLifecycle

/// The loop of the services that poll the database for due work (the webhook dispatcher, the timer service): wait
/// quietly until the schema is there (a fresh database migrates at start), then hand the wake-ups to `consume`,
/// with `beside` running alongside (the ticks that wake it, LISTEN). Graceful shutdown ends the wake-ups; once
/// `consume` returns, the tasks beside it are cancelled.
public enum PollingLoop {
    /// A wake-up: the loop drains whatever is due.
    public typealias Wake = AsyncStream<Void>.Continuation

    /// Runs until graceful shutdown (or cancellation).
    public static func run(
        schemaReady: @escaping @Sendable () async -> Bool,
        beside: [@Sendable (Wake) async -> Void],
        consume: @escaping @Sendable (AsyncStream<Void>, Wake) async -> Void
    ) async {
        while !(await schemaReady()) {
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(250)) }
        }
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for task in beside { group.addTask { await task(wake) } }
                await consume(wakeups, wake)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            wake.finish()
        }
    }
}
