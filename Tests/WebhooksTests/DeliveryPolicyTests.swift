import Foundation
import Storage
import Testing

@testable import Webhooks

/// The delivery policy without I/O: every answer, every endpoint health, the consequence.
@Suite("The delivery policy, a pure value")
struct DeliveryPolicyTests {
    let policy = DeliveryPolicy(
        retry: RetryPolicy(schedule: [5, 300, 1800], jitter: 0), maxPerEndpoint: 4, disableAfter: .seconds(3600),
        pause: .seconds(5), maxPause: .seconds(300))
    let healthy = EndpointHealth(failingForSeconds: nil, consecutiveFailures: 0)

    @Test("a 2xx succeeds; a 410 fails the delivery and disables the endpoint without a pause")
    func successAndGone() {
        #expect(policy.judge(attempt: 1, status: 204, retryAfter: nil, random: 0) == .succeeded)
        #expect(policy.judge(attempt: 1, status: 410, retryAfter: nil, random: 0) == .failed(.gone))
        let gone = policy.outcome(of: .gone, endpoint: healthy)
        #expect(
            gone
                == FailedAttemptOutcome(
                    delivery: .failed, pauseSeconds: nil, disableReason: "the receiver answered 410 Gone"))
    }

    @Test("failures retry on the schedule, honour Retry-After, and run out after the schedule")
    func schedule() {
        #expect(policy.judge(attempt: 1, status: 500, retryAfter: nil, random: 0) == .failed(.retry(afterSeconds: 5)))
        #expect(policy.judge(attempt: 2, status: nil, retryAfter: nil, random: 0) == .failed(.retry(afterSeconds: 300)))
        #expect(
            policy.judge(attempt: 1, status: 503, retryAfter: "120", random: 0) == .failed(.retry(afterSeconds: 120)))
        #expect(
            policy.judge(attempt: 3, status: 302, retryAfter: nil, random: 0) == .failed(.retry(afterSeconds: 1800)))
        #expect(policy.judge(attempt: 4, status: 500, retryAfter: nil, random: 0) == .failed(.exhausted))
        #expect(policy.outcome(of: .exhausted, endpoint: healthy).delivery == .failed)
        #expect(policy.outcome(of: .retry(afterSeconds: 7), endpoint: healthy).delivery == .retry(afterSeconds: 7))
    }

    @Test("the endpoint's pause doubles per failure in a row, capped; failing too long disables it")
    func pauseAndDisable() {
        func pause(after failures: Int) -> Double? {
            policy.outcome(
                of: .retry(afterSeconds: 5),
                endpoint: EndpointHealth(failingForSeconds: 10, consecutiveFailures: failures)
            ).pauseSeconds
        }
        #expect(pause(after: 0) == 5)
        #expect(pause(after: 1) == 10)
        #expect(pause(after: 3) == 40)
        #expect(pause(after: 6) == 300)
        #expect(pause(after: 1_000_000) == 300)
        #expect(policy.outcome(of: .retry(afterSeconds: 5), endpoint: healthy).disableReason == nil)
        let late = policy.outcome(
            of: .retry(afterSeconds: 5), endpoint: EndpointHealth(failingForSeconds: 3601, consecutiveFailures: 40))
        #expect(late.disableReason == "no successful delivery for 1 hours")
        #expect(late.pauseSeconds == 300)
    }

    @Test("a disable delay of centuries is a number, not an overflow")
    func hugeDisableDelay() {
        let patient = DeliveryPolicy(disableAfter: .seconds(Int64.max / 2))
        let outcome = patient.outcome(
            of: .retry(afterSeconds: 5), endpoint: EndpointHealth(failingForSeconds: 1e9, consecutiveFailures: 3))
        #expect(outcome.disableReason == nil)
        #expect(outcome.pauseSeconds == 40)
    }

    @Test("a failing endpoint gets one call at a time, a healthy one its share")
    func concurrency() {
        #expect(policy.callsAllowed(failing: true) == 1)
        #expect(policy.callsAllowed(failing: false) == 4)
    }
}
