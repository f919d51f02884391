import Crypto
import Foundation
import Logging
import PostgresNIO

/// What an `Idempotency-Key` lookup found.
public enum IdempotencyOutcome: Sendable, Equatable {
    /// The key is new: this request runs and its response is kept.
    case reserved(IdempotencyClaim)
    /// The key was used with the same request: answer with the first response.
    case replay(StoredResponse)
    /// The key was used with another request.
    case reused
    /// The first request with this key is still running.
    case inProgress
}

/// Idempotency keys: the first response to a key is kept and replayed.
public struct IdempotencyStore: Sendable {
    let db: Database
    /// A reservation whose request never finished (a crashed daemon) may be taken over after this long.
    public static let staleAfterSeconds = 60

    public init(db: Database) { self.db = db }

    /// The fingerprint of a request: method, path and body.
    public static func fingerprint(method: String, path: String, body: [UInt8]) -> Data {
        var h = SHA256()
        h.update(data: Data("\(method) \(path)\n".utf8))
        h.update(data: body)
        return Data(h.finalize())
    }

    /// Reserves `key` in `scope` for a request with `fingerprint`, or reports an earlier use.
    public func reserve(scope: String, key: String, fingerprint: Data) async throws -> IdempotencyOutcome {
        let claim = IdempotencyClaim(scope: scope, key: key)
        let inserted = try await db.write(
            """
            INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (\(scope), \(key), \(fingerprint))
            ON CONFLICT (scope, key) DO UPDATE SET created_at = now()
                WHERE idempotency_keys.status IS NULL AND idempotency_keys.request_hash = excluded.request_hash
                  AND idempotency_keys.created_at < now() - make_interval(secs => \(Self.staleAfterSeconds))
            RETURNING 1
            """)
        for _ in inserted { return .reserved(claim) }
        let rows = try await db.rows(
            """
            SELECT request_hash, status, headers::text, body, sealed FROM idempotency_keys WHERE scope = \(scope)
                AND key = \(key)
            """)
        for row in rows {
            let (hash, status, headers, body, sealed) = try row.decode((Data, Int?, String?, Data?, Bool).self)
            guard hash == fingerprint else { return .reused }
            guard let status else { return .inProgress }
            let h = (try? JSONDecoder().decode([String: String].self, from: Data((headers ?? "{}").utf8))) ?? [:]
            return .replay(StoredResponse(status: status, headers: h, body: [UInt8](body ?? Data()), sealed: sealed))
        }
        // Deleted in between (a released reservation): try once more.
        return try await reserve(scope: scope, key: key, fingerprint: fingerprint)
    }

    /// Keeps the response of a reserved key (outside a transition's transaction).
    public func complete(_ claim: IdempotencyClaim, _ response: StoredResponse) async throws {
        try await db.transaction { conn in try await Self.complete(conn, claim, response, logger: db.logger) }
    }

    /// Releases a reservation whose request failed unexpectedly, so a retry runs again.
    public func release(_ claim: IdempotencyClaim) async throws {
        _ = try await db.write(
            "DELETE FROM idempotency_keys WHERE scope = \(claim.scope) AND key = \(claim.key) AND status IS NULL")
    }

    static func complete(
        _ conn: PostgresConnection, _ claim: IdempotencyClaim, _ response: StoredResponse, logger: Logger
    ) async throws {
        let headers = String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self)
        try await conn.query(
            """
            UPDATE idempotency_keys SET status = \(response.status), headers = \(headers)::jsonb,
                body = \(Data(response.body)), sealed = \(response.sealed)
            WHERE scope = \(claim.scope) AND key = \(claim.key)
            """, logger: logger
        ).run()
    }
}
