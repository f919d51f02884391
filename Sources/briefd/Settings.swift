import ArgumentParser
import Foundation
import Mailer
import Timers
import Webhooks

/// One setting of the daemon, written once: its environment variable, its flag, its default, what it means and how a
/// value is checked. A flag wins over the variable, the variable over the default, and whichever way a value came it
/// is checked the same way. `--help` is built from this table, `briefd settings` prints it as docs/operations.md's
/// table rows, and scripts/check-cli compares the two.
struct Setting: Sendable {
    /// How a value is read and checked.
    enum Kind: Sendable {
        case text
        case bool
        /// A whole number within `range`; `unit` follows the bound in an error (" seconds").
        case integer(ClosedRange<Int>, unit: String)
        case choice([String])
    }

    let variable: String
    /// The long flag without its dashes; nil for a setting read from the environment only.
    let flag: String?
    let kind: Kind
    /// The default as a value would be written (parsed and checked like one); nil when there is none or it is computed.
    let defaultValue: String?
    /// The default in words, for a computed one ("twice the rate") or none ("none").
    let defaultNote: String?
    /// One sentence for `--help` (the docs' table says more).
    let help: String
    /// The value's name in `--help`.
    let valueName: String?

    init(
        _ variable: String, flag: String?, _ kind: Kind = .text, default defaultValue: String? = nil,
        note defaultNote: String? = nil, valueName: String? = nil, help: String
    ) {
        self.variable = variable
        self.flag = flag
        self.kind = kind
        self.defaultValue = defaultValue
        self.defaultNote = defaultNote
        self.valueName = valueName
        self.help = help
    }

    /// How the default reads in `--help` and in the docs' table.
    var defaultDescription: String { defaultValue.map { "`\($0)`" } ?? defaultNote ?? "none" }

    /// `--help`'s text: the sentence, the variable and the default.
    var argumentHelp: ArgumentHelp {
        let shown = defaultValue ?? defaultNote
        let tail = shown.map { $0.hasSuffix("(required)") ? " Required." : " Default \($0)." } ?? ""
        return ArgumentHelp("\(help) Env: \(variable).\(tail)", valueName: valueName)
    }

    /// The raw value: the flag's, else the variable's, else the default.
    func raw(_ flagValue: String?) -> String? {
        flagValue ?? ProcessInfo.processInfo.environment[variable] ?? defaultValue
    }

    /// The setting as text, checked against its choices when it has some.
    func text(_ flagValue: String? = nil) throws -> String? {
        guard let value = raw(flagValue) else { return nil }
        guard case .choice(let choices) = kind else { return value }
        guard choices.contains(value.lowercased()) else {
            throw ConfigurationError(
                description: "\(variable) must be one of \(choices.joined(separator: ", ")), not \(value)")
        }
        return value.lowercased()
    }

    /// The setting as a boolean (`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`).
    func bool(_ flagValue: String? = nil) throws -> Bool? {
        guard let value = raw(flagValue) else { return nil }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default: throw ConfigurationError(description: "\(variable) must be true or false, not \(value)")
        }
    }

    /// The setting as a whole number within its range.
    func integer(_ flagValue: Int? = nil) throws -> Int? {
        let value: Int
        if let flagValue {
            value = flagValue
        } else {
            guard let text = raw(nil) else { return nil }
            guard let n = Int(text) else {
                throw ConfigurationError(description: "\(variable) must be a whole number, not \(text)")
            }
            value = n
        }
        guard case .integer(let range, let unit) = kind, !range.contains(value) else { return value }
        let bound =
            range.upperBound == Int.max
            ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
        throw ConfigurationError(description: "\(variable) must be \(bound)\(unit)")
    }

    /// The setting as a whole number, which has a default.
    func integerWithDefault(_ flagValue: Int? = nil) throws -> Int {
        guard let value = try integer(flagValue) else {
            throw ConfigurationError(description: "\(variable) has no value and no default")
        }
        return value
    }
}

/// Every setting of `briefd serve` (and of `migrate` and `reseal`, which share some), in the order of the docs' table.
enum Settings {
    static let databaseURL = Setting(
        "BRIEFD_DATABASE_URL", flag: "database-url", note: "— (required)", valueName: "url",
        help:
            "PostgreSQL URL, postgres://user:password@host:port/database"
            + "[?sslmode=disable|prefer|require|verify-ca|verify-full&sslrootcert=path]."
    )
    static let migrateDatabaseURL = Setting(
        "BRIEFD_MIGRATE_DATABASE_URL", flag: nil, note: "`BRIEFD_DATABASE_URL`",
        help: "The URL `briefd migrate` uses (the schema owner's).")
    static let migrationsDir = Setting(
        "BRIEFD_MIGRATIONS_DIR", flag: "migrations-dir", note: "the migrations built into the binary",
        valueName: "path", help: "Folder of numbered migration files, overriding the ones built into briefd.")
    static let authFailureLimit = Setting(
        "BRIEFD_AUTH_FAILURE_LIMIT", flag: "auth-failure-limit", .integer(0...1_000_000, unit: ""), default: "10",
        help:
            "Requests without a valid key or token allowed per second from one client address (bursts of five "
            + "times as many), before any key is looked up; past it 429 (0 for no limit)."
    )
    static let trustedProxies = Setting(
        "BRIEFD_TRUSTED_PROXIES", flag: "trusted-proxies", valueName: "cidrs",
        help:
            "Comma-separated CIDRs of proxies whose X-Forwarded-For names the client, for the per-address limits "
            + "(e.g. 10.0.0.0/8); without it the socket's peer is the client."
    )
    static let requestReadTimeout = Setting(
        "BRIEFD_REQUEST_READ_TIMEOUT", flag: "request-read-timeout", .integer(1...3600, unit: " seconds"),
        default: "30", valueName: "seconds",
        help:
            "Seconds a whole request (head and body) may take to arrive, from the connection's opening or the "
            + "previous answer; past it the connection is closed."
    )
    static let heavyRequestsPerOrganization = Setting(
        "BRIEFD_HEAVY_REQUESTS_PER_ORGANIZATION", flag: "heavy-requests-per-organization",
        .integer(1...1000, unit: ""), default: "4", valueName: "n",
        help:
            "Heavy requests (reports, CSV, overdue and later inbox pages, replays) one organization may run at "
            + "once, per daemon; past it 429 busy."
    )
    static let publicURL = Setting(
        "BRIEFD_PUBLIC_URL", flag: "public-url", note: "the listen address", valueName: "url",
        help:
            "Where people reach this daemon (links; an https URL makes the console's cookie Secure and sends HSTS).")
    static let secureCookies = Setting(
        "BRIEFD_SECURE_COOKIES", flag: "secure-cookies", .bool, default: "false", valueName: "bool",
        help:
            "true to mark the console's cookie Secure and send HSTS without an https public URL (behind a TLS proxy).")
    static let metricsAddress = Setting(
        "BRIEFD_METRICS_ADDRESS", flag: "metrics-address", note: "the API's port", valueName: "host:port",
        help: "host:port to serve /metrics on instead of the API's port (e.g. 10.0.0.5:9464).")
    static let maxHTTPConnections = Setting(
        "BRIEFD_MAX_HTTP_CONNECTIONS", flag: "max-http-connections", .integer(1...1_000_000, unit: ""),
        default: "4096", help: "Open HTTP connections at most; past it new ones wait to be accepted.")
    static let host = Setting("BRIEFD_HOST", flag: "host", default: "127.0.0.1", help: "Listen address.")
    static let port = Setting(
        "BRIEFD_PORT", flag: "port", .integer(0...65535, unit: ""), default: "8080", help: "Listen port.")
    static let adminToken = Setting(
        "BRIEFD_ADMIN_TOKEN", flag: "admin-token", valueName: "token",
        help: "Operator token (16+ characters) that may create organizations.")
    static let environment = Setting(
        "BRIEFD_ENV", flag: "env", .choice(["development", "production"]), default: "development",
        help: "development or production (stricter: no generated keys, no placeholder secrets).")
    static let secretKey = Setting(
        "BRIEFD_SECRET_KEY", flag: "secret-key", note: "generated in development", valueName: "key",
        help:
            "Key (32+ characters) that encrypts webhook secrets at rest. In development one is generated into "
            + "the data folder; production refuses to start without it."
    )
    static let previousSecretKeys = Setting(
        "BRIEFD_PREVIOUS_SECRET_KEYS", flag: "previous-secret-keys", valueName: "keys",
        help:
            "Comma-separated keys that sealed webhook secrets before --secret-key: they still open them, and "
            + "each secret read is sealed again under the current key (or all at once by `briefd reseal`)."
    )
    static let dataDir = Setting(
        "BRIEFD_DATA_DIR", flag: "data-dir", default: ".local",
        help: "Folder for development-generated files (the secret key).")
    static let webhookAllowPrivate = Setting(
        "BRIEFD_WEBHOOK_ALLOW_PRIVATE", flag: "webhook-allow-private", .bool, default: "false", valueName: "bool",
        help: "true to allow webhook URLs on loopback, private and link-local addresses (development, tests).")
    static let webhookRetrySchedule = Setting(
        "BRIEFD_WEBHOOK_RETRY_SCHEDULE", flag: "webhook-retry-schedule",
        default: RetryPolicy.defaultSchedule.map { String(Int($0)) }.joined(separator: ","), valueName: "seconds",
        help: "Seconds between delivery attempts, comma-separated.")
    static let webhookDisableAfter = Setting(
        "BRIEFD_WEBHOOK_DISABLE_AFTER", flag: "webhook-disable-after", .integer(1...Int.max, unit: " seconds"),
        default: String(DispatcherConfiguration().disableAfter.components.seconds), valueName: "seconds",
        help: "Seconds without a successful delivery after which an endpoint is disabled (432000: 5 days).")
    static let maxDBConnections = Setting(
        "BRIEFD_MAX_DB_CONNECTIONS", flag: "max-db-connections", .integer(1...1000, unit: ""), default: "20",
        help: "Size of the PostgreSQL connection pool.")
    static let rateLimit = Setting(
        "BRIEFD_RATE_LIMIT", flag: "rate-limit", .integer(0...1_000_000, unit: ""), default: "100",
        help: "Requests per second allowed per API key, per daemon (0 for no limit).")
    static let rateBurst = Setting(
        "BRIEFD_RATE_BURST", flag: "rate-burst", .integer(1...10_000_000, unit: ""), note: "twice the rate",
        help: "Requests an API key may send at once above the rate.")
    static let logLevel = Setting(
        "BRIEFD_LOG_LEVEL", flag: "log-level",
        .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), default: "info",
        help: "trace, debug, info, notice, warning, error or critical.")
    static let logFormat = Setting(
        "BRIEFD_LOG_FORMAT", flag: "log-format", .choice(["json", "text"]), default: "json",
        help: "json (one object per line) or text.")
    static let retentionDays = Setting(
        "BRIEFD_RETENTION_DAYS", flag: "retention-days", .integer(1...36_500, unit: " days"), default: "30",
        help: "Days webhook attempts are kept before housekeeping prunes them.")
    static let webhookLeaseSeconds = Setting(
        "BRIEFD_WEBHOOK_LEASE_SECONDS", flag: nil, .integer(11...Int.max, unit: " seconds"),
        default: String(DispatcherConfiguration().lease.components.seconds),
        help: "How long a claimed delivery stays reserved (longer than one attempt; lowered only by fault runs).")
    static let console = Setting(
        "BRIEFD_CONSOLE", flag: "console", .bool, default: "true", valueName: "bool",
        help: "true to serve the web console at /console, false to turn it off.")
    static let timerLeaseSeconds = Setting(
        "BRIEFD_TIMER_LEASE_SECONDS", flag: nil, .integer(2...3600, unit: " seconds"),
        default: String(TimerServiceConfiguration().lease.components.seconds),
        help: "How long a claimed timer stays reserved for one daemon (lowered only by fault runs).")

    static let smtpURL = Setting(
        "BRIEFD_SMTP_URL", flag: "smtp-url", note: "none (notifications stay in the product)", valueName: "url",
        help:
            "Where mail goes: smtp://[user:pass@]host:port (STARTTLS required), smtps://…, "
            + "?tls=none on loopback only.")
    static let mailFrom = Setting(
        "BRIEFD_MAIL_FROM", flag: "mail-from", note: "`briefd@` the public URL's host", valueName: "address",
        help: "The sender of every email: an address, or `Name <address>`.")

    static let mailLeaseSeconds = Setting(
        "BRIEFD_MAIL_LEASE_SECONDS", flag: nil, .integer(2...3600, unit: " seconds"),
        default: String(MailerConfiguration.defaultLease.components.seconds),
        help: "How long a claimed email stays reserved for one mailer (longer than a batch; lowered by fault runs).")

    /// The table, in the docs' order.
    static let all: [Setting] = [
        databaseURL, migrateDatabaseURL, authFailureLimit, trustedProxies, requestReadTimeout,
        heavyRequestsPerOrganization, publicURL, secureCookies, smtpURL, mailFrom, metricsAddress, maxHTTPConnections,
        host, port,
        adminToken, environment, secretKey, previousSecretKeys, dataDir, webhookAllowPrivate, webhookRetrySchedule,
        webhookDisableAfter, maxDBConnections, migrationsDir, rateLimit, rateBurst, logLevel, logFormat, retentionDays,
        webhookLeaseSeconds, console, timerLeaseSeconds, mailLeaseSeconds,
    ]

    /// The table's facts as docs/operations.md's rows begin: variable, flag, default.
    static var markdownRows: String {
        all.map { s in
            "| `\(s.variable)` | \(s.flag.map { "`--\($0)`" } ?? "—") | \(s.defaultDescription) |"
        }.joined(separator: "\n")
    }
}

/// `briefd settings`: the table of settings, as the first three columns of docs/operations.md's (checked against it).
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Print every setting: its variable, its flag and its default.")

    func run() throws {
        print(Settings.markdownRows)
    }
}
