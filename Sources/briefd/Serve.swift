import API
import ArgumentParser
import BriefdApp
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Storage
import Timers
import UnixSignals
import Webhooks

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API and the webhook dispatcher. Applies pending migrations first unless --no-migrate.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Listen address. Env: BRIEFD_HOST. Default 127.0.0.1.")
    var host: String?

    @Option(help: "Listen port. Env: BRIEFD_PORT. Default 8080.")
    var port: Int?

    @Option(
        name: .customLong("admin-token"),
        help: ArgumentHelp("Operator token that may create organizations. Env: BRIEFD_ADMIN_TOKEN.", valueName: "token")
    )
    var adminToken: String?

    @Option(
        name: .customLong("env"),
        help: "development or production (stricter: no generated keys). Env: BRIEFD_ENV. Default development.")
    var environment: String?

    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning, error or critical. Env: BRIEFD_LOG_LEVEL. Default info.")
    var logLevel: String?

    @Option(
        name: .customLong("log-format"),
        help: "json (one object per line) or text. Env: BRIEFD_LOG_FORMAT. Default json.")
    var logFormat: String?

    @Option(
        name: .customLong("rate-limit"),
        help:
            "Requests per second allowed per API key, per daemon (0 for no limit). Env: BRIEFD_RATE_LIMIT. Default 100."
    )
    var rateLimit: Int?

    @Option(
        name: .customLong("auth-failure-limit"),
        help: ArgumentHelp(
            "Requests without a valid key or token allowed per second from one client address (bursts of five times as many), before any key is looked up; past it 429 (0 for no limit). Env: BRIEFD_AUTH_FAILURE_LIMIT. Default 10."
        ))
    var authFailureLimit: Int?

    @Option(
        name: .customLong("max-http-connections"),
        help:
            "Open HTTP connections at most; past it new ones wait to be accepted. Env: BRIEFD_MAX_HTTP_CONNECTIONS. Default 4096."
    )
    var maxHTTPConnections: Int?

    @Option(
        name: .customLong("rate-burst"),
        help: "Requests an API key may send at once above the rate. Env: BRIEFD_RATE_BURST. Default twice the rate.")
    var rateBurst: Int?

    @Option(
        name: .customLong("retention-days"),
        help: "Days webhook attempts are kept before housekeeping prunes them. Env: BRIEFD_RETENTION_DAYS. Default 30.")
    var retentionDays: Int?

    @Flag(
        name: .customLong("no-migrate"),
        help: "Do not apply pending migrations on start (run `briefd migrate` instead).")
    var noMigrate = false

    @Option(
        name: .customLong("max-db-connections"),
        help: "Size of the PostgreSQL connection pool. Env: BRIEFD_MAX_DB_CONNECTIONS. Default 20.")
    var maxDBConnections: Int?

    @Option(
        name: .customLong("secret-key"),
        help: ArgumentHelp(
            "Key (32+ characters) that encrypts webhook secrets at rest. Env: BRIEFD_SECRET_KEY. In development one is generated into the data folder; production refuses to start without it.",
            valueName: "key"))
    var secretKey: String?

    @Option(
        name: .customLong("previous-secret-keys"),
        help: ArgumentHelp(
            "Comma-separated keys that sealed webhook secrets before --secret-key: they still open them, and each secret read is sealed again under the current key (or all at once by `briefd reseal`). Env: BRIEFD_PREVIOUS_SECRET_KEYS.",
            valueName: "keys"))
    var previousSecretKeysOption: String?

    @Option(
        name: .customLong("data-dir"),
        help: "Folder for development-generated files (the secret key). Env: BRIEFD_DATA_DIR. Default .local.")
    var dataDir: String?

    @Option(
        name: .customLong("webhook-allow-private"),
        help: ArgumentHelp(
            "true to allow webhook URLs on loopback, private and link-local addresses (development, tests). Env: BRIEFD_WEBHOOK_ALLOW_PRIVATE.",
            valueName: "bool"))
    var webhookAllowPrivate: String?

    @Option(
        name: .customLong("webhook-retry-schedule"),
        help: ArgumentHelp(
            "Seconds between delivery attempts, comma-separated. Env: BRIEFD_WEBHOOK_RETRY_SCHEDULE. Default 5,300,1800,7200,18000,36000,36000.",
            valueName: "seconds"))
    var webhookRetrySchedule: String?

    @Option(
        name: .customLong("webhook-disable-after"),
        help: ArgumentHelp(
            "Seconds without a successful delivery after which an endpoint is disabled. Env: BRIEFD_WEBHOOK_DISABLE_AFTER. Default 432000 (5 days).",
            valueName: "seconds"))
    var webhookDisableAfter: Int?

    @Option(
        name: .customLong("console"),
        help: ArgumentHelp(
            "true to serve the web console at /console, false to turn it off. Env: BRIEFD_CONSOLE. Default true.",
            valueName: "bool"))
    var console: String?

    @Option(
        name: .customLong("trusted-proxies"),
        help: ArgumentHelp(
            "Comma-separated CIDRs of proxies whose X-Forwarded-For names the client, for the per-address limits (e.g. 10.0.0.0/8). Env: BRIEFD_TRUSTED_PROXIES. Default none: the socket's peer is the client.",
            valueName: "cidrs"))
    var trustedProxies: String?

    @Option(
        name: .customLong("request-read-timeout"),
        help: ArgumentHelp(
            "Seconds a whole request (head and body) may take to arrive, from the connection's opening or the previous answer; past it the connection is closed. Env: BRIEFD_REQUEST_READ_TIMEOUT. Default 30.",
            valueName: "seconds"))
    var requestReadTimeout: Int?

    @Option(
        name: .customLong("heavy-requests-per-organization"),
        help: ArgumentHelp(
            "Heavy requests (reports, CSV, overdue and later inbox pages, replays) one organization may run at once, per daemon; past it 429 busy. Env: BRIEFD_HEAVY_REQUESTS_PER_ORGANIZATION. Default 4.",
            valueName: "n"))
    var heavyRequestsPerOrganization: Int?

    @Option(
        name: .customLong("metrics-address"),
        help: ArgumentHelp(
            "host:port to serve /metrics on instead of the API's port (e.g. 10.0.0.5:9464). Env: BRIEFD_METRICS_ADDRESS. Default the API's port.",
            valueName: "host:port"))
    var metricsAddress: String?

    @Option(
        name: .customLong("public-url"),
        help: ArgumentHelp(
            "Where people reach this daemon (links; an https URL makes the console's cookie Secure and sends HSTS). Env: BRIEFD_PUBLIC_URL. Default the listen address.",
            valueName: "url"))
    var publicURL: String?

    @Option(
        name: .customLong("secure-cookies"),
        help: ArgumentHelp(
            "true to mark the console's cookie Secure and send HSTS without an https public URL (behind a TLS proxy). Env: BRIEFD_SECURE_COOKIES. Default false.",
            valueName: "bool"))
    var secureCookies: String?

    func run() async throws {
        try await Briefd.reportingErrors { try await serve() }
    }

    private func serve() async throws {
        let settings = try database.settings()
        let migrations = try database.migrations()
        try LogSetup.bootstrap(format: logFormat ?? env("BRIEFD_LOG_FORMAT"))
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = try Briefd.makeLogger("briefd", level: logLevel ?? env("BRIEFD_LOG_LEVEL"))
        let host = host ?? env("BRIEFD_HOST") ?? "127.0.0.1"
        let port = try intSetting(port, "BRIEFD_PORT", 0...65535) ?? 8080
        let mode = environment ?? env("BRIEFD_ENV") ?? "development"
        guard ["development", "production"].contains(mode) else {
            throw ConfigurationError(description: "BRIEFD_ENV must be development or production, not \(mode)")
        }
        let token = adminToken ?? env("BRIEFD_ADMIN_TOKEN")
        if let token, token.utf8.count < 16 {
            throw ConfigurationError(description: "BRIEFD_ADMIN_TOKEN must be at least 16 characters")
        }
        if let token, mode == "production", let weakness = SecretStrength.weakness(of: token, minimumBits: 48) {
            throw ConfigurationError(
                description: "BRIEFD_ADMIN_TOKEN \(weakness); production refuses it: \(SecretStrength.advice)")
        }
        if token == nil { logger.warning("no BRIEFD_ADMIN_TOKEN: organizations cannot be created") }
        let poolSize = try intSetting(maxDBConnections, "BRIEFD_MAX_DB_CONNECTIONS", 1...1000) ?? 20

        let secret = try resolveSecretKey(production: mode == "production", logger: logger)
        var dispatch = DispatcherConfiguration()
        dispatch.addressPolicy = AddressPolicy(
            allowPrivate: try parseBool(
                webhookAllowPrivate ?? env("BRIEFD_WEBHOOK_ALLOW_PRIVATE"),
                name: "BRIEFD_WEBHOOK_ALLOW_PRIVATE") ?? false)
        if let text = webhookRetrySchedule ?? env("BRIEFD_WEBHOOK_RETRY_SCHEDULE") {
            do { dispatch.retryPolicy = try RetryPolicy(parsing: text) } catch let e as RetryPolicyError {
                throw ConfigurationError(description: e.description)
            }
        }
        if let seconds = try intSetting(
            webhookDisableAfter, "BRIEFD_WEBHOOK_DISABLE_AFTER", 1...Int.max, unit: " seconds")
        {
            dispatch.disableAfter = .seconds(seconds)
        }
        // How long a claimed delivery stays reserved; it must outlast one attempt (10 s). Lowered only by fault runs.
        if let lease = try intSetting(nil, "BRIEFD_WEBHOOK_LEASE_SECONDS", 11...Int.max, unit: " seconds") {
            dispatch.lease = .seconds(lease)
        }
        // How long a claimed timer stays reserved for this daemon. Lowered only by fault runs.
        var timers = TimerServiceConfiguration()
        if let lease = try intSetting(nil, "BRIEFD_TIMER_LEASE_SECONDS", 2...3600, unit: " seconds") {
            timers.lease = .seconds(lease)
        }
        let rate = try intSetting(rateLimit, "BRIEFD_RATE_LIMIT", 0...1_000_000) ?? 100
        let burst = try intSetting(rateBurst, "BRIEFD_RATE_BURST", 1...10_000_000) ?? rate * 2
        let days = try intSetting(retentionDays, "BRIEFD_RETENTION_DAYS", 1...36_500, unit: " days") ?? 30
        var config = DaemonConfiguration(database: settings, secretKey: secret, migrations: migrations, logger: logger)
        config.previousSecretKeys = try Self.previousSecretKeys(
            previousSecretKeysOption ?? env("BRIEFD_PREVIOUS_SECRET_KEYS"))
        config.maxDBConnections = poolSize
        config.host = host
        config.port = port
        config.adminToken = token
        config.dispatch = dispatch
        config.timers = timers
        config.rateLimiter = rate > 0 ? RateLimiter(rate: Double(rate), burst: Double(burst)) : nil
        let failures = try intSetting(authFailureLimit, "BRIEFD_AUTH_FAILURE_LIMIT", 0...1_000_000) ?? 10
        config.authFailureLimiter =
            failures > 0 ? RateLimiter(rate: Double(failures), burst: Double(failures * 5)) : nil
        config.maxHTTPConnections =
            try intSetting(maxHTTPConnections, "BRIEFD_MAX_HTTP_CONNECTIONS", 1...1_000_000) ?? 4_096
        config.attemptRetention = .seconds(days * 86_400)
        if let list = trustedProxies ?? env("BRIEFD_TRUSTED_PROXIES") {
            guard let proxies = TrustedProxies(list: list) else {
                throw ConfigurationError(
                    description: "BRIEFD_TRUSTED_PROXIES must be comma-separated CIDRs such as 10.0.0.0/8,fd00::/8")
            }
            config.trustedProxies = proxies
        }
        if let text = metricsAddress ?? env("BRIEFD_METRICS_ADDRESS") {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                (1...65535).contains(port), colon > text.startIndex
            else {
                throw ConfigurationError(description: "BRIEFD_METRICS_ADDRESS must be host:port, not \(text)")
            }
            config.metricsAddress = (String(text[..<colon]), port)
        }
        if let url = publicURL ?? env("BRIEFD_PUBLIC_URL") {
            guard let c = URLComponents(string: url), ["http", "https"].contains(c.scheme?.lowercased() ?? ""),
                c.host?.isEmpty == false
            else {
                throw ConfigurationError(description: "BRIEFD_PUBLIC_URL must be an http or https URL, not \(url)")
            }
            config.publicURL = url
        }
        config.secureCookies =
            try parseBool(secureCookies ?? env("BRIEFD_SECURE_COOKIES"), name: "BRIEFD_SECURE_COOKIES") ?? false
        config.requestReadTimeout = .seconds(
            try intSetting(requestReadTimeout, "BRIEFD_REQUEST_READ_TIMEOUT", 1...3600, unit: " seconds") ?? 30)
        config.heavyRequestsPerOrganization =
            try intSetting(heavyRequestsPerOrganization, "BRIEFD_HEAVY_REQUESTS_PER_ORGANIZATION", 1...1000) ?? 4
        config.migrate = !noMigrate
        config.metrics = registry
        config.console = try parseBool(console ?? env("BRIEFD_CONSOLE"), name: "BRIEFD_CONSOLE") ?? true
        let consoleOn = config.console
        config.onListening = { host, bound in
            logger.notice("briefd listening", metadata: ["address": "http://\(host):\(bound)"])
            var lines = "briefd listening on http://\(host):\(bound)\n"
            if consoleOn { lines += "console:         http://\(host):\(bound)/console (sign in with an API key)\n" }
            FileHandle.standardOutput.write(Data(lines.utf8))
        }
        try Self.checkPortIsFree(host: host, port: port)
        let app = try buildApplication(config)
        var groupConfig = ServiceGroupConfiguration(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(30)
        let group = ServiceGroup(configuration: groupConfig)
        do {
            try await Self.withShutdownWatchdog(after: .seconds(40), logger: logger) { try await group.run() }
            logger.notice("briefd stopped")
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ConfigurationError(
                description: """
                    \(host):\(port) is already in use (another briefd, or another program); \
                    choose another port: BRIEFD_PORT=9000 scripts/run, or briefd serve --port 9000
                    """)
        } catch {
            throw ConfigurationError(description: "stopped: \(Briefd.oneLine(error))")
        }
    }

    /// Runs `body` (the service group); once SIGTERM or SIGINT arrives, the process exits with status 1 if `body`
    /// has not returned `after` that long. The group gives requests and webhook calls 30 s, then cancels; but
    /// after a PostgreSQL restart under load a few requests can stay stuck inside PostgresNIO, deaf to
    /// cancellation, and a cancellation race inside the service groups was seen to leave both event loops (which
    /// run every task) blocked (docs/reliability.md). So the watchdog owes nothing to Swift Concurrency: a
    /// Dispatch signal source and a Dispatch timer on Dispatch's own threads, ending the process with `_exit`.
    static func withShutdownWatchdog(after limit: Duration, logger: Logger, _ body: () async throws -> Void)
        async throws
    {
        let watchdog = ShutdownWatchdog(limit: limit, logger: logger)
        defer { watchdog.cancel() }
        try await body()
    }

    /// Refuses a port another process listens on before any service starts, in one clear line: failing the bind
    /// later cancels every service mid-start.
    static func checkPortIsFree(host: String, port: Int) throws {
        guard port != 0 else { return }
        let taken = ConfigurationError(
            description: """
                \(host):\(port) is already in use (another briefd, or another program); \
                choose another port: BRIEFD_PORT=9000 scripts/run, or briefd serve --port 9000
                """)
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 && errno == EADDRINUSE { throw taken }
    }

    /// BRIEFD_SECRET_KEY, or in development a key generated once into the data folder.
    /// The previous keys of a comma-separated list, each at least 32 characters.
    static func previousSecretKeys(_ list: String?) throws -> [String] {
        guard let list else { return [] }
        let keys = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard keys.allSatisfy({ $0.utf8.count >= 32 }) else {
            throw ConfigurationError(description: "each of BRIEFD_PREVIOUS_SECRET_KEYS must be at least 32 characters")
        }
        return keys
    }

    private func resolveSecretKey(production: Bool, logger: Logger) throws -> String {
        if let key = secretKey ?? env("BRIEFD_SECRET_KEY") {
            guard key.utf8.count >= 32 else {
                throw ConfigurationError(description: "BRIEFD_SECRET_KEY must be at least 32 characters")
            }
            if production, let weakness = SecretStrength.weakness(of: key, minimumBits: 80) {
                throw ConfigurationError(
                    description: "BRIEFD_SECRET_KEY \(weakness); production refuses it: \(SecretStrength.advice)")
            }
            return key
        }
        if production {
            throw ConfigurationError(
                description:
                    "BRIEFD_SECRET_KEY is required in production (32+ random characters; it encrypts webhook secrets)")
        }
        let dir = dataDir ?? env("BRIEFD_DATA_DIR") ?? ".local"
        let path = dir + "/secret-key"
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines), existing.utf8.count >= 32
        {
            return existing
        }
        let key = SecretBox.generateKey()
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            FileManager.default.createFile(
                atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600])
        } catch {
            throw ConfigurationError(
                description: "cannot write a development secret key to \(path); set BRIEFD_SECRET_KEY")
        }
        logger.warning("no BRIEFD_SECRET_KEY: generated a development key", metadata: ["path": "\(path)"])
        return key
    }
}

/// Ends the process `limit` after the first SIGTERM or SIGINT unless cancelled first (see `withShutdownWatchdog`).
final class ShutdownWatchdog: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]
    private let queue = DispatchQueue(label: "briefd.shutdown-watchdog")

    init(limit: Duration, logger: Logger) {
        let queue = self.queue
        var armed = false
        sources = [SIGTERM, SIGINT].map { signal in
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler {
                guard !armed else { return }
                armed = true
                logger.notice(
                    "shutting down: requests and webhook calls in flight finish first",
                    metadata: ["signal": "\(signal)"])
                queue.asyncAfter(deadline: .now() + .nanoseconds(Int(limit.nanoseconds))) {
                    let line = "briefd: shutdown did not finish in \(limit.components.seconds) s; exiting\n"
                    _ = line.withCString { write(2, $0, strlen($0)) }
                    _exit(1)
                }
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        queue.sync {
            for source in sources { source.cancel() }
        }
    }
}
