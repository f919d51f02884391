import Foundation
import Storage

/// The retry schedule: seconds between attempts, with jitter, honouring `Retry-After`.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay before attempt n+2 after attempt n+1 failed; its length + 1 is the number of attempts.
    public var schedule: [Double]
    /// Fraction of random spread around each delay (0.1 = ±10 %).
    public var jitter: Double
    /// `Retry-After` longer than this is capped.
    public var maxRetryAfter: Double

    public static let defaultSchedule: [Double] = [5, 300, 1800, 7200, 18000, 36000, 36000]

    public init(schedule: [Double] = RetryPolicy.defaultSchedule, jitter: Double = 0.1, maxRetryAfter: Double = 86_400)
    {
        self.schedule = schedule
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
    }

    /// Parses `5,300,1800`: positive numbers of seconds.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(Double.init)
        guard !parts.isEmpty, values.count == parts.count, values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw RetryPolicyError(
                description:
                    "BRIEFD_WEBHOOK_RETRY_SCHEDULE must be positive seconds separated by commas, like 5,300,1800")
        }
        self.init(schedule: values)
    }

    /// The verdict after attempt number `attempt` (1-based, within the current cycle) answered `status`
    /// (nil for a network error) with an optional `Retry-After` header value.
    public func verdict(
        attempt: Int, status: Int?, retryAfter: String?, now: Date = Date(),
        random: Double = Double.random(in: -1...1)
    ) -> AttemptResult {
        if let status, (200..<300).contains(status) { return .succeeded }
        if status == 410 { return .failed(.gone) }
        guard attempt >= 1, attempt <= schedule.count else { return .failed(.exhausted) }
        var delay = schedule[attempt - 1] * (1 + jitter * random)
        if let hinted = Self.retryAfterSeconds(retryAfter, now: now) { delay = max(delay, min(hinted, maxRetryAfter)) }
        return .failed(.retry(afterSeconds: max(0, delay)))
    }

    /// `Retry-After` as seconds: a number of seconds or an HTTP date.
    public static func retryAfterSeconds(_ value: String?, now: Date) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let n = Double(value), n.isFinite, n >= 0 { return n }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = f.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

public struct RetryPolicyError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
