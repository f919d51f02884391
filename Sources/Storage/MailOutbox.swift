import Crypto
import Foundation
import Logging
import PostgresNIO
import Workflow

/// One email of the mail outbox (migration 0018), as the mailer claims it.
public struct OutgoingEmail: Sendable, Hashable {
    /// What it is: `notification`, `invitation`, `password_reset` or `digest`.
    public var kind: String
    public var id: UUID
    public var userID: UUID?
    /// The project whose thread it joins.
    public var projectID: UUID?
    public var to: String
    /// `en` or `fr`.
    public var locale: String
    /// What it says: titles, names, the path of the page to act on (strings or null).
    public var content: [String: String]
    /// Attempts before this one.
    public var attempts: Int
    public var createdAt: Date
    /// The claim's lease: settling needs it.
    public var lease: UUID
}

/// How one attempt ended, for the outbox.
public enum EmailSettlement: Sendable, Hashable {
    case sent
    /// Refused for good (a 5xx for its recipient), or given up after the last retry.
    case failed(String)
    /// Tried again at this time.
    case retry(at: Date, String)
}

/// The mail outbox: emails are written in the transaction that causes them (`briefd_notify` for notifications,
/// `insertInvitation`, `insertPasswordReset`), claimed by the mailer with `FOR UPDATE SKIP LOCKED` under a lease,
/// sent outside any transaction, and settled only by the holder of the lease. A daemon killed while sending loses
/// nothing: the lease runs out and another mailer sends the email again, with the same Message-ID.
public struct MailOutbox: Sendable {
    let db: Database
    public init(db: Database) { self.db = db }

    /// The content keys that hold a secret (a link with a token): removed once the email is settled.
    static let secretKeys = ["secret_path"]

    /// Claims up to `limit` due emails, oldest first, for `lease`.
    public func claim(limit: Int, lease: Duration) async throws -> [OutgoingEmail] {
        let token = UUID()
        let seconds = Double(lease.components.seconds)
        return try await db.write(
            """
            UPDATE email_outbox e SET lease_token = \(token),
                next_attempt_at = now() + make_interval(secs => \(seconds))
            WHERE e.id IN (SELECT id FROM email_outbox WHERE status = 'pending' AND next_attempt_at <= now()
                           ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING e.kind, e.id, e.user_id, e.project_id, e.to_address, e.locale, e.content::text, e.attempts,
                      e.created_at
            """
        ).map { row in
            let r = try row.decode((String, UUID, UUID?, UUID?, String, String, String, Int, Date).self)
            return OutgoingEmail(
                kind: r.0, id: r.1, userID: r.2, projectID: r.3, to: r.4, locale: r.5, content: Self.strings(r.6),
                attempts: r.7, createdAt: r.8, lease: token)
        }
    }

    /// The content's strings (nulls and other values left out).
    static func strings(_ json: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return [:]
        }
        return object.compactMapValues { $0 as? String }
    }

    /// Records an attempt and its consequence, if `email` still holds its lease. Returns whether it did.
    @discardableResult
    public func settle(_ email: OutgoingEmail, _ settlement: EmailSettlement) async throws -> Bool {
        let (outcome, detail): (String, String?)
        let status: String
        let retryAt: Date?
        switch settlement {
        case .sent: (outcome, detail, status, retryAt) = ("sent", nil, "sent", nil)
        case .failed(let why): (outcome, detail, status, retryAt) = ("refused", why, "failed", nil)
        case .retry(let at, let why): (outcome, detail, status, retryAt) = ("deferred", why, "pending", at)
        }
        let secrets = Self.secretKeys
        return try await db.transaction { [logger = db.logger] conn in
            let rows = try await conn.query(
                """
                UPDATE email_outbox SET status = \(status), attempts = attempts + 1, last_error = \(detail),
                    next_attempt_at = COALESCE(\(retryAt), next_attempt_at), lease_token = NULL,
                    settled_at = CASE WHEN \(status) = 'pending' THEN NULL ELSE now() END,
                    content = CASE WHEN \(status) = 'pending' THEN content ELSE content - \(secrets)::text[] END
                WHERE id = \(email.id) AND lease_token = \(email.lease) AND status = 'pending'
                RETURNING id
                """, logger: logger
            ).collect()
            guard !rows.isEmpty else { return false }
            try await conn.query(
                """
                INSERT INTO email_attempts (email_id, attempted_at, outcome, detail)
                VALUES (\(email.id), now(), \(outcome), \(detail))
                """, logger: logger
            ).run()
            return true
        }
    }

    /// The age of the oldest email still waiting to be sent, in seconds (0 when none waits).
    public func oldestPendingAge() async throws -> Double {
        try await db.rows(
            """
            SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 FROM email_outbox
            WHERE status = 'pending'
            """
        ).first?.decode(Double.self) ?? 0
    }

    /// Seconds until the next email is due (nil when none waits), so the mailer sleeps no longer than that.
    public func untilNextDue() async throws -> Double? {
        try await db.rows(
            """
            SELECT GREATEST(EXTRACT(EPOCH FROM min(next_attempt_at) - now()), 0)::float8 FROM email_outbox
            WHERE status = 'pending'
            """
        ).first?.decode(Double?.self)
    }

    /// Writes an email in the caller's transaction.
    static func insert(
        _ conn: PostgresConnection, kind: String, userID: UUID?, projectID: UUID? = nil, to: String, locale: String,
        content: [String: String?], logger: Logger
    ) async throws {
        let object = content.mapValues { value -> Any in value ?? NSNull() }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        try await conn.query(
            """
            INSERT INTO email_outbox (id, kind, user_id, project_id, to_address, locale, content, next_attempt_at,
                                      created_at)
            VALUES (\(UUID.v7(now: Date())), \(kind), \(userID), \(projectID), \(to), \(locale), \(json)::jsonb, now(),
                    now())
            """, logger: logger
        ).run()
    }
}

/// The one-click unsubscribe link of a person's emails (RFC 8058): the person's id and an HMAC of it under a key
/// derived from the daemon's secret key, so the link needs no stored state and no sign-in, and cannot be made for
/// another person.
public struct UnsubscribeTokens: Sendable {
    private let key: SymmetricKey

    public init(secretKey: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secretKey.utf8)), info: Data("briefd unsubscribe v1".utf8),
            outputByteCount: 32)
    }

    /// The token for `userID`: base64url of the id's 16 bytes and the first 16 bytes of the HMAC.
    public func token(for userID: UUID) -> String {
        let id = Self.bytes(userID)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: id, using: key)).prefix(16)
        return Data(id + mac).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The person a token names, or nil for a token this daemon did not make.
    public func userID(from token: String) -> UUID? {
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard token.count <= 64, let data = Data(base64Encoded: b64), data.count == 32 else { return nil }
        let bytes = Array(data)
        let id = Array(bytes[0..<16])
        let mac = Array(HMAC<SHA256>.authenticationCode(for: id, using: key)).prefix(16)
        // Constant time: every byte is compared.
        guard zip(mac, bytes[16...]).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return UUID(
            uuid: (
                id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11],
                id[12], id[13], id[14], id[15]
            ))
    }

    static func bytes(_ id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }
}
