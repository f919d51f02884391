import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

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
