import API
import AsyncHTTPClient
import Console
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Mailer
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Storage
import Timers
import Webhooks

/// Everything the daemon is built from, parsed and checked by the caller (`briefd serve` from its flags
/// and environment, the tests from their fixtures).
public struct DaemonConfiguration: Sendable {
    public var database: DatabaseSettings
    /// PostgreSQL pool size.
    public var maxDBConnections = 20
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 8080
    /// The operator token; without one, organizations cannot be created.
    public var adminToken: String?
    /// Seals webhook secrets at rest (32+ characters).
    public var secretKey: String
    /// Keys that sealed secrets before `secretKey` (`BRIEFD_PREVIOUS_SECRET_KEYS`): they open, never seal.
    public var previousSecretKeys: [String] = []
    public var dispatch = DispatcherConfiguration()
    /// How deadlines, reminders and escalations are claimed and fired.
    public var timers = TimerServiceConfiguration()
    /// Requests per API key; nil for no limit.
    public var rateLimiter: RateLimiter?
    /// Failed authentications per client address; nil for no limit.
    public var authFailureLimiter: RateLimiter? = RateLimiter(rate: 10, burst: 50)
    /// Proxies whose `X-Forwarded-For` names the client (`BRIEFD_TRUSTED_PROXIES`).
    public var trustedProxies = TrustedProxies()
    /// Heavy reads and replays at once per organization (`BRIEFD_HEAVY_REQUESTS_PER_ORGANIZATION`).
    public var heavyRequestsPerOrganization = 4
    /// Serve `/metrics` on this host and port instead of the API's (`BRIEFD_METRICS_ADDRESS`).
    public var metricsAddress: (host: String, port: Int)?
    /// Where people reach the daemon (`BRIEFD_PUBLIC_URL`); an `https` one makes cookies `Secure` and sends HSTS.
    public var publicURL: String?
    /// Secure cookies and HSTS without a public URL (`BRIEFD_SECURE_COOKIES`), behind a TLS proxy.
    public var secureCookies = false
    /// Whether the daemon is reached over HTTPS.
    public var servedOverHTTPS: Bool { secureCookies || publicURL?.lowercased().hasPrefix("https://") == true }
    /// A whole request, head and body, must arrive within this (`BRIEFD_REQUEST_READ_TIMEOUT`).
    public var requestReadTimeout: Duration = .seconds(30)
    /// Open HTTP connections at most; past it the daemon stops accepting until one closes.
    public var maxHTTPConnections = 4_096
    /// An HTTP connection with nothing read or written for this long is closed.
    public var httpIdleTimeout: Duration = .seconds(60)
    /// How long webhook attempts are kept.
    public var attemptRetention: Duration = .seconds(30 * 86_400)
    /// Apply pending migrations on start.
    public var migrate = true
    public var migrations: [Migration]
    /// How often readiness (database reachable, migrations applied) is checked.
    public var readinessInterval: Duration = .seconds(1)
    public var logger: Logger
    /// Rendered at `GET /metrics`.
    public var metrics: PrometheusCollectorRegistry?
    /// How people's passwords are hashed (scrypt; docs/people.md).
    public var passwords = PasswordHasher()
    /// Mail (`BRIEFD_SMTP_URL`, `BRIEFD_MAIL_FROM`): with it, the mailer runs and notifications are mailed too.
    public var mail: MailerConfiguration?
    /// Serve the console at /console (`BRIEFD_CONSOLE=false` turns it off).
    public var console = true
    /// Called once the port is bound, with the address actually listened on.
    public var onListening: @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }

    public init(database: DatabaseSettings, secretKey: String, migrations: [Migration], logger: Logger) {
        self.database = database
        self.secretKey = secretKey
        self.migrations = migrations
        self.logger = logger
    }
}

/// The composition root: the daemon `briefd serve` runs and every API test runs. One Hummingbird
/// application whose services are, in start order, the PostgreSQL pool, migrate-on-start, the readiness
/// monitor, the dispatcher's HTTP client, the webhook dispatcher, the timer service and the housekeeper; they stop in
/// reverse
/// order after the HTTP server, so requests and webhook calls in flight finish first.
public func buildApplication(_ c: DaemonConfiguration) throws -> some ApplicationProtocol {
    let logger = c.logger
    // PostgresNIO reports each failed connection attempt at info; our own retry messages say it once, clearly.
    var background = logger
    background.logLevel = max(logger.logLevel, .warning)
    let client = PostgresClient(
        configuration: c.database.clientConfiguration(maxConnections: c.maxDBConnections), backgroundLogger: background)
    let db = Database(client: client, logger: logger, maxConnections: c.maxDBConnections)
    let migrator = Migrator(migrations: c.migrations, logger: logger)
    let settings = c.database
    let readiness = ReadinessMonitor(
        db: db, migrator: migrator, interval: c.readinessInterval,
        canConnect: { [background] in await settings.connectionProblem(logger: background) == nil })
    let box = try SecretBox(secretKey: c.secretKey, previousKeys: c.previousSecretKeys)
    var deps = AppDependencies(
        db: db, readiness: readiness, adminToken: c.adminToken, secretBox: box,
        addressPolicy: c.dispatch.addressPolicy, logger: logger, metrics: c.metrics, rateLimiter: c.rateLimiter,
        authFailureLimiter: c.authFailureLimiter)
    deps.trustedProxies = c.trustedProxies
    deps.workBudget = WorkBudget(most: c.heavyRequestsPerOrganization)
    deps.strictTransportSecurity = c.servedOverHTTPS
    deps.metricsOnAPIPort = c.metricsAddress == nil
    deps.publicAddress = PublicAddress(c.publicURL)
    deps.passwords = c.passwords
    deps.mail = c.mail != nil
    deps.secretKey = c.secretKey
    let router = BriefdRouter.build(deps)
    if c.console {
        try Console(
            db: db, secretBox: box, logger: logger, failures: c.authFailureLimiter, limiter: c.rateLimiter,
            budget: deps.workBudget, secureCookies: c.servedOverHTTPS, passwords: deps.passwords,
            publicAddress: deps.publicAddress, mail: deps.mail
        ).register(on: router)
    }
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: c.dispatch.httpConfiguration)
    var services: [any Service] = [client]
    if c.migrate { services.append(MigrateOnStart(db: db, migrator: migrator, readiness: readiness)) }
    services.append(readiness)
    services.append(HTTPClientService(client: http))
    services.append(Dispatcher(db: db, box: box, http: http, configuration: c.dispatch, logger: logger))
    services.append(TimerService(db: db, configuration: c.timers, mail: deps.mail, logger: logger))
    services.append(Housekeeper(db: db, attemptRetention: c.attemptRetention))
    if let mail = c.mail {
        let composer = MailComposer(
            from: mail.from, publicAddress: deps.publicAddress, unsubscribe: UnsubscribeTokens(secretKey: c.secretKey))
        services.append(try Mailer(db: db, configuration: mail, composer: composer, logger: logger))
    }
    if let address = c.metricsAddress {
        // `/metrics` on a listen address of its own (a private network), not beside the public API.
        let metricsRouter = Router()
        let registry = c.metrics
        metricsRouter.get("/metrics") { _, _ in MetricsDocument.response(registry) }
        services.append(
            Application(
                router: metricsRouter,
                configuration: .init(address: .hostname(address.host, port: address.port), serverName: "briefd"),
                logger: logger))
    }
    let host = c.host
    return Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    RequestReadDeadline(timeout: .nanoseconds(c.requestReadTimeout.nanoseconds))
                ],
                idleTimeout: .nanoseconds(c.httpIdleTimeout.nanoseconds))),
        configuration: .init(
            address: .hostname(host, port: c.port), serverName: "briefd",
            availableConnectionsDelegate: MaximumAvailableConnections(c.maxHTTPConnections)),
        services: services,
        onServerRunning: { [publicAddress = deps.publicAddress] channel in
            let port = channel.localAddress?.port ?? c.port
            if c.publicURL == nil { publicAddress.set("http://\(host):\(port)") }
            c.onListening(host, port)
        },
        logger: logger)
}

/// Shuts the dispatcher's HTTP client down once the services after it (the dispatcher) have stopped.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// Applies pending migrations at start, retrying with a visible message while the database is unreachable,
/// then stays until shutdown (a service that returned would stop the application).
struct MigrateOnStart: Service {
    let db: Database
    let migrator: Migrator
    let readiness: ReadinessMonitor

    func run() async throws {
        var delay = 1
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                // Wait for the database with a bounded ping; the migration itself is never given up on (a long one
                // must finish, and the next attempt would only queue behind its lock).
                guard await db.ping(within: .seconds(3)) else { throw DatabaseUnavailable() }
                let applied = try await migrator.migrate(db.client)
                db.logger.info("migrations done", metadata: ["applied": "\(applied)"])
                await readiness.check()
                break
            } catch let e as MigrationError {
                throw e
            } catch {
                // Stopping before the database answered (a port already taken, SIGTERM): nothing to report.
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                db.logger.warning(
                    "database unavailable; retrying migrations",
                    metadata: ["in_seconds": "\(delay)", "error": "\(String(describing: error))"])
                try? await cancelWhenGracefulShutdown { [delay] in try await Task.sleep(for: .seconds(delay)) }
                delay = min(delay * 2, 10)
            }
        }
        try? await gracefulShutdown()
    }
}
