import Foundation
import Logging
import PostgresNIO
import Workflow

/// A delivery a dispatcher holds under a lease.
public struct ClaimedDelivery: Sendable {
    public var id: UUID
    public var leaseToken: UUID
    public var endpointID: UUID
    public var organizationID: UUID
    public var url: String
    public var secretSealed: [UInt8]
    /// The previous secret while a rotation is under way.
    public var previousSecretSealed: [UInt8]?
    public var eventID: UUID
    public var eventType: String
    public var occurredAt: Date
    /// The event's `data`, as JSON text.
    public var data: String
    /// Attempts since the last manual retry (the index into the retry schedule).
    public var cycleAttempts: Int
    /// Whether the endpoint's last attempt failed: the dispatcher then allows it one call at a time.
    public var endpointFailing: Bool = false
}

/// One recorded attempt.
public struct AttemptRecord: Sendable, Hashable {
    public var attemptedAt: Date
    public var statusCode: Int?
    public var latencyMs: Int
    public var error: String?
    public var responseBody: String?

    public init(attemptedAt: Date, statusCode: Int?, latencyMs: Int, error: String?, responseBody: String?) {
        self.attemptedAt = attemptedAt
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.error = error
        self.responseBody = responseBody
    }
}

/// A delivery as listed, with its attempts.
public struct DeliveryRecord: Sendable, Hashable {
    public var id: UUID
    public var endpointID: UUID
    public var eventID: UUID
    public var eventType: String
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var completedAt: Date?
    public var attemptLog: [AttemptRecord]
}

/// How an attempt ended (`RetryPolicy.verdict` decides it; pure, tested without I/O).
public enum AttemptResult: Sendable, Equatable {
    /// 2xx: done.
    case succeeded
    case failed(AttemptFailure)
}

/// What a failed attempt leads to.
public enum AttemptFailure: Sendable, Equatable {
    /// Try again after this many seconds.
    case retry(afterSeconds: Double)
    /// Out of attempts: the delivery stays visible as failed.
    case exhausted
    /// 410 Gone: the receiver asked never to be called again; the delivery fails and the endpoint is disabled.
    case gone
}

/// An endpoint's health as the delivery policy reads it, in a failed attempt's transaction.
public struct EndpointHealth: Sendable, Equatable {
    /// Seconds since the first failure of its current run of failures; nil when its last attempt succeeded.
    public var failingForSeconds: Double?
    /// Failed attempts in a row.
    public var consecutiveFailures: Int

    public init(failingForSeconds: Double?, consecutiveFailures: Int) {
        self.failingForSeconds = failingForSeconds
        self.consecutiveFailures = consecutiveFailures
    }
}

/// What a failed attempt leads to, as the delivery policy decides it and `DeliveryQueue.record` applies it.
/// (A success leads to one thing, written in batches: `recordSucceeded`.)
public struct FailedAttemptOutcome: Sendable, Equatable {
    /// The delivery's next step.
    public enum Delivery: Sendable, Equatable {
        /// Pending again, due after this many seconds.
        case retry(afterSeconds: Double)
        /// Failed for good (out of attempts, or 410 Gone): visible as failed until retried by hand.
        case failed
    }

    public var delivery: Delivery
    /// Pause the endpoint this long and count the failure (nil: neither, the endpoint is disabled anyway).
    public var pauseSeconds: Double?
    /// Disable the endpoint, saying why.
    public var disableReason: String?

    public init(delivery: Delivery, pauseSeconds: Double?, disableReason: String?) {
        self.delivery = delivery
        self.pauseSeconds = pauseSeconds
        self.disableReason = disableReason
    }
}

/// The webhook delivery queue: claims under a lease, attempts and their consequences (pausing and disabling
/// an endpoint), manual retry and replay, the backlog, and the wake-ups dispatchers wait on.
public struct DeliveryQueue: Sendable {
    let db: Database

    public init(db: Database) { self.db = db }

    // MARK: Dispatch

    /// Claims up to `limit` due deliveries of enabled endpoints (not in `excluding`) in one short transaction,
    /// leasing each by pushing its `next_attempt_at` `lease` into the future: if this dispatcher dies, the
    /// lease runs out and another takes the delivery over.
    public func claim(limit: Int, lease: Duration, excluding: [UUID]) async throws -> [ClaimedDelivery] {
        guard limit > 0 else { return [] }
        let rows = try await db.rows(
            Claim(excluding: excluding, limit: limit, leaseSeconds: Double(lease.nanoseconds) / 1e9))
        return rows.map { r in
            ClaimedDelivery(
                id: r.0, leaseToken: r.1, endpointID: r.2, organizationID: r.3, url: r.4, secretSealed: Array(r.5),
                previousSecretSealed: r.6.map(Array.init), eventID: r.7, eventType: r.8, occurredAt: r.9, data: r.10,
                cycleAttempts: r.11, endpointFailing: r.12 > 0)
        }
    }

    /// Claims and successes commit without waiting for the WAL flush (`synchronous_commit = off` for
    /// that statement's transaction only): losing one in a PostgreSQL crash means a delivery is claimed
    /// or sent again, which at-least-once delivery allows; transitions always wait for their flush.
    struct Claim: PostgresPreparedStatement {
        static let name = "briefd_claim_deliveries"
        static let sql = """
            WITH due AS (
                SELECT d.id FROM webhook_deliveries d
                JOIN webhook_endpoints w ON w.id = d.endpoint_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.enabled
                    AND d.endpoint_id <> ALL($1::uuid[])
                  AND (w.paused_until IS NULL OR w.paused_until <= now())
                  AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'  -- see `Claim`
                ORDER BY d.next_attempt_at
                LIMIT $2::int8
                FOR UPDATE OF d SKIP LOCKED
            ), leased AS (
                UPDATE webhook_deliveries d SET lease_token = gen_random_uuid(),
                    next_attempt_at = now() + make_interval(secs => $3::float8)
                FROM due WHERE d.id = due.id
                RETURNING d.id, d.lease_token, d.endpoint_id, d.event_id, d.cycle_attempts
            )
            SELECT l.id, l.lease_token, l.endpoint_id, w.organization_id, w.url, w.secret_sealed,
                   CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret_sealed END,
                   e.id, e.type, e.occurred_at, e.data::text, l.cycle_attempts, w.consecutive_failures
            FROM leased l JOIN webhook_endpoints w ON w.id = l.endpoint_id JOIN events e ON e.id = l.event_id
            """
        typealias Row = (UUID, UUID, UUID, UUID, String, Data, Data?, UUID, String, Date, String, Int, Int)
        var excluding: [UUID]
        var limit: Int
        var leaseSeconds: Double

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 3)
            b.append(excluding)
            b.append(limit)
            b.append(leaseSeconds)
            return b
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Gives a claimed delivery back at once, for another dispatcher (or this one) to take.
    public func release(_ delivery: ClaimedDelivery) async throws {
        _ = try await db.rows(
            """
            UPDATE webhook_deliveries SET lease_token = NULL, next_attempt_at = now()
            WHERE id = \(delivery.id) AND lease_token = \(delivery.leaseToken)
            """)
    }

    /// Records successful attempts, the common case, in one statement for the whole batch (one round trip
    /// and one commit, atomic on its own): check each lease, log the attempts, complete the deliveries, and
    /// note each endpoint's success (at most once a minute). A delivery whose lease was lost is skipped.
    public func recordSucceeded(_ batch: [(ClaimedDelivery, AttemptRecord)]) async throws {
        guard !batch.isEmpty else { return }
        try await db.rows(RecordSucceeded(batch: batch))
    }

    struct RecordSucceeded: PostgresPreparedStatement {
        static let name = "briefd_record_succeeded"
        static let sql = """
            WITH input AS (
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int8[], $5::int8[], $6::text[])
                    AS i(id, token, attempted_at, status_code, latency_ms, response_body)
                WHERE (SELECT set_config('synchronous_commit', 'off', true)) = 'off'  -- see `Claim`
            ), held AS (
                SELECT d.id, d.endpoint_id, i.attempted_at, i.status_code, i.latency_ms, NULLIF(i.response_body,
                    '') AS response_body
                FROM webhook_deliveries d JOIN input i ON i.id = d.id AND d.lease_token = i.token
                ORDER BY d.id FOR UPDATE OF d
            ), logged AS (
                INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, error, response_body)
                SELECT id, attempted_at, status_code, latency_ms, NULL, response_body FROM held
                RETURNING 1
            ), done AS (
                UPDATE webhook_deliveries d SET status = 'succeeded', lease_token = NULL, attempts = attempts + 1,
                    cycle_attempts = cycle_attempts + 1, last_status_code = held.status_code, last_error = NULL,
                        completed_at = now()
                FROM held WHERE d.id = held.id
                RETURNING d.endpoint_id
            )
            UPDATE webhook_endpoints w SET last_success_at = now(), failing_since = NULL, consecutive_failures = 0,
                paused_until = NULL
            FROM (SELECT DISTINCT endpoint_id FROM done) e WHERE w.id = e.endpoint_id
              AND (w.failing_since IS NOT NULL OR w.consecutive_failures > 0 OR w.last_success_at IS NULL
                   OR w.last_success_at < now() - interval '1 minute')
            """
        typealias Row = Void
        var batch: [(ClaimedDelivery, AttemptRecord)]

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 6)
            b.append(batch.map(\.0.id))
            b.append(batch.map(\.0.leaseToken))
            b.append(batch.map(\.1.attemptedAt))
            b.append(batch.map { $0.1.statusCode ?? 200 })
            b.append(batch.map(\.1.latencyMs))
            b.append(batch.map { $0.1.responseBody ?? "" })
            return b
        }
    }

    /// Records one failed attempt and its consequence in one transaction (successes are written in batches:
    /// `recordSucceeded`). `decide` is the delivery policy, given the endpoint's health as it is under the endpoint's
    /// row lock. Ignored when the lease was lost (another dispatcher took over), so a late answer never overwrites a
    /// newer state. Returns whether the endpoint was disabled by this attempt.
    @discardableResult
    public func record(
        _ delivery: ClaimedDelivery, attempt: AttemptRecord,
        decide: @escaping @Sendable (EndpointHealth) -> FailedAttemptOutcome
    ) async throws -> Bool {
        try await db.transaction { conn in
            let held = try await conn.rows(
                LockLeased(id: delivery.id, leaseToken: delivery.leaseToken), logger: db.logger)
            guard !held.isEmpty else { return false }
            let health =
                try await conn.rows(EndpointHealthLocked(endpointID: delivery.endpointID), logger: db.logger).first
                ?? EndpointHealth(failingForSeconds: nil, consecutiveFailures: 0)
            let outcome = decide(health)
            try await conn.rows(InsertAttempt(deliveryID: delivery.id, attempt: attempt), logger: db.logger)
            let (status, next): (String, Date?) =
                switch outcome.delivery {
                case .retry(let seconds): ("pending", Date().addingTimeInterval(seconds))
                case .failed: ("failed", nil)
                }
            try await conn.rows(
                RecordFailure(deliveryID: delivery.id, status: status, next: next, attempt: attempt), logger: db.logger)
            if let pause = outcome.pauseSeconds {
                try await conn.rows(PauseEndpoint(endpointID: delivery.endpointID, seconds: pause), logger: db.logger)
            }
            if let reason = outcome.disableReason {
                return try await disable(conn, endpointID: delivery.endpointID, reason: reason)
            }
            return false
        }
    }

    /// Disables an endpoint and tells its organization with a `webhook_endpoint.disabled` event.
    private func disable(_ conn: PostgresConnection, endpointID: UUID, reason: String) async throws -> Bool {
        let organization = try await conn.rows(
            DisableEndpoint(endpointID: endpointID, reason: reason), logger: db.logger
        ).first
        guard let organization else { return false }
        // No URL: it often carries the receiver's own token, and every key and receiver of the organization
        // reads this event. Admins read the endpoint itself.
        let data: JSONValue = .object(["endpoint_id": .id(endpointID), "reason": .string(reason)])
        let event = NewEvent(
            id: .v7(), type: .webhookEndpointDisabled, occurredAt: Date(), data: data,
            recipients: [organization], history: nil, organizationID: organization)
        try await EventLog.append(conn, [event], logger: db.logger)
        return true
    }

    // MARK: Management

    /// The deliveries of an endpoint, newest first, with their attempts (last 20 each).
    /// The endpoint's deliveries, newest first; with `id`, only that one (wherever it is in the list).
    public func deliveries(
        organizationID: UUID, endpointID: UUID, status: String?, before: UUID?, limit: Int, id: UUID? = nil
    ) async throws -> [DeliveryRecord] {
        let rows = try await db.rows(
            """
            SELECT d.id, d.endpoint_id, d.event_id, e.type, d.status, d.attempts,
                   CASE WHEN d.status = 'pending' THEN d.next_attempt_at END, d.last_status_code, d.last_error,
                       d.created_at, d.completed_at,
                   COALESCE((SELECT json_agg(json_build_object('attempted_at', a.attempted_at, 'status_code',
                       a.status_code,
                                 'latency_ms', a.latency_ms, 'error', a.error, 'response_body', a.response_body)
                                     ORDER BY a.id)
                             FROM (SELECT * FROM webhook_attempts WHERE delivery_id = d.id ORDER BY id DESC
                                 LIMIT 20) a), '[]')::text
            FROM webhook_deliveries d
            JOIN webhook_endpoints w ON w.id = d.endpoint_id
            JOIN events e ON e.id = d.event_id
            WHERE d.endpoint_id = \(endpointID) AND w.organization_id = \(organizationID)
              AND (\(status)::text IS NULL OR d.status = \(status)) AND (\(before)::uuid IS NULL OR d.id < \(before))
              AND (\(id)::uuid IS NULL OR d.id = \(id))
            ORDER BY d.id DESC LIMIT \(limit)
            """)
        let decoder = JSONCoding.decoder()
        struct RawAttempt: Decodable {
            var attemptedAt: String
            var statusCode: Int?
            var latencyMs: Int
            var error: String?
            var responseBody: String?
            enum CodingKeys: String, CodingKey {
                case attemptedAt = "attempted_at"
                case statusCode = "status_code"
                case latencyMs = "latency_ms"
                case error
                case responseBody = "response_body"
            }
        }
        return try rows.map { row in
            let r = try row.decode(
                (UUID, UUID, UUID, String, String, Int, Date?, Int?, String?, Date, Date?, String).self)
            let attempts = try decoder.decode([RawAttempt].self, from: Data(r.11.utf8)).map {
                AttemptRecord(
                    attemptedAt: try Self.parsePostgresTimestamp($0.attemptedAt), statusCode: $0.statusCode,
                    latencyMs: $0.latencyMs, error: $0.error, responseBody: $0.responseBody)
            }
            return DeliveryRecord(
                id: r.0, endpointID: r.1, eventID: r.2, eventType: r.3, status: r.4, attempts: r.5, nextAttemptAt: r.6,
                lastStatusCode: r.7, lastError: r.8, createdAt: r.9, completedAt: r.10, attemptLog: attempts)
        }
    }

    /// json_build_object writes timestamps as `2026-11-27T09:00:00.123456+00:00`; anything else throws.
    static func parsePostgresTimestamp(_ s: String) throws -> Date {
        guard let date = Self.parseTimestamp(s) else {
            throw UnknownStoredValue(column: "webhook_attempts.attempted_at", value: s)
        }
        return date
    }

    private static func parseTimestamp(_ s: String) -> Date? {
        JSONCoding.parse(s)
            ?? {
                let f = DateFormatter()
                f.locale = Locale(identifier: "en_US_POSIX")
                f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXXXX"
                return f.date(from: s)
            }()
    }

    /// Sends a delivery again now, with a fresh retry schedule. Nil when the organization has no such delivery.
    public func retry(organizationID: UUID, deliveryID: UUID) async throws -> DeliveryRecord? {
        // One transaction, answered once committed (`Database.write` says why).
        let found: UUID? = try await db.transaction { [logger = db.logger] conn in
            var endpoint: UUID?
            for try await row in try await conn.query(
                """
                UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now(), lease_token = NULL,
                    cycle_attempts = 0, completed_at = NULL
                FROM webhook_endpoints w
                WHERE d.id = \(deliveryID) AND w.id = d.endpoint_id AND w.organization_id = \(organizationID)
                RETURNING d.endpoint_id
                """, logger: logger)
            { endpoint = try row.decode(UUID.self) }
            guard let endpoint else { return nil }
            // Someone asked for an attempt now: lift the endpoint's pause and start its backoff afresh. The
            // database wakes the dispatchers (migration 0004).
            try await conn.query(
                """
                UPDATE webhook_endpoints SET paused_until = NULL, consecutive_failures = 0
                WHERE id = \(endpoint) AND consecutive_failures > 0
                """, logger: logger
            ).run()
            return endpoint
        }
        guard let endpoint = found else { return nil }
        return try await deliveries(
            organizationID: organizationID, endpointID: endpoint, status: nil, before: nil, limit: 1, id: deliveryID
        ).first
    }

    /// Queues the organization's events between two times again for one endpoint (its filter applies).
    /// Returns how many deliveries were queued (at most `limit`).
    public func replay(organizationID: UUID, endpointID: UUID, since: Date, until: Date, limit: Int = 10_000)
        async throws -> Int?
    {
        try await db.transaction { conn in
            var exists = false
            for try await _ in try await conn.query(
                "SELECT 1 FROM webhook_endpoints WHERE id = \(endpointID) AND organization_id = \(organizationID)",
                logger: db.logger)
            { exists = true }
            guard exists else { return nil }
            var n = 0
            for try await c in try await conn.query(
                """
                WITH inserted AS (
                    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at)
                    SELECT gen_random_uuid(), w.id, e.id, now()
                    FROM webhook_endpoints w
                    JOIN event_recipients r ON r.organization_id = w.organization_id
                    JOIN events e ON e.id = r.event_id
                    WHERE w.id = \(endpointID) AND e.occurred_at >= \(since) AND e.occurred_at < \(until)
                      AND (cardinality(w.event_types) = 0 OR e.type = ANY(w.event_types))
                    ORDER BY r.position LIMIT \(limit)
                    RETURNING 1)
                SELECT count(*)::int FROM inserted
                """, logger: db.logger
            ).decode(Int.self) { n = c }
            return n
        }
    }

    /// Deliveries waiting and the age in seconds of the oldest due one (for metrics), counting only endpoints that
    /// may be called now: a paused or disabled endpoint of one tenant must not keep the backlog alert firing.
    public func backlog() async throws -> (pending: Int, oldestDueSeconds: Double) {
        let rows = try await db.rows(
            """
            SELECT count(*)::int,
                   COALESCE(EXTRACT(EPOCH FROM now() - min(d.next_attempt_at) FILTER (WHERE d.next_attempt_at <=
                       now())), 0)::float8
            FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
            WHERE d.status = 'pending' AND w.enabled AND (w.paused_until IS NULL OR w.paused_until <= now())
            """)
        let (n, age) = try rows[0].decode((Int, Double).self)
        return (n, age)
    }

    /// Calls `onWake` whenever deliveries may have become due (a NOTIFY on the outbox channel), and once when
    /// listening starts (anything committed while no one listened). Holds one pooled connection; returns or
    /// throws when the connection is lost, for the caller to listen again.
    public func listenForWakeups(_ onWake: @escaping @Sendable () -> Void) async throws {
        try await db.client.withConnection { conn in
            let notifications = try await conn.listen(EventLog.channel)
            onWake()
            for try await _ in notifications { onWake() }
        }
    }
}
