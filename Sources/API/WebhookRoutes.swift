import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Synchronization
import Webhooks
import Workflow

/// Webhook endpoint management (admin keys only), deliveries, retries and replays.
struct WebhookRoutes: Sendable {
    let endpoints: EndpointStore
    let queue: DeliveryQueue
    let box: SecretBox
    let addressPolicy: AddressPolicy
    let routes: Routes

    /// Every event type an endpoint may subscribe to.
    static var knownEventTypes: [String] { WorkflowDefinition.eventTypes }
    /// How long a rotated-out secret keeps signing.
    static let rotationOverlap: TimeInterval = 24 * 3600

    func register(on group: RouterGroup<BriefdContext>) {
        group.post("/webhook-endpoints", use: create)
        group.get("/webhook-endpoints", use: list)
        group.get("/webhook-endpoints/{id}", use: get)
        group.patch("/webhook-endpoints/{id}", use: update)
        group.delete("/webhook-endpoints/{id}", use: delete)
        group.post("/webhook-endpoints/{id}/rotate-secret", use: rotate)
        group.get("/webhook-endpoints/{id}/deliveries", use: deliveries)
        group.post("/webhook-endpoints/{id}/replay", use: replay)
        group.post("/webhook-deliveries/{id}/retry", use: retry)
    }

    static func view(_ e: WebhookEndpoint, secret: WebhookSecret? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .id(e.id), "url": .string(e.url), "description": .string(e.description),
            "event_types": Views.strings(e.eventTypes),
            "enabled": .bool(e.enabled), "disabled_reason": .optional(e.disabledReason),
            "previous_secret_expires_at": Views.date(e.previousSecretExpiresAt.flatMap { $0 > Date() ? $0 : nil }),
            "failing_since": Views.date(e.failingSince), "last_success_at": Views.date(e.lastSuccessAt),
            "created_at": Views.date(e.createdAt), "updated_at": Views.date(e.updatedAt),
        ]
        if let secret { o["secret"] = .string(secret.text) }
        return .object(o)
    }

    static func view(_ d: DeliveryRecord) -> JSONValue {
        .object([
            "id": .id(d.id), "endpoint_id": .id(d.endpointID), "event_id": .id(d.eventID),
            "event_type": .string(d.eventType),
            "webhook_id": .id(d.eventID), "status": .string(d.status), "attempt_count": Views.int(d.attempts),
            "next_attempt_at": Views.date(d.nextAttemptAt),
            "last_status_code": d.lastStatusCode.map(Views.int) ?? .null,
            "last_error": .optional(d.lastError), "created_at": Views.date(d.createdAt),
            "completed_at": Views.date(d.completedAt),
            "attempts": .array(
                d.attemptLog.map {
                    .object([
                        "attempted_at": Views.date($0.attemptedAt),
                        "status_code": $0.statusCode.map(Views.int) ?? .null,
                        "latency_ms": Views.int($0.latencyMs), "error": .optional($0.error),
                        "response_body": .optional($0.responseBody),
                    ])
                }),
        ])
    }

    func checkURL(_ url: String, owner: UUID) async throws {
        guard URLCheck.isWebURL(url) else { throw APIError.invalid("url", "must be an absolute http or https URL") }
        if let refusal = await addressPolicy.refusal(for: url, owner: owner) { throw APIError.invalid("url", refusal) }
    }

    /// `event_types`, when given: at most 50 names (each checked by ``checkEventTypes(_:)``).
    static func eventTypes(_ r: inout FieldReader) -> [String]? {
        r.stringArray("event_types", max: 50, itemMax: 64, minCount: 0, required: false)
    }

    func checkEventTypes(_ types: [String]) throws {
        let known = Set(Self.knownEventTypes)
        if let bad = types.first(where: { !known.contains($0) }) {
            throw APIError.invalid(
                "event_types",
                "\(bad.prefix(64)) is not an event type; known: \(Self.knownEventTypes.joined(separator: ", "))")
        }
    }

    @Sendable func create(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let body = try await routes.readBody(request, context)
        return try await routes.idempotent(
            request, context, scope: p.idempotencyScope, body: body, sealing: box
        ) { claim in
            var r = try FieldReader(body: body)
            let urlRead = r.string("url", max: Limits.url)
            let types = Self.eventTypes(&r) ?? []
            let description = r.string("description", max: 500, required: false) ?? ""
            let enabled = r.bool("enabled") ?? true
            let url = try r.finish(urlRead)
            try await checkURL(url, owner: p.organization.id)
            try checkEventTypes(types)
            let secret = WebhookSecret.generate()
            let render: @Sendable (WebhookEndpoint) throws -> APIResponse = {
                try .json(Self.view($0, secret: secret), status: .created)
            }
            let endpoint = try await endpoints.create(
                organizationID: p.organization.id, url: url, description: description,
                eventTypes: Array(Set(types)).sorted(), enabled: enabled, secretSealed: try box.seal(secret),
                idempotency: Routes.completion(claim, sealing: box, render))
            return try render(endpoint).kept(inTransactionOf: claim)
        }.response
    }

    @Sendable func list(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let (limit, after) = try routes.pageParameters(request)
        let items = try await endpoints.list(organizationID: p.organization.id, after: after, limit: limit + 1)
        return try APIResponse.json(Views.page(items.prefix(limit).map { Self.view($0) }, hasMore: items.count > limit))
            .response
    }

    @Sendable func get(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        guard let e = try await endpoints.find(organizationID: p.organization.id, id: try routes.pathID(context, "id"))
        else {
            throw APIError.notFound("no such webhook endpoint")
        }
        return try APIResponse.json(Self.view(e)).response
    }

    @Sendable func update(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "id")
        let body = try await routes.readBody(request, context)
        var r = try FieldReader(body: body)
        let patch = EndpointPatch(
            url: r.string("url", max: Limits.url, required: false),
            description: r.string("description", max: 500, allowEmpty: true, required: false),
            eventTypes: Self.eventTypes(&r), enabled: r.bool("enabled"))
        try r.finish()
        if let url = patch.url { try await checkURL(url, owner: p.organization.id) }
        if let types = patch.eventTypes { try checkEventTypes(types) }
        guard let e = try await endpoints.update(organizationID: p.organization.id, id: id, patch: patch) else {
            throw APIError.notFound("no such webhook endpoint")
        }
        return try APIResponse.json(Self.view(e)).response
    }

    @Sendable func delete(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        guard try await endpoints.delete(organizationID: p.organization.id, id: try routes.pathID(context, "id")) else {
            throw APIError.notFound("no such webhook endpoint")
        }
        return Response(status: .noContent)
    }

    @Sendable func rotate(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "id")
        let body = try await routes.readBody(request, context)
        return try await routes.idempotent(
            request, context, scope: p.idempotencyScope, body: body, sealing: box
        ) { claim in
            var r = try FieldReader(body: body)
            try r.finish()
            let secret = WebhookSecret.generate()
            let render: @Sendable (WebhookEndpoint) throws -> APIResponse = { try .json(Self.view($0, secret: secret)) }
            guard
                let e = try await endpoints.rotate(
                    organizationID: p.organization.id, id: id, newSealed: try box.seal(secret),
                    previousValidUntil: Date().addingTimeInterval(Self.rotationOverlap),
                    idempotency: Routes.completion(claim, sealing: box, render))
            else {
                throw APIError.notFound("no such webhook endpoint")
            }
            return try render(e).kept(inTransactionOf: claim)
        }.response
    }

    @Sendable func deliveries(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "id")
        let (limit, after) = try routes.pageParameters(request)
        let status: String? = request.uri.queryParameters.get("status").map { String($0) }
        if let status, !["pending", "succeeded", "failed"].contains(status) {
            throw APIError.invalid("status", "must be pending, succeeded or failed")
        }
        guard try await endpoints.find(organizationID: p.organization.id, id: id) != nil else {
            throw APIError.notFound("no such webhook endpoint")
        }
        let items = try await queue.deliveries(
            organizationID: p.organization.id, endpointID: id, status: status, before: after, limit: limit + 1)
        return try APIResponse.json(Views.page(items.prefix(limit).map(Self.view), hasMore: items.count > limit))
            .response
    }

    @Sendable func replay(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "id")
        let body = try await routes.readBody(request, context)
        // Each replay may queue up to 10,000 deliveries: it takes one of the organization's heavy-work slots.
        return try await routes.budget.run(p.organization.id) {
            try await replayed(request, context, p, id: id, body: body)
        }
    }

    func replayed(_ request: Request, _ context: BriefdContext, _ p: Principal, id: UUID, body: [UInt8]) async throws
        -> Response
    {
        try await routes.idempotent(request, context, scope: p.idempotencyScope, body: body) { _ in
            var r = try FieldReader(body: body)
            let (since, until) = try r.finish(
                r.timestamp("since", required: true), r.timestamp("until", required: true))
            guard since < until else { throw APIError.invalid("until", "must be after since") }
            guard
                let n = try await queue.replay(
                    organizationID: p.organization.id, endpointID: id, since: since, until: until)
            else {
                throw APIError.notFound("no such webhook endpoint")
            }
            return try .json(JSONValue.object(["queued": Views.int(n)]), status: .accepted)
        }.response
    }

    @Sendable func retry(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "id")
        guard let d = try await queue.retry(organizationID: p.organization.id, deliveryID: id) else {
            throw APIError.notFound("no such delivery")
        }
        return try APIResponse.json(Self.view(d)).response
    }
}
