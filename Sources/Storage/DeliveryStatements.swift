import Foundation
import PostgresNIO

// The statements of a failed attempt's transaction (`DeliveryQueue.record`), typed and prepared like the hot path's.
extension DeliveryQueue {
    /// Locks the delivery if this dispatcher still holds its lease.
    struct LockLeased: PostgresPreparedStatement {
        static let name = "briefd_delivery_lock_leased"
        static let sql = "SELECT 1 FROM webhook_deliveries WHERE id = $1::uuid AND lease_token = $2::uuid FOR UPDATE"
        typealias Row = Int
        var id: UUID
        var leaseToken: UUID

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(id)
            b.append(leaseToken)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
    }

    /// Locks the endpoint and reads its health, what the delivery policy decides on.
    struct EndpointHealthLocked: PostgresPreparedStatement {
        static let name = "briefd_endpoint_health_locked"
        static let sql = """
            SELECT EXTRACT(EPOCH FROM now() - failing_since)::float8, consecutive_failures
            FROM webhook_endpoints WHERE id = $1::uuid FOR UPDATE
            """
        typealias Row = EndpointHealth
        var endpointID: UUID

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 1)
            b.append(endpointID)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (failingFor, failures) = try row.decode((Double?, Int).self)
            return EndpointHealth(failingForSeconds: failingFor, consecutiveFailures: failures)
        }
    }

    struct InsertAttempt: PostgresPreparedStatement {
        static let name = "briefd_insert_attempt"
        static let sql = """
            INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, error, response_body)
            VALUES ($1::uuid, $2::timestamptz, $3::int8, $4::int8, $5::text, $6::text)
            """
        typealias Row = Void
        var deliveryID: UUID
        var attempt: AttemptRecord

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 6)
            b.append(deliveryID)
            b.append(attempt.attemptedAt)
            try b.append(optional: attempt.statusCode)
            b.append(attempt.latencyMs)
            try b.append(optional: attempt.error)
            try b.append(optional: attempt.responseBody)
            return b
        }
    }

    /// The delivery after a failed attempt: pending again from `$3` (NULL keeps its due time), or failed.
    struct RecordFailure: PostgresPreparedStatement {
        static let name = "briefd_record_failure"
        static let sql = """
            UPDATE webhook_deliveries SET status = $2::text, lease_token = NULL,
                next_attempt_at = COALESCE($3::timestamptz, next_attempt_at), attempts = attempts + 1,
                cycle_attempts = cycle_attempts + 1, last_status_code = $4::int8, last_error = $5::text,
                completed_at = CASE WHEN $2::text = 'pending' THEN NULL ELSE now() END
            WHERE id = $1::uuid
            """
        typealias Row = Void
        var deliveryID: UUID
        var status: String
        var next: Date?
        var attempt: AttemptRecord

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 5)
            b.append(deliveryID)
            b.append(status)
            try b.append(optional: next)
            try b.append(optional: attempt.statusCode)
            try b.append(optional: attempt.error)
            return b
        }
    }

    /// One more failure in a row; the claim leaves the endpoint out until `paused_until` (0003_endpoint_pause.sql).
    struct PauseEndpoint: PostgresPreparedStatement {
        static let name = "briefd_pause_endpoint"
        static let sql = """
            UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, now()),
                consecutive_failures = consecutive_failures + 1,
                paused_until = now() + make_interval(secs => $2::float8)
            WHERE id = $1::uuid
            """
        typealias Row = Void
        var endpointID: UUID
        var seconds: Double

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(endpointID)
            b.append(seconds)
            return b
        }
    }

    /// Disables an enabled endpoint, answering its organization (none when it was disabled already).
    struct DisableEndpoint: PostgresPreparedStatement {
        static let name = "briefd_disable_endpoint"
        static let sql = """
            UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2::text, updated_at = now()
            WHERE id = $1::uuid AND enabled RETURNING organization_id
            """
        typealias Row = UUID
        var endpointID: UUID
        var reason: String

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 2)
            b.append(endpointID)
            b.append(reason)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(UUID.self) }
    }
}
