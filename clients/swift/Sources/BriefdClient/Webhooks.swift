import Crypto
import Foundation

/// Verifies briefd's webhooks as Standard Webhooks defines them: the signature is HMAC-SHA256 over
/// `<webhook-id>.<webhook-timestamp>.<body>` with the endpoint's `whsec_` secret, sent as `v1,<base64>` in
/// `webhook-signature` (several, space-separated, while a secret is rotated); the timestamp must be within
/// `tolerance` of now, so a captured delivery cannot be replayed later.
public struct WebhookVerifier: Sendable {
    /// Why a delivery is refused.
    public enum Failure: Error, Sendable, Hashable {
        case malformedSecret
        case missingHeader(String)
        case staleTimestamp
        case noMatchingSignature
    }

    let key: SymmetricKey
    public var tolerance: TimeInterval

    /// `secret`: the endpoint's `whsec_…` secret, as `POST /v1/webhook-endpoints` returned it.
    public init(secret: String, tolerance: TimeInterval = 300) throws {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let raw = Data(base64Encoded: encoded), !raw.isEmpty else { throw Failure.malformedSecret }
        key = SymmetricKey(data: raw)
        self.tolerance = tolerance
    }

    /// The delivery's payload when its signature holds, decoded into the document's `WebhookPayload` (one case per
    /// event type). `headers`: the request's headers, any case.
    public func verify(headers: [String: String], body: [UInt8], now: Date = Date()) throws
        -> Components.Schemas.WebhookPayload
    {
        try verifySignature(headers: headers, body: body, now: now)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { d in
            let text = try d.singleValueContainer().decode(String.self)
            guard let date = Self.date(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: d.codingPath, debugDescription: "not RFC 3339"))
            }
            return date
        }
        return try decoder.decode(Components.Schemas.WebhookPayload.self, from: Data(body))
    }

    /// Checks the signature and the timestamp only.
    public func verifySignature(headers: [String: String], body: [UInt8], now: Date = Date()) throws {
        let h = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let id = h["webhook-id"] else { throw Failure.missingHeader("webhook-id") }
        guard let ts = h["webhook-timestamp"], let seconds = Int(ts) else {
            throw Failure.missingHeader("webhook-timestamp")
        }
        guard let signatures = h["webhook-signature"] else { throw Failure.missingHeader("webhook-signature") }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { throw Failure.staleTimestamp }
        let signed = Array("\(id).\(seconds).".utf8) + body
        let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: key))
        for candidate in signatures.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let given = Data(base64Encoded: String(parts[1])) else {
                continue
            }
            // Constant time: every byte is compared whatever the first difference.
            if given.count == expected.count && zip(given, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 {
                return
            }
        }
        throw Failure.noMatchingSignature
    }

    static func date(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
