import Foundation
import Storage

/// The delivery policy as one pure value, decided without I/O like the workflow machine (and PostgresNIO's
/// `ListenStateMachine`): what an attempt's answer means for the delivery (done, retry when, failed) and for its
/// endpoint (paused how long, disabled why), and how many calls an endpoint may have in flight. The dispatcher
/// asks it; `DeliveryQueue.record` applies its outcome in the attempt's transaction; `DeliveryPolicyTests` tests it.
public struct DeliveryPolicy: Sendable, Equatable {
    /// The retry schedule, its jitter and `Retry-After`.
    public var retry: RetryPolicy
    /// Calls in flight at once to a healthy endpoint; a failing one gets one (a probe).
    public var maxPerEndpoint: Int
    /// An endpoint failing for this long without a success is disabled.
    public var disableAfter: Duration
    /// After a failure the endpoint is paused this long, doubling per failure in a row, at most `maxPause`.
    public var pause: Duration
    public var maxPause: Duration

    public init(
        retry: RetryPolicy = RetryPolicy(), maxPerEndpoint: Int = 4, disableAfter: Duration = .seconds(5 * 24 * 3600),
        pause: Duration = .seconds(5), maxPause: Duration = .seconds(300)
    ) {
        self.retry = retry
        self.maxPerEndpoint = maxPerEndpoint
        self.disableAfter = disableAfter
        self.pause = pause
        self.maxPause = maxPause
    }

    /// The answer alone: success, or a failure and what it means for the delivery. `attempt` is 1-based within the
    /// delivery's cycle (a manual retry starts a new one); `status` is nil when no HTTP answer came.
    public func judge(
        attempt: Int, status: Int?, retryAfter: String?, now: Date = Date(), random: Double = Double.random(in: -1...1)
    ) -> AttemptResult {
        retry.verdict(attempt: attempt, status: status, retryAfter: retryAfter, now: now, random: random)
    }

    /// A failure's consequence for its endpoint, given the endpoint's health as it is in the attempt's transaction.
    /// 410 Gone disables it at once; any other failure counts one more in a row and pauses it (`pause` doubling,
    /// capped), and disables it once it has been failing for `disableAfter`.
    public func outcome(of failure: AttemptFailure, endpoint: EndpointHealth) -> FailedAttemptOutcome {
        let delivery: FailedAttemptOutcome.Delivery =
            switch failure {
            case .retry(let seconds): .retry(afterSeconds: seconds)
            case .exhausted, .gone: .failed
            }
        if failure == .gone {
            return FailedAttemptOutcome(
                delivery: delivery, pauseSeconds: nil, disableReason: "the receiver answered 410 Gone")
        }
        let doubling = pow(2, Double(min(max(endpoint.consecutiveFailures, 0), 16)))
        let pauseSeconds = min(seconds(maxPause), seconds(pause) * doubling)
        let tooLong = (endpoint.failingForSeconds ?? 0) > seconds(disableAfter)
        return FailedAttemptOutcome(
            delivery: delivery, pauseSeconds: pauseSeconds,
            disableReason: tooLong ? "no successful delivery for \(Int(seconds(disableAfter) / 3600)) hours" : nil)
    }

    /// Calls allowed in flight at once to an endpoint whose last attempt here failed (`failing`) or not.
    public func callsAllowed(failing: Bool) -> Int { failing ? 1 : maxPerEndpoint }

    /// From the components, not `nanoseconds`: a disable delay set to years would overflow Int64 nanoseconds.
    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
