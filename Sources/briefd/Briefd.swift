import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Storage
import Webhooks

struct Briefd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "briefd",
        abstract: "briefd: brand-led projects with agencies, as a state machine with signed webhooks, on PostgreSQL.",
        discussion: "Every option also reads its BRIEFD_* environment variable; a flag wins over the variable.",
        version: BriefdVersion.description,
        subcommands: [Serve.self, Migrate.self, Reseal.self, SettingsCommand.self],
        defaultSubcommand: nil
    )

    /// ArgumentParser's asynchronous entry point, called from main.swift (top-level code would pick the synchronous
    /// one).
    static func launch() async { await main() }

    /// Runs `body`, turning any error into one line on stderr and a non-zero exit.
    static func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let e as ConfigurationError {
            FileHandle.standardError.write(Data("briefd: \(e.description)\n".utf8))
            throw ExitCode(2)
        } catch let e as MigrationError {
            FileHandle.standardError.write(Data("briefd: \(e.description)\n".utf8))
            throw ExitCode(1)
        } catch let e as ExitCode {
            throw e
        } catch {
            FileHandle.standardError.write(Data("briefd: \(Briefd.oneLine(error))\n".utf8))
            throw ExitCode(1)
        }
    }

    static func oneLine(_ error: any Error) -> String {
        let text: String
        if let psql = error as? PSQLError {
            text = psql.serverInfo?[.message] ?? "database error (\(psql.code))"
        } else {
            text = String(describing: error)
        }
        return text.replacingOccurrences(of: "\n", with: " ")
    }

    static func makeLogger(_ label: String, level: String?) throws -> Logger {
        var logger = Logger(label: label)
        if let level {
            guard let l = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError(
                    description: "BRIEFD_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
            }
            logger.logLevel = l
        } else {
            logger.logLevel = .info
        }
        return logger
    }
}

/// Waits for `body` at most `seconds`, running the client meanwhile; throws `ConfigurationError` on timeout.
func withDatabase<T: Sendable>(
    _ settings: DatabaseSettings, logger: Logger, timeout seconds: Int,
    _ body: @escaping @Sendable (Database) async throws -> T
) async throws -> T {
    var quietLogger = logger
    quietLogger.logLevel = .critical
    let quiet = quietLogger
    let client = PostgresClient(configuration: settings.clientConfiguration(maxConnections: 4), backgroundLogger: quiet)
    let db = Database(client: client, logger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        group.addTask { try await body(db) }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            let why = await settings.connectionProblem(logger: quiet).map { ": \($0)" } ?? ""
            throw ConfigurationError(
                description:
                    "the database at \(settings.host):\(settings.port) did not answer within \(seconds) s\(why)"
                    .replacingOccurrences(of: "\n", with: " "))
        }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let result { return result }
        }
        throw ConfigurationError(description: "the database client stopped")
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Apply pending database migrations under an advisory lock (safe to run concurrently; a second run is "
            + "a no-op)."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Briefd.reportingErrors {
            let settings = try database.settings(migrating: true)
            let migrations = try database.migrations()
            let logger = try Briefd.makeLogger("briefd.migrate", level: try Settings.logLevel.text())
            let applied = try await withDatabase(settings, logger: logger, timeout: database.connectTimeout) { db in
                try await Migrator(migrations: migrations, logger: logger).migrate(db.client)
            }
            print(
                applied.isEmpty
                    ? "schema up to date (\(migrations.count) migrations)"
                    : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}

struct Reseal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Seal every webhook secret again under --secret-key, opening those sealed under "
            + "--previous-secret-keys; afterwards the previous keys can be dropped."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("secret-key"), help: Settings.secretKey.argumentHelp) var secretKey: String?
    @Option(name: .customLong("previous-secret-keys"), help: Settings.previousSecretKeys.argumentHelp)
    var previousSecretKeys: String?

    func run() async throws {
        try await Briefd.reportingErrors {
            guard let key = try Settings.secretKey.text(secretKey) else {
                throw ConfigurationError(description: "BRIEFD_SECRET_KEY (the current key) is required")
            }
            let previous = try Serve.previousSecretKeys(try Settings.previousSecretKeys.text(previousSecretKeys))
            let box: SecretBox
            do { box = try SecretBox(secretKey: key, previousKeys: previous) } catch let e as SecretBoxError {
                throw ConfigurationError(description: e.description)
            }
            let settings = try database.settings()
            let logger = try Briefd.makeLogger("briefd.reseal", level: try Settings.logLevel.text())
            let counts = try await withDatabase(settings, logger: logger, timeout: database.connectTimeout) { db in
                try await Resealer.run(EndpointStore(db: db), box: box)
            }
            print(
                "resealed \(counts.resealed) secrets; \(counts.current) already under the current key; "
                    + "\(counts.unreadable) opened by no configured key")
            if counts.unreadable > 0 { throw ExitCode(1) }
        }
    }
}
