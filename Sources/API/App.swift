import Foundation
import Hummingbird
import Logging
import Prometheus
import Storage
import Webhooks
import Workflow

/// What the HTTP application needs from the rest of the daemon.
public struct AppDependencies: Sendable {
    public var db: Database
    public var readiness: ReadinessMonitor
    /// The operator token; without one, `POST /v1/organizations` is refused.
    public var adminToken: String?
    /// Seals webhook secrets at rest.
    public var secretBox: SecretBox
    /// Which webhook URLs are accepted.
    public var addressPolicy: AddressPolicy
    public var logger: Logger
    /// Rendered at `GET /metrics`; nil serves an empty document.
    public var metrics: PrometheusCollectorRegistry?
    /// Requests per API key; nil for no limit.
    public var rateLimiter: RateLimiter?
    /// Failed authentications per client address (checked before any key lookup); nil for no limit.
    public var authFailureLimiter: RateLimiter?
    /// Proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies = TrustedProxies()
    /// Heavy reads and replays at once per organization, shared by the API and the console.
    public var workBudget = WorkBudget()
    /// Send `Strict-Transport-Security` (the daemon is reached over HTTPS, as its operator says).
    public var strictTransportSecurity = false
    /// Serve `GET /metrics` on the API's port (false when it has a listen address of its own).
    public var metricsOnAPIPort = true
    /// The base of the links the API hands out (`BRIEFD_PUBLIC_URL`, else the listen address once bound).
    public var publicAddress = PublicAddress()
    /// The daemon's secret key: the unsubscribe links are signed with a key derived from it.
    public var secretKey = ""
    /// Whether the daemon mails (`BRIEFD_SMTP_URL`): transitions and invitations write emails only then.
    public var mail = false
    /// How passwords are hashed (tests may lower the cost; the stored form says which was used).
    public var passwords = PasswordHasher()

    public init(
        db: Database, readiness: ReadinessMonitor, adminToken: String?, secretBox: SecretBox,
        addressPolicy: AddressPolicy,
        logger: Logger, metrics: PrometheusCollectorRegistry? = nil, rateLimiter: RateLimiter? = nil,
        authFailureLimiter: RateLimiter? = nil
    ) {
        self.db = db
        self.readiness = readiness
        self.adminToken = adminToken
        self.secretBox = secretBox
        self.addressPolicy = addressPolicy
        self.logger = logger
        self.metrics = metrics
        self.rateLimiter = rateLimiter
        self.authFailureLimiter = authFailureLimiter
    }
}

/// Builds briefd's router: health endpoints and the v1 API, every error as problem+json.
public enum BriefdRouter {
    public static func build(_ deps: AppDependencies) -> Router<BriefdContext> {
        let router = Router(context: BriefdContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ClientAddressMiddleware(proxies: deps.trustedProxies))
        if deps.strictTransportSecurity { router.add(middleware: StrictTransportSecurity()) }
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: PrettyJSONMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: DatabaseGate(readiness: deps.readiness))
        if deps.metricsOnAPIPort {
            router.get("/metrics") { _, _ in MetricsDocument.response(deps.metrics) }
        }
        router.get("/") { _, _ in
            // The front door: where the API describes itself.
            try APIResponse.json(
                Index(
                    name: "briefd", description: "brand-led projects with agencies, with signed webhooks",
                    openapi: "/openapi.json", workflow: "/v1/workflow", health: "/healthz", readiness: "/readyz",
                    docs: "docs/api.md, docs/webhooks.md and docs/contract.md in the repository")
            ).response
        }
        router.get("/healthz") { _, _ in try APIResponse.json(["status": "ok"]).response }
        router.get("/readyz") { _, _ in
            let s = deps.readiness.status
            struct Ready: Encodable {
                var status: String
                var database: Bool
                var migrations: Bool
            }
            return try APIResponse.json(
                Ready(status: s.ready ? "ready" : "unavailable", database: s.database, migrations: s.migrations),
                status: s.ready ? .ok : .serviceUnavailable,
                headers: s.ready ? [:] : ["Retry-After": "1"]
            ).response
        }
        router.get("/openapi.json") { _, _ in
            guard let document = OpenAPIDocument.bytes else {
                throw APIError.notFound("the OpenAPI document is not installed")
            }
            return APIResponse(status: .ok, headers: ["Content-Type": "application/json"], body: document).response
        }
        let routes = Routes(
            organizations: OrganizationStore(db: deps.db), people: PeopleStore(db: deps.db),
            projects: ProjectStore(db: deps.db, mail: deps.mail), events: EventStore(db: deps.db),
            idempotency: IdempotencyStore(db: deps.db), adminToken: deps.adminToken,
            limiter: deps.rateLimiter, failures: deps.authFailureLimiter, secretBox: deps.secretBox,
            budget: deps.workBudget, publicAddress: deps.publicAddress)
        let v1 = routes.register(on: router)
        PeopleRoutes(
            accounts: Accounts(db: deps.db, passwords: deps.passwords), publicAddress: deps.publicAddress,
            routes: routes
        ).register(on: router, v1: v1)
        NotificationRoutes(
            notifications: NotificationStore(db: deps.db),
            resets: PasswordResets(db: deps.db, passwords: deps.passwords),
            unsubscribe: UnsubscribeTokens(secretKey: deps.secretKey), calendars: CalendarStore(db: deps.db),
            projects: ProjectStore(db: deps.db, mail: deps.mail), publicAddress: deps.publicAddress, routes: routes
        ).register(on: router, v1: v1)
        RosterRoutes(roster: RosterStore(db: deps.db), invitations: InvitationStore(db: deps.db), routes: routes)
            .register(on: v1)
        DeadlineRoutes(
            organizations: OrganizationStore(db: deps.db), projects: ProjectStore(db: deps.db, mail: deps.mail),
            routes: routes
        )
        .register(on: v1)
        WebhookRoutes(
            endpoints: EndpointStore(db: deps.db), queue: DeliveryQueue(db: deps.db), box: deps.secretBox,
            addressPolicy: deps.addressPolicy, routes: routes
        ).register(on: v1)
        ReportRoutes(reports: ReportStore(db: deps.db), routes: routes).register(on: v1)
        ReviewRoutes(
            projects: ProjectStore(db: deps.db, mail: deps.mail), review: ReviewStore(db: deps.db), routes: routes
        ).register(
            on: v1)
        return router
    }
}

/// The Prometheus text document of `GET /metrics`.
public enum MetricsDocument {
    public static func response(_ registry: PrometheusCollectorRegistry?) -> Response {
        var bytes: [UInt8] = []
        registry?.emit(into: &bytes)
        return APIResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4"], body: bytes).response
    }
}

/// `GET /`.
struct Index: Encodable {
    var name: String
    var description: String
    var openapi: String
    var workflow: String
    var health: String
    var readiness: String
    var docs: String
}

/// The OpenAPI 3.1 document shipped as a resource of this module.
public enum OpenAPIDocument {
    public static let bytes: [UInt8]? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }.map(Array.init)
}
