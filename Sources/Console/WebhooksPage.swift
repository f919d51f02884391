import API
import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Webhooks
import Workflow

extension Console {
    /// Deliveries listed per endpoint.
    static let deliveriesShown = 10
    /// How long a rotated-out secret keeps signing (as the API's rotation).
    static let rotationOverlap: TimeInterval = 24 * 3600

    struct AttemptView {
        /// "29 Nov 2026, 07:56: 500 in 12 ms (connection reset)".
        var text: String
    }

    struct DeliveryRow {
        var id: String
        var eventType: String
        var status: String
        var statusText: String
        var attempts: Int
        var created: String
        var next: String?
        var lastError: String?
        var attemptLog: [AttemptView]
        var retryable: Bool
        var formKey: String
    }

    struct EndpointView {
        var id: String
        var url: String
        var description: String
        var enabled: Bool
        var disabledReason: String?
        var events: String
        var failingSince: String?
        var lastSuccess: String?
        var deliveries: [DeliveryRow]
        var hasDeliveries: Bool
        var formKey: String
        var replayKey: String
        var secret: String?
    }

    /// `GET /console/webhooks` (admins): endpoints, their recent deliveries with attempts, retry, replay and
    /// secret rotation. `secret` is the new secret of a rotation, shown in that one answer only.
    func webhooksPage(
        _ request: Request, _ session: ConsoleSession, secret: (UUID, WebhookSecret)?,
        notice: String? = nil
    ) async throws -> Response {
        struct View {
            var chrome: Chrome
            var endpoints: [EndpointView]
            var empty: Bool
            var notice: String?
        }
        let p = session.principal
        guard p.role == .admin else { throw ConsoleError.forbidden("error.admin_only") }
        let zone = p.organization.serviceLevels.timezone
        let t = session.t
        var views: [EndpointView] = []
        for e in try await endpoints.list(organizationID: p.organization.id, after: nil, limit: 100) {
            let deliveries = try await queue.deliveries(
                organizationID: p.organization.id, endpointID: e.id, status: nil, before: nil,
                limit: Self.deliveriesShown)
            views.append(
                EndpointView(
                    id: e.id.lowercased, url: e.url, description: e.description, enabled: e.enabled,
                    disabledReason: e.disabledReason,
                    events: e.eventTypes.isEmpty ? t.say("webhooks.every_event") : e.eventTypes.joined(separator: ", "),
                    failingSince: e.failingSince.map { t.date($0, in: zone) },
                    lastSuccess: e.lastSuccessAt.map { t.date($0, in: zone) },
                    deliveries: deliveries.map { d in
                        DeliveryRow(
                            id: d.id.lowercased, eventType: d.eventType, status: d.status,
                            statusText: t.say("webhooks.delivery.\(d.status)"), attempts: d.attempts,
                            created: t.date(d.createdAt, in: zone),
                            next: d.status == "pending"
                                ? d.nextAttemptAt.map { t.say("webhooks.next_try", ["when": t.date($0, in: zone)]) }
                                : nil,
                            lastError: d.lastError,
                            attemptLog: d.attemptLog.map {
                                AttemptView(
                                    text: t.say(
                                        "webhooks.attempt",
                                        [
                                            "when": t.date($0.attemptedAt, in: zone),
                                            "status": $0.statusCode.map(String.init) ?? t.say("webhooks.no_answer"),
                                            "ms": String($0.latencyMs),
                                        ]) + ($0.error.map { " (\($0))" } ?? ""))
                            }, retryable: d.status == "failed", formKey: newFormKey())
                    }, hasDeliveries: !deliveries.isEmpty, formKey: newFormKey(), replayKey: newFormKey(),
                    secret: secret.flatMap { $0.0 == e.id ? $0.1.text : nil }))
        }
        return templates.page(
            .webhooks,
            View(
                chrome: Chrome(session, title: t.say("nav.webhooks"), section: "webhooks"), endpoints: views,
                empty: views.isEmpty, notice: notice))
    }

    /// `POST /console/webhooks/{id}/rotate`: a new secret, shown once in this answer (not a redirect: the
    /// secret must not be kept anywhere to show it again); the old one signs alongside for a day.
    func rotateSecret(_ request: Request, _ context: BriefdContext, _ session: ConsoleSession) async throws -> Response
    {
        let p = session.principal
        guard p.role == .admin else { throw ConsoleError.forbidden("error.admin_only") }
        let id = try pathID(context, "id")
        let secret = WebhookSecret.generate()
        guard
            try await endpoints.rotate(
                organizationID: p.organization.id, id: id, newSealed: try box.seal(secret),
                previousValidUntil: Date().addingTimeInterval(Self.rotationOverlap)) != nil
        else { throw ConsoleError.notFound("webhooks.no_endpoint") }
        return try await webhooksPage(request, session, secret: (id, secret), notice: session.t.say("webhooks.rotated"))
    }

    /// `POST /console/webhooks/{id}/replay`: queue again every event of a period for the endpoint.
    func replay(_ request: Request, _ context: BriefdContext, _ session: ConsoleSession, _ form: Form) async throws
        -> Response
    {
        let p = session.principal
        guard p.role == .admin else { throw ConsoleError.forbidden("error.admin_only") }
        let id = try pathID(context, "id")
        let hours = Double(form.text("hours") ?? "") ?? 0
        guard hours > 0, hours <= 24 * 30 else {
            throw ConsoleError.invalid("webhooks.replay_range")
        }
        let until = Date()
        // A replay takes one of the organization's heavy-work slots, as the API's does.
        let location = try await budget.run(p.organization.id) {
            try await once(session, form: form, request: request) { _ in
                guard
                    let n = try await queue.replay(
                        organizationID: p.organization.id, endpointID: id,
                        since: until.addingTimeInterval(-hours * 3600), until: until)
                else { throw ConsoleError.notFound("webhooks.no_endpoint") }
                return "/console/webhooks?replayed=\(n)"
            }
        }
        return HTML.seeOther(location)
    }

    /// `POST /console/webhooks/deliveries/{id}/retry`: a failed delivery goes back to the queue now.
    func retry(_ request: Request, _ context: BriefdContext, _ session: ConsoleSession, _ form: Form) async throws
        -> Response
    {
        let p = session.principal
        guard p.role == .admin else { throw ConsoleError.forbidden("error.admin_only") }
        let id = try pathID(context, "id")
        guard try await queue.retry(organizationID: p.organization.id, deliveryID: id) != nil else {
            throw ConsoleError.notFound("webhooks.no_delivery")
        }
        return HTML.seeOther("/console/webhooks?retried=1")
    }
}
