import Foundation
import Synchronization

/// A token bucket per key (an API key's id, a client address), in this daemon's memory: `rate` requests per second
/// on average, bursts up to `burst`. With several daemons each applies its own limit.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let rate: Double
    public let burst: Double
    /// What a bucket belongs to.
    enum Key: Hashable, Sendable {
        case id(UUID)
        case text(String)
    }

    private let buckets = Mutex<[Key: Bucket]>([:])

    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(burst, 1)
    }

    /// Takes one token for `key`; returns nil when allowed, or the seconds until a token is available.
    public func take(_ key: UUID, now: ContinuousClock.Instant = .now) -> Double? {
        spend(.id(key), now: now, consume: true)
    }

    /// Takes one token for the text key `key` (a client address).
    public func take(_ key: String, now: ContinuousClock.Instant = .now) -> Double? {
        spend(.text(key), now: now, consume: true)
    }

    /// The seconds until the text key `key` has a token again, or nil when it has one; takes nothing.
    public func wait(_ key: String, now: ContinuousClock.Instant = .now) -> Double? {
        spend(.text(key), now: now, consume: false)
    }

    private func spend(_ key: Key, now: ContinuousClock.Instant, consume: Bool) -> Double? {
        buckets.withLock { buckets in
            // Bounded memory: past 100,000 keys, every key starts again with a full bucket.
            if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
            var b = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed =
                Double((now - b.updated).components.attoseconds) / 1e18 + Double((now - b.updated).components.seconds)
            b.tokens = min(burst, b.tokens + elapsed * rate)
            b.updated = now
            defer { buckets[key] = b }
            if b.tokens >= 1 {
                if consume { b.tokens -= 1 }
                return nil
            }
            return (1 - b.tokens) / rate
        }
    }
}
