import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Storage
import Synchronization
import Workflow

/// Tuning of the dispatcher; the defaults suit one daemon of a few.
public struct DispatcherConfiguration: Sendable {
    /// Deliveries in flight at once, over all endpoints. Calls mostly wait on the network, so this is
    /// generous: receivers that are slow but succeed hold 4 slots each, and must leave room for the rest.
    public var maxConcurrent = 128
    /// Deliveries in flight at once to one endpoint, so a slow receiver cannot take every slot.
    public var maxPerEndpoint = 4
    /// How long a claimed delivery stays reserved for this dispatcher (longer than one attempt can take).
    public var lease: Duration = .seconds(60)
    /// Polling interval, the fallback when no NOTIFY arrives.
    public var pollInterval: Duration = .seconds(1)
    public var connectTimeout: Duration = .seconds(3)
    /// Total time one attempt may take, response body included.
    public var requestTimeout: Duration = .seconds(10)
    /// Response bytes read at most (the rest is not read; the connection is closed).
    public var maxResponseBytes = 64 * 1024
    /// Response bytes kept in the attempt log.
    public var storedResponseBytes = 1024
    /// An endpoint without a success for this long is disabled.
    public var disableAfter: Duration = .seconds(5 * 24 * 3600)
    /// After a failed attempt the endpoint is paused this long, doubling per consecutive failure up to
    /// `maxFailurePause`: a receiver that hangs or fails cannot hold the slots healthy endpoints need.
    public var failurePause: Duration = .seconds(5)
    public var maxFailurePause: Duration = .seconds(300)
    public var retryPolicy = RetryPolicy()
    public var addressPolicy = AddressPolicy(allowPrivate: false)

    /// The delivery policy these settings make.
    public var deliveryPolicy: DeliveryPolicy {
        DeliveryPolicy(
            retry: retryPolicy, maxPerEndpoint: maxPerEndpoint, disableAfter: disableAfter, pause: failurePause,
            maxPause: maxFailurePause)
    }

    public init() {}

    /// The dispatcher's HTTP clients: no redirects, bounded connect and read times, and as many connections per
    /// host as the dispatcher has slots (its own per-endpoint limit is the guard: a call must never queue inside
    /// the client while it holds a slot).
    public var httpConfiguration: HTTPClient.Configuration {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        config.timeout = .init(
            connect: .nanoseconds(connectTimeout.nanoseconds), read: .nanoseconds(requestTimeout.nanoseconds))
        config.connectionPool = .init(
            idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConcurrent)
        config.decompression = .disabled
        return config
    }
}

/// An attempt ran past its one deadline (connect, head and body together).
struct AttemptTimedOut: Error {}

/// The webhook dispatcher: woken by LISTEN (polling as the fallback), it claims due deliveries with
/// `FOR UPDATE SKIP LOCKED` under a lease in a short transaction, makes each HTTP call outside any
/// transaction, then records the attempt. Any number of dispatchers share one database.
public final class Dispatcher: Service, Sendable {
    let db: Database
    let store: DeliveryQueue
    let endpoints: EndpointStore
    let box: SecretBox
    /// The client for URLs whose host is a numeric address (or when private addresses are allowed).
    let http: HTTPClient
    /// Clients for named hosts, each connecting to the address that was checked.
    let pinned: PinnedClients
    let config: DispatcherConfiguration
    /// What attempts lead to (`config.deliveryPolicy`).
    let policy: DeliveryPolicy
    let logger: Logger
    /// Deliveries in flight, per endpoint.
    private let inFlight = Mutex<[UUID: Int]>([:])
    /// Endpoints whose last attempt here failed: they get one call at a time (a probe), not `maxPerEndpoint`.
    private let failing = Mutex<Set<UUID>>([])
    /// Successful attempts, written in batches.
    private let successes: SuccessRecorder

    public init(db: Database, box: SecretBox, http: HTTPClient, configuration: DispatcherConfiguration, logger: Logger)
    {
        self.db = db
        self.store = DeliveryQueue(db: db)
        self.endpoints = EndpointStore(db: db)
        self.successes = SuccessRecorder(store: store, logger: logger)
        self.box = box
        self.http = http
        self.pinned = PinnedClients(configuration: configuration.httpConfiguration)
        self.config = configuration
        self.policy = configuration.deliveryPolicy
        self.logger = logger
    }

    public func run() async throws {
        await PollingLoop.run(
            schemaReady: { [store] in (try? await store.backlog()) != nil },
            beside: [listen, tick, { _ in await self.watchBacklog() }, { _ in await self.successes.run() }],
            consume: { wakeups, wake in
                // Deliveries run in their own group: on shutdown no new claims are made, and the group waits for
                // the calls in flight (each bounded by the request timeout).
                await withDiscardingTaskGroup { deliveries in
                    for await _ in wakeups { await self.drain(&deliveries, wake: wake) }
                }
                await Self.shutDown(self.pinned.removeAll())
            })
    }

    /// Claims as many due deliveries as there are free slots, and starts them.
    private func drain(_ group: inout DiscardingTaskGroup, wake: AsyncStream<Void>.Continuation) async {
        while !Task.isShuttingDownGracefully {
            let (free, saturated) = inFlight.withLock { counts -> (Int, [UUID]) in
                (
                    config.maxConcurrent - counts.values.reduce(0, +),
                    counts.filter { $0.value >= limit(for: $0.key) }.map(\.key)
                )
            }
            guard free > 0 else { return }
            let claimed: [ClaimedDelivery]
            do {
                claimed = try await store.claim(limit: free, lease: config.lease, excluding: saturated)
            } catch {
                logger.warning("claiming deliveries failed", metadata: ["error": "\(String(reflecting: error))"])
                return
            }
            if claimed.isEmpty { return }
            for delivery in claimed {
                if delivery.endpointFailing { failing.withLock { _ = $0.insert(delivery.endpointID) } }
                let cap = limit(for: delivery.endpointID)
                let admitted = inFlight.withLock { counts -> Bool in
                    guard counts[delivery.endpointID, default: 0] < cap else { return false }
                    counts[delivery.endpointID, default: 0] += 1
                    return true
                }
                guard admitted else {
                    // This endpoint is at its limit: hand the delivery back at once rather than hold its lease.
                    try? await store.release(delivery)
                    continue
                }
                group.addTask {
                    await self.deliver(delivery)
                    self.inFlight.withLock { counts in
                        counts[delivery.endpointID, default: 1] -= 1
                        if counts[delivery.endpointID] == 0 { counts[delivery.endpointID] = nil }
                    }
                    wake.yield()
                }
            }
            if claimed.count < free { return }
        }
    }

    /// Calls allowed in flight at once to one endpoint.
    private func limit(for endpoint: UUID) -> Int {
        policy.callsAllowed(failing: failing.withLock { $0.contains(endpoint) })
    }

    /// LISTEN on the outbox channel, reconnecting with backoff while the database is away.
    private func listen(_ wake: AsyncStream<Void>.Continuation) async {
        var backoff = 1
        while !Task.isCancelled {
            do {
                try await store.listenForWakeups {
                    wake.yield()
                }
                backoff = 1
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN lost; polling meanwhile", metadata: ["retry_in_seconds": "\(backoff)"])
            }
            try? await Task.sleep(for: .seconds(backoff))
            backoff = min(backoff * 2, 30)
        }
    }

    /// The polling fallback, and what picks up retries that come due.
    private func tick(_ wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            wake.yield()
            try? await Task.sleep(for: config.pollInterval)
        }
    }

    /// Publishes the outbox backlog and the age of the oldest due delivery every few seconds.
    private func watchBacklog() async {
        let pending = Gauge(label: "briefd_outbox_pending_deliveries")
        let oldest = Gauge(label: "briefd_outbox_oldest_due_seconds")
        while !Task.isCancelled {
            if let (n, age) = try? await store.backlog() {
                pending.record(n)
                oldest.record(age)
            }
            try? await Task.sleep(for: .seconds(5))
        }
    }

    /// The exact bytes sent: the Standard Webhooks body.
    static func body(type: String, occurredAt: Date, data: String) -> [UInt8] {
        var out = #"{"type":"#
        out += String(decoding: try! JSONEncoder().encode(type), as: UTF8.self)
        out += #","timestamp":""# + JSONCoding.format(occurredAt) + #"","data":"#
        out += data
        out += "}"
        return Array(out.utf8)
    }

    /// One attempt: sign, POST, read a bounded part of the answer, record the result.
    func deliver(_ d: ClaimedDelivery) async {
        let started = ContinuousClock.now
        let attemptedAt = Date()
        var status: Int?
        var failure: String?
        var kept: [UInt8] = []
        var retryAfter: String?
        switch await config.addressPolicy.check(d.url, owner: d.organizationID) {
        case .refused(let refusal):
            failure = "refused: \(refusal)"
        case .allowed(let host, let address):
            var lease: PinnedClients.Lease?
            if let address {
                let (lent, closing) = pinned.lease(host: host, address: address)
                lease = lent
                await Self.shutDown(closing)
            }
            do {
                var secrets = [try await openSecret(d, previous: false)]
                // A rotated-out secret no configured key opens only stops signing; it never stops delivery.
                if d.previousSecretSealed != nil, let previous = try? await openSecret(d, previous: true) {
                    secrets.append(previous)
                }
                let body = Self.body(type: d.eventType, occurredAt: d.occurredAt, data: d.data)
                let timestamp = Int(attemptedAt.timeIntervalSince1970)
                let id = d.eventID.lowercased
                var request = HTTPClientRequest(url: d.url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: "briefd-webhooks/1")
                request.headers.add(name: "webhook-id", value: id)
                request.headers.add(name: "webhook-timestamp", value: String(timestamp))
                request.headers.add(
                    name: "webhook-signature",
                    value: WebhookSigner.header(id: id, timestamp: timestamp, body: body, secrets: secrets))
                request.body = .bytes(ByteBuffer(bytes: body))
                let answer = try await Self.call(
                    request, on: lease?.client ?? http, within: config.requestTimeout,
                    maxBytes: config.maxResponseBytes, keepBytes: config.storedResponseBytes)
                status = answer.status
                retryAfter = answer.retryAfter
                kept = answer.kept
            } catch is AttemptTimedOut {
                failure = "timed out after \(config.requestTimeout)"
            } catch let e as HTTPClientError where e == .deadlineExceeded {
                failure = "timed out after \(config.requestTimeout)"
            } catch let e as HTTPClientError where e == .connectTimeout {
                failure = "connect timed out"
            } catch {
                failure = Self.describe(error)
            }
            if let lease { await Self.shutDown(pinned.release(lease)) }
        }
        let latency = started.duration(to: .now)
        let latencyMs =
            Int(latency.components.seconds * 1000) + Int(latency.components.attoseconds / 1_000_000_000_000_000)
        if status.map({ (300..<400).contains($0) }) == true { failure = failure ?? "redirects are not followed" }
        let result = policy.judge(attempt: d.cycleAttempts + 1, status: status, retryAfter: retryAfter)
        Counter(label: "briefd_webhook_deliveries_total", dimensions: [("outcome", Self.outcomeLabel(result))])
            .increment()
        Timer(label: "briefd_webhook_attempt_duration_seconds").recordNanoseconds(latency.nanoseconds)
        let attempt = AttemptRecord(
            attemptedAt: attemptedAt, statusCode: status, latencyMs: latencyMs, error: failure,
            responseBody: kept.isEmpty
                ? nil : String(decoding: kept, as: UTF8.self).replacingOccurrences(of: "\u{0}", with: ""))
        guard case .failed(let failure) = result else {
            failing.withLock { _ = $0.remove(d.endpointID) }
            await successes.record(d, attempt)
            return
        }
        failing.withLock { _ = $0.insert(d.endpointID) }
        do {
            let disabled = try await store.record(d, attempt: attempt) { [policy] health in
                policy.outcome(of: failure, endpoint: health)
            }
            if disabled {
                logger.warning("webhook endpoint disabled", metadata: ["endpoint_id": "\(d.endpointID.lowercased)"])
            }
        } catch {
            // The lease runs out and the delivery is attempted again: at-least-once, never lost.
            logger.warning(
                "recording a delivery attempt failed",
                metadata: ["delivery_id": "\(d.id.lowercased)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Opens the delivery's endpoint secret (or its rotated-out one); one sealed under a previous key is sealed
    /// again under the current key and stored, so the previous key can be dropped once every secret was read.
    func openSecret(_ d: ClaimedDelivery, previous: Bool) async throws -> WebhookSecret {
        guard let sealed = previous ? d.previousSecretSealed : d.secretSealed else {
            throw SecretBoxError(description: "no secret")
        }
        let (secret, current) = try box.openForReseal(sealed)
        if !current, let resealed = try? box.seal(secret) {
            do {
                try await endpoints.reseal(id: d.endpointID, previous: previous, from: sealed, to: resealed)
            } catch {
                logger.warning(
                    "sealing a webhook secret under the current key failed; it is tried again at the next delivery",
                    metadata: ["endpoint_id": "\(d.endpointID.lowercased)", "error": "\(String(reflecting: error))"])
            }
        }
        return secret
    }

    /// What a receiver answered, as far as the attempt reads it.
    struct Answer: Sendable {
        var status: Int
        var retryAfter: String?
        var kept: [UInt8]
    }

    /// One deadline over the whole call: connect, response head and body. AsyncHTTPClient's own deadline ends at
    /// the response head, so a receiver that trickles its body a byte at a time would hold the slot for days.
    static func call(
        _ request: HTTPClientRequest, on client: HTTPClient, within timeout: Duration, maxBytes: Int, keepBytes: Int
    ) async throws -> Answer {
        let deadline = ContinuousClock.now + timeout
        return try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask {
                let response = try await client.execute(
                    request, deadline: .now() + .nanoseconds(timeout.nanoseconds))
                var kept: [UInt8] = []
                var total = 0
                for try await chunk in response.body {
                    total += chunk.readableBytes
                    if kept.count < keepBytes { kept += chunk.readableBytesView.prefix(keepBytes - kept.count) }
                    if total > maxBytes { break }
                }
                return Answer(
                    status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                    kept: kept)
            }
            group.addTask {
                try await Task.sleep(until: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw AttemptTimedOut() }
            return answer
        }
    }

    /// Shuts down clients no call uses any more (replaced, evicted, or at the dispatcher's end).
    static func shutDown(_ clients: [HTTPClient]) async {
        for client in clients { try? await client.shutdown() }
    }

    static func outcomeLabel(_ r: AttemptResult) -> String {
        switch r {
        case .succeeded: "succeeded"
        case .failed(.retry): "retry"
        case .failed(.exhausted): "exhausted"
        case .failed(.gone): "gone"
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return String(text.prefix(300))
    }
}
