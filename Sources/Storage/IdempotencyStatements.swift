import Foundation
import PostgresNIO

// The statements of idempotency keys (`IdempotencyStore`), typed and prepared like the hot path's.
extension IdempotencyStore {
    /// Reserves a key, or takes over a reservation of the same request that went stale (a crashed daemon's).
    struct Reserve: PostgresPreparedStatement {
        static let name = "briefd_idempotency_reserve"
        static let sql = """
            INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1::text, $2::text, $3::bytea)
            ON CONFLICT (scope, key) DO UPDATE SET created_at = now()
                WHERE idempotency_keys.status IS NULL AND idempotency_keys.request_hash = excluded.request_hash
                  AND idempotency_keys.created_at < now() - make_interval(secs => $4::int)
            RETURNING 1
            """
        typealias Row = Int
        var scope: String
        var key: String
        var fingerprint: Data
        var staleAfterSeconds: Int

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 4)
            b.append(scope)
            b.append(key)
            try b.append(fingerprint)
            b.append(staleAfterSeconds)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
    }

    /// What an earlier request with the key left: its fingerprint and, once it answered, the answer.
    struct Lookup: PostgresPreparedStatement {
        static let name = "briefd_idempotency_lookup"
        static let sql = """
            SELECT request_hash, status, headers::text, body, sealed FROM idempotency_keys
            WHERE scope = $1::text AND key = $2::text
            """
        typealias Row = (fingerprint: Data, answer: StoredResponse?)
        var scope: String
        var key: String

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(scope)
            b.append(key)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (hash, status, headers, body, sealed) = try row.decode((Data, Int?, String?, Data?, Bool).self)
            guard let status else { return (hash, nil) }
            let h = (try? JSONDecoder().decode([String: String].self, from: Data((headers ?? "{}").utf8))) ?? [:]
            return (hash, StoredResponse(status: status, headers: h, body: [UInt8](body ?? Data()), sealed: sealed))
        }
    }

    /// Keeps the answer of a reserved key.
    struct Complete: PostgresPreparedStatement {
        static let name = "briefd_idempotency_complete"
        static let sql = """
            UPDATE idempotency_keys SET status = $3::int, headers = $4::text::jsonb, body = $5::bytea, sealed = $6::bool
            WHERE scope = $1::text AND key = $2::text
            """
        typealias Row = Void
        var claim: IdempotencyClaim
        var response: StoredResponse

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 6)
            b.append(claim.scope)
            b.append(claim.key)
            b.append(response.status)
            b.append(String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self))
            try b.append(Data(response.body))
            b.append(response.sealed)
            return b
        }
    }

    /// Releases a reservation that has no answer yet.
    struct Release: PostgresPreparedStatement {
        static let name = "briefd_idempotency_release"
        static let sql = "DELETE FROM idempotency_keys WHERE scope = $1::text AND key = $2::text AND status IS NULL"
        typealias Row = Void
        var claim: IdempotencyClaim

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(claim.scope)
            b.append(claim.key)
            return b
        }
    }
}
