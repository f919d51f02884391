import Crypto
import Foundation

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

/// Seals webhook secrets at rest with AES-GCM under a key derived from `BRIEFD_SECRET_KEY`.
public struct SecretBox: Sendable {
    private let key: SymmetricKey
    /// A second key from the same secret, for kept responses that carry a secret (domain-separated by HKDF info).
    private let responseKey: SymmetricKey

    /// Derives the sealing key from the configured secret (any string of at least 32 characters) with HKDF-SHA256.
    public init(secretKey: String) throws {
        guard secretKey.utf8.count >= 32 else {
            throw SecretBoxError(description: "BRIEFD_SECRET_KEY must be at least 32 characters")
        }
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secretKey.utf8)), salt: Data("briefd".utf8),
            info: Data("webhook secrets v1".utf8), outputByteCount: 32)
        responseKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secretKey.utf8)), salt: Data("briefd".utf8),
            info: Data("kept responses v1".utf8), outputByteCount: 32)
    }

    /// Seals a response body that carries a secret, to keep it for an `Idempotency-Key` replay.
    public func sealResponse(_ body: [UInt8]) throws -> [UInt8] {
        Array(try AES.GCM.seal(body, using: responseKey).combined!)
    }

    /// Opens a body sealed by ``sealResponse(_:)``; fails when the secret key has changed since.
    public func openResponse(_ sealed: [UInt8]) throws -> [UInt8] {
        Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: responseKey))
    }

    /// Nonce, ciphertext and tag in one blob.
    public func seal(_ secret: WebhookSecret) throws -> [UInt8] {
        Array(try AES.GCM.seal(secret.key, using: key).combined!)
    }

    public func open(_ sealed: [UInt8]) throws -> WebhookSecret {
        WebhookSecret(key: Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)))
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
