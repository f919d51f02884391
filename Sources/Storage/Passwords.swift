import Crypto
import Foundation
import NIOPosix
import _CryptoExtras

/// Passwords hashed with scrypt (swift-crypto's `KDF.Scrypt`, already in the build through PostgresNIO), stored
/// self-describing — `scrypt$ln=15,r=8,p=1$<salt>$<hash>`, base64 — so the cost can rise: a hash of a lower cost
/// still verifies, and is replaced at the next sign-in (``needsRehash(_:)``). docs/people.md says why scrypt.
///
/// The derivation takes tens of milliseconds and 32 MiB: it runs on threads of its own, never on an event loop.
public struct PasswordHasher: Sendable {
    /// log2 of scrypt's N (CPU and memory cost).
    public var logN: Int
    /// Block size.
    public var r: Int
    /// Parallelism.
    public var p: Int

    public init(logN: Int = 15, r: Int = 8, p: Int = 1) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// Passwords shorter than this are refused (422 on `password`).
    public static let minimumLength = 12
    /// Longer passwords are refused before any hashing (a megabyte-long password is work, not entropy).
    public static let maximumLength = 256

    /// Why `password` cannot be set, or nil when it can.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.utf8.count > maximumLength { return "must be at most \(maximumLength) bytes" }
        return nil
    }

    /// The stored form of `password`, with a new random salt.
    public func hash(_ password: String) async throws -> String {
        var rng = SystemRandomNumberGenerator()
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let derived = try await derive(password, salt: salt, logN: logN, r: r, p: p)
        return "scrypt$ln=\(logN),r=\(r),p=\(p)$\(salt.base64EncodedString())$\(derived.base64EncodedString())"
    }

    /// Whether `password` matches `stored`. With no stored hash (an unknown email, a person without a password)
    /// a dummy of the same cost is derived and the answer is false: the caller cannot tell the two apart by time.
    public func verify(_ password: String, against stored: String?) async throws -> Bool {
        guard password.utf8.count <= Self.maximumLength else { return false }
        guard let stored, let parsed = Parsed(stored), parsed.logN <= 20, parsed.r <= 32, parsed.p <= 16 else {
            _ = try await derive(password, salt: Data(count: 16), logN: logN, r: r, p: p)
            return false
        }
        let derived = try await derive(password, salt: parsed.salt, logN: parsed.logN, r: parsed.r, p: parsed.p)
        return derived.count == parsed.hash.count
            && zip(derived, parsed.hash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether `stored` was hashed at a lower cost than this hasher's (rehash it at the next sign-in).
    public func needsRehash(_ stored: String) -> Bool {
        guard let parsed = Parsed(stored) else { return true }
        return parsed.logN < logN || parsed.r < r || parsed.p < p
    }

    private func derive(_ password: String, salt: Data, logN: Int, r: Int, p: Int) async throws -> Data {
        try await Self.threads.runIfActive {
            let key = try KDF.Scrypt.deriveKey(
                from: Data(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << logN, blockSize: r,
                parallelism: p)
            return key.withUnsafeBytes { Data($0) }
        }
    }

    /// Threads for key derivation only, started once for the process: two at once bounds the memory
    /// (2 × 32 MiB) and leaves the event loops their cores; more sign-ins wait their turn.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// A stored hash's parts.
    struct Parsed {
        var logN: Int
        var r: Int
        var p: Int
        var salt: Data
        var hash: Data

        init?(_ stored: String) {
            let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == "scrypt" else { return nil }
            var values: [Substring: Int] = [:]
            for pair in parts[1].split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, let n = Int(kv[1]), n > 0 else { return nil }
                values[kv[0]] = n
            }
            guard let logN = values["ln"], let r = values["r"], let p = values["p"],
                let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])),
                !hash.isEmpty
            else { return nil }
            (self.logN, self.r, self.p, self.salt, self.hash) = (logN, r, p, salt, hash)
        }
    }
}
