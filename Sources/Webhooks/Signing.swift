import Crypto
import Foundation
import Storage

/// A Standard Webhooks secret: `whsec_` followed by the base64 of the signing key.
public struct WebhookSecret: Sendable, Hashable {
    public static let prefix = "whsec_"
    /// The raw HMAC key.
    public let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// A new random 32-byte secret.
    public static func generate() -> WebhookSecret {
        var rng = SystemRandomNumberGenerator()
        return WebhookSecret(key: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    /// Parses `whsec_<base64>` (or bare base64, as the reference libraries accept).
    public init?(_ text: String) {
        let b64 = text.hasPrefix(Self.prefix) ? String(text.dropFirst(Self.prefix.count)) : text
        guard let data = Data(base64Encoded: b64), !data.isEmpty else { return nil }
        key = Array(data)
    }

    /// The form shown to the endpoint's owner, once.
    public var text: String { Self.prefix + Data(key).base64EncodedString() }
}

/// Signs and verifies webhook messages exactly as the Standard Webhooks specification says:
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, space-separated when several secrets sign.
public enum WebhookSigner {
    /// The signature of one message with one secret, without the `v1,` prefix.
    public static func signature(id: String, timestamp: Int, body: [UInt8], secret: WebhookSecret) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: secret.key))
        mac.update(data: Data("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return Data(mac.finalize()).base64EncodedString()
    }

    /// The `webhook-signature` header value: one `v1,` signature per secret (current first).
    public static func header(id: String, timestamp: Int, body: [UInt8], secrets: [WebhookSecret]) -> String {
        secrets.map { "v1," + signature(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }

    /// Whether `header` carries a valid `v1` signature by `secret`, compared in constant time, and the
    /// timestamp is within `tolerance` seconds of `now`.
    public static func verify(
        id: String, timestamp: Int, body: [UInt8], header: String, secret: WebhookSecret,
        now: Date = Date(), tolerance: TimeInterval = 300
    ) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        var mac = HMAC<SHA256>(key: SymmetricKey(data: secret.key))
        mac.update(data: Data("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        let expected = mac.finalize()
        for part in header.split(separator: " ") {
            let pieces = part.split(separator: ",", maxSplits: 1)
            guard pieces.count == 2, pieces[0] == "v1", let sig = Data(base64Encoded: String(pieces[1])) else {
                continue
            }
            if constantTimeEqual(Array(expected), Array(sig)) { return true }
        }
        return false
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

/// Seals webhook secrets at rest with AES-GCM under a key derived from `BRIEFD_SECRET_KEY`, and opens what the
/// previous keys sealed (`BRIEFD_PREVIOUS_SECRET_KEYS`), so a key can be changed without stopping delivery.
///
/// A sealed value is `bk2` (3 bytes), the sealing key's id (8 bytes: HKDF of the secret, never the key), then AES-GCM's
/// nonce, ciphertext and tag. Values sealed before key ids (no marker) are opened by trying each key in turn.
public struct SecretBox: Sendable {
    /// One configured secret's derived keys.
    struct Keys: Sendable {
        let id: [UInt8]
        let secrets: SymmetricKey
        /// A second key from the same secret, for kept responses that carry a secret (domain-separated by HKDF info).
        let responses: SymmetricKey

        init(_ secretKey: String) {
            let material = SymmetricKey(data: Data(secretKey.utf8))
            func derive(_ info: String, _ count: Int) -> SymmetricKey {
                HKDF<SHA256>.deriveKey(
                    inputKeyMaterial: material, salt: Data("briefd".utf8), info: Data(info.utf8),
                    outputByteCount: count)
            }
            secrets = derive("webhook secrets v1", 32)
            responses = derive("kept responses v1", 32)
            id = derive("key id v1", 8).withUnsafeBytes { Array($0) }
        }
    }

    static let marker: [UInt8] = Array("bk2".utf8)
    /// The key that seals, first; then the previous ones, which only open.
    let keyring: [Keys]

    /// Derives the keys from the configured secret and the previous ones (any strings of at least 32 characters)
    /// with HKDF-SHA256.
    public init(secretKey: String, previousKeys: [String] = []) throws {
        for key in [secretKey] + previousKeys where key.utf8.count < 32 {
            throw SecretBoxError(
                description: "BRIEFD_SECRET_KEY and each of BRIEFD_PREVIOUS_SECRET_KEYS must be at least 32 characters")
        }
        keyring = ([secretKey] + previousKeys).map(Keys.init)
    }

    /// Seals a response body that carries a secret, to keep it for an `Idempotency-Key` replay.
    public func sealResponse(_ body: [UInt8]) throws -> [UInt8] {
        try Self.seal(body, keyring[0], \.responses)
    }

    /// Opens a body sealed by ``sealResponse(_:)``; fails when no configured key sealed it.
    public func openResponse(_ sealed: [UInt8]) throws -> [UInt8] {
        try open(sealed, \.responses).plain
    }

    /// Seals a webhook secret under the current key.
    public func seal(_ secret: WebhookSecret) throws -> [UInt8] {
        try Self.seal(secret.key, keyring[0], \.secrets)
    }

    public func open(_ sealed: [UInt8]) throws -> WebhookSecret {
        WebhookSecret(key: try open(sealed, \.secrets).plain)
    }

    /// Opens `sealed`; `current` is false when a previous key (or the format before key ids) sealed it, so the
    /// caller seals it again under the current key.
    public func openForReseal(_ sealed: [UInt8]) throws -> (secret: WebhookSecret, current: Bool) {
        let (plain, current) = try open(sealed, \.secrets)
        return (WebhookSecret(key: plain), current)
    }

    static func seal(_ plain: [UInt8], _ keys: Keys, _ purpose: KeyPath<Keys, SymmetricKey>) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(plain, using: keys[keyPath: purpose]).combined else {
            throw SecretBoxError(description: "AES-GCM gave no combined box")
        }
        return marker + keys.id + Array(combined)
    }

    private func open(_ sealed: [UInt8], _ purpose: KeyPath<Keys, SymmetricKey>) throws -> (
        plain: [UInt8], current: Bool
    ) {
        let head = Self.marker.count + 8
        if sealed.count > head, Array(sealed.prefix(Self.marker.count)) == Self.marker {
            let id = Array(sealed[Self.marker.count..<head])
            if let index = keyring.firstIndex(where: { $0.id == id }),
                let box = try? AES.GCM.SealedBox(combined: sealed[head...]),
                let plain = try? AES.GCM.open(box, using: keyring[index][keyPath: purpose])
            {
                return (Array(plain), index == 0)
            }
        }
        // Sealed before key ids: whichever key opens it (a nonce that happens to begin with the marker lands here).
        let box = try AES.GCM.SealedBox(combined: sealed)
        for keys in keyring {
            if let plain = try? AES.GCM.open(box, using: keys[keyPath: purpose]) { return (Array(plain), false) }
        }
        throw SecretBoxError(description: "no configured secret key opens this value")
    }

    /// A new random key for development, printable.
    public static func generateKey() -> String {
        var rng = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString()
    }
}

public struct SecretBoxError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// `briefd reseal`: every endpoint secret sealed under a previous key (or before key ids), sealed again under the
/// current one, so the previous keys can be dropped from `BRIEFD_PREVIOUS_SECRET_KEYS`.
public enum Resealer {
    /// What a run found: secrets sealed again, secrets already under the current key, and secrets no configured key
    /// opens (their endpoints cannot sign until their secret is rotated).
    public struct Counts: Sendable, Equatable {
        public var resealed = 0
        public var current = 0
        public var unreadable = 0

        public init(resealed: Int = 0, current: Int = 0, unreadable: Int = 0) {
            self.resealed = resealed
            self.current = current
            self.unreadable = unreadable
        }
    }

    public static func run(_ endpoints: EndpointStore, box: SecretBox) async throws -> Counts {
        var counts = Counts()
        for row in try await endpoints.sealedSecrets() {
            for (sealed, previous) in [(row.secret, false), (row.previous, true)] {
                guard let sealed else { continue }
                guard let (secret, current) = try? box.openForReseal(sealed) else {
                    counts.unreadable += 1
                    continue
                }
                if current {
                    counts.current += 1
                    continue
                }
                try await endpoints.reseal(id: row.id, previous: previous, from: sealed, to: try box.seal(secret))
                counts.resealed += 1
            }
        }
        return counts
    }
}
