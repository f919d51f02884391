import API
import ArgumentParser
import BriefdApp
import Foundation
import Hummingbird
import Logging
import Mail
import Mailer
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

    @Option(name: .customLong("host"), help: Settings.host.argumentHelp) var host: String?
    @Option(name: .customLong("port"), help: Settings.port.argumentHelp) var port: Int?
    @Option(name: .customLong("admin-token"), help: Settings.adminToken.argumentHelp) var adminToken: String?
    @Option(name: .customLong("env"), help: Settings.environment.argumentHelp) var environment: String?
    @Option(name: .customLong("log-level"), help: Settings.logLevel.argumentHelp) var logLevel: String?
    @Option(name: .customLong("log-format"), help: Settings.logFormat.argumentHelp) var logFormat: String?
    @Option(name: .customLong("rate-limit"), help: Settings.rateLimit.argumentHelp) var rateLimit: Int?
    @Option(name: .customLong("auth-failure-limit"), help: Settings.authFailureLimit.argumentHelp)
    var authFailureLimit: Int?
    @Option(name: .customLong("max-http-connections"), help: Settings.maxHTTPConnections.argumentHelp)
    var maxHTTPConnections: Int?
    @Option(name: .customLong("rate-burst"), help: Settings.rateBurst.argumentHelp) var rateBurst: Int?
    @Option(name: .customLong("retention-days"), help: Settings.retentionDays.argumentHelp) var retentionDays: Int?

    @Flag(
        name: .customLong("no-migrate"),
        help: "Do not apply pending migrations on start (run `briefd migrate` instead).")
    var noMigrate = false

    @Option(name: .customLong("max-db-connections"), help: Settings.maxDBConnections.argumentHelp)
    var maxDBConnections: Int?
    @Option(name: .customLong("secret-key"), help: Settings.secretKey.argumentHelp) var secretKey: String?
    @Option(name: .customLong("previous-secret-keys"), help: Settings.previousSecretKeys.argumentHelp)
    var previousSecretKeysOption: String?
    @Option(name: .customLong("data-dir"), help: Settings.dataDir.argumentHelp) var dataDir: String?
    @Option(name: .customLong("webhook-allow-private"), help: Settings.webhookAllowPrivate.argumentHelp)
    var webhookAllowPrivate: String?
    @Option(name: .customLong("webhook-retry-schedule"), help: Settings.webhookRetrySchedule.argumentHelp)
    var webhookRetrySchedule: String?
    @Option(name: .customLong("webhook-disable-after"), help: Settings.webhookDisableAfter.argumentHelp)
    var webhookDisableAfter: Int?
    @Option(name: .customLong("console"), help: Settings.console.argumentHelp) var console: String?
    @Option(name: .customLong("trusted-proxies"), help: Settings.trustedProxies.argumentHelp)
    var trustedProxies: String?
    @Option(name: .customLong("request-read-timeout"), help: Settings.requestReadTimeout.argumentHelp)
    var requestReadTimeout: Int?
    @Option(
        name: .customLong("heavy-requests-per-organization"),
        help: Settings.heavyRequestsPerOrganization.argumentHelp)
    var heavyRequestsPerOrganization: Int?
    @Option(name: .customLong("metrics-address"), help: Settings.metricsAddress.argumentHelp)
    var metricsAddress: String?
    @Option(name: .customLong("public-url"), help: Settings.publicURL.argumentHelp) var publicURL: String?
    @Option(name: .customLong("secure-cookies"), help: Settings.secureCookies.argumentHelp)
    var secureCookies: String?
    @Option(name: .customLong("smtp-url"), help: Settings.smtpURL.argumentHelp) var smtpURL: String?
    @Option(name: .customLong("mail-from"), help: Settings.mailFrom.argumentHelp) var mailFrom: String?

    func run() async throws {
        try await Briefd.reportingErrors { try await serve() }
    }

    private func serve() async throws {
        let settings = try database.settings()
        let migrations = try database.migrations()
        try LogSetup.bootstrap(format: try Settings.logFormat.text(logFormat))
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = try Briefd.makeLogger("briefd", level: try Settings.logLevel.text(logLevel))
        let host = try Settings.host.text(host) ?? "127.0.0.1"
        let port = try Settings.port.integerWithDefault(port)
        let production = try Settings.environment.text(environment) == "production"
        let token = try Settings.adminToken.text(adminToken)
        if let token, token.utf8.count < 16 {
            throw ConfigurationError(description: "BRIEFD_ADMIN_TOKEN must be at least 16 characters")
        }
        if let token, production, let weakness = SecretStrength.weakness(of: token, minimumBits: 48) {
            throw ConfigurationError(
                description: "BRIEFD_ADMIN_TOKEN \(weakness); production refuses it: \(SecretStrength.advice)")
        }
        if token == nil { logger.warning("no BRIEFD_ADMIN_TOKEN: organizations cannot be created") }

        let secret = try resolveSecretKey(production: production, logger: logger)
        var dispatch = DispatcherConfiguration()
        dispatch.addressPolicy = AddressPolicy(
            allowPrivate: try Settings.webhookAllowPrivate.bool(webhookAllowPrivate)
                ?? false)
        if let text = try Settings.webhookRetrySchedule.text(webhookRetrySchedule) {
            do { dispatch.retryPolicy = try RetryPolicy(parsing: text) } catch let e as RetryPolicyError {
                throw ConfigurationError(description: e.description)
            }
        }
        dispatch.disableAfter = .seconds(try Settings.webhookDisableAfter.integerWithDefault(webhookDisableAfter))
        dispatch.lease = .seconds(try Settings.webhookLeaseSeconds.integerWithDefault())
        var timers = TimerServiceConfiguration()
        timers.lease = .seconds(try Settings.timerLeaseSeconds.integerWithDefault())
        let rate = try Settings.rateLimit.integerWithDefault(rateLimit)
        let burst = try Settings.rateBurst.integer(rateBurst) ?? rate * 2
        let days = try Settings.retentionDays.integerWithDefault(retentionDays)
        var config = DaemonConfiguration(database: settings, secretKey: secret, migrations: migrations, logger: logger)
        config.previousSecretKeys = try Self.previousSecretKeys(
            try Settings.previousSecretKeys.text(previousSecretKeysOption))
        config.maxDBConnections = try Settings.maxDBConnections.integerWithDefault(maxDBConnections)
        config.host = host
        config.port = port
        config.adminToken = token
        config.dispatch = dispatch
        config.timers = timers
        config.rateLimiter = rate > 0 ? RateLimiter(rate: Double(rate), burst: Double(burst)) : nil
        let failures = try Settings.authFailureLimit.integerWithDefault(authFailureLimit)
        config.authFailureLimiter =
            failures > 0 ? RateLimiter(rate: Double(failures), burst: Double(failures * 5)) : nil
        config.maxHTTPConnections = try Settings.maxHTTPConnections.integerWithDefault(maxHTTPConnections)
        config.attemptRetention = .seconds(days * 86_400)
        if let list = try Settings.trustedProxies.text(trustedProxies) {
            guard let proxies = TrustedProxies(list: list) else {
                throw ConfigurationError(
                    description: "BRIEFD_TRUSTED_PROXIES must be comma-separated CIDRs such as 10.0.0.0/8,fd00::/8")
            }
            config.trustedProxies = proxies
        }
        if let text = try Settings.metricsAddress.text(metricsAddress) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                (1...65535).contains(port), colon > text.startIndex
            else {
                throw ConfigurationError(description: "BRIEFD_METRICS_ADDRESS must be host:port, not \(text)")
            }
            config.metricsAddress = (String(text[..<colon]), port)
        }
        if let url = try Settings.publicURL.text(publicURL) {
            guard let c = URLComponents(string: url), ["http", "https"].contains(c.scheme?.lowercased() ?? ""),
                c.host?.isEmpty == false
            else {
                throw ConfigurationError(description: "BRIEFD_PUBLIC_URL must be an http or https URL, not \(url)")
            }
            config.publicURL = url
        }
        config.secureCookies = try Settings.secureCookies.bool(secureCookies) ?? false
        if let url = try Settings.smtpURL.text(smtpURL) {
            let smtp: SMTPSettings
            do { smtp = try SMTPSettings(url: url) } catch { throw ConfigurationError(description: "\(error)") }
            let host = config.publicURL.flatMap { URLComponents(string: $0)?.host } ?? "localhost"
            let sender = try Settings.mailFrom.text(mailFrom) ?? "briefd <briefd@\(host)>"
            guard let from = MailMessage.Mailbox(parsing: sender) else {
                throw ConfigurationError(description: "BRIEFD_MAIL_FROM must be an address or Name <address>")
            }
            var mail = MailerConfiguration(smtp: smtp, from: from)
            mail.lease = .seconds(try Settings.mailLeaseSeconds.integerWithDefault())
            config.mail = mail
        }
        config.requestReadTimeout = .seconds(try Settings.requestReadTimeout.integerWithDefault(requestReadTimeout))
        config.heavyRequestsPerOrganization = try Settings.heavyRequestsPerOrganization.integerWithDefault(
            heavyRequestsPerOrganization)
        config.migrate = !noMigrate
        config.metrics = registry
        config.console = try Settings.console.bool(console) ?? true
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
        if let key = try Settings.secretKey.text(secretKey) {
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
        let dir = try Settings.dataDir.text(dataDir) ?? ".local"
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
