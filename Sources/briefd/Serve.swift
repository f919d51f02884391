import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Storage

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API and the webhook dispatcher. Applies pending migrations first unless --no-migrate.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Listen address. Env: BRIEFD_HOST. Default 127.0.0.1.")
    var host: String?

    @Option(help: "Listen port. Env: BRIEFD_PORT. Default 8080.")
    var port: Int?

    @Option(name: .customLong("admin-token"), help: ArgumentHelp("Operator token that may create organizations. Env: BRIEFD_ADMIN_TOKEN.", valueName: "token"))
    var adminToken: String?

    @Option(name: .customLong("env"), help: "development or production (stricter: no generated keys). Env: BRIEFD_ENV.")
    var environment: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error. Env: BRIEFD_LOG_LEVEL.")
    var logLevel: String?

    @Flag(name: .customLong("no-migrate"), help: "Do not apply pending migrations on start (run `briefd migrate` instead).")
    var noMigrate = false

    @Option(name: .customLong("max-db-connections"), help: "Size of the PostgreSQL connection pool. Env: BRIEFD_MAX_DB_CONNECTIONS.")
    var maxDBConnections: Int?

    func run() async throws {
        try await Briefd.reportingErrors { try await serve() }
    }

    private func serve() async throws {
        let settings = try database.settings()
        let migrations = try database.migrations()
        let logger = try Briefd.makeLogger("briefd", level: logLevel ?? env("BRIEFD_LOG_LEVEL"))
        let host = host ?? env("BRIEFD_HOST") ?? "127.0.0.1"
        let port = try port ?? env("BRIEFD_PORT").map({ s -> Int in
            guard let p = Int(s) else { throw ConfigurationError(description: "BRIEFD_PORT must be a number, not \(s)") }
            return p
        }) ?? 8080
        guard (0...65535).contains(port) else { throw ConfigurationError(description: "the port must be between 0 and 65535") }
        let mode = environment ?? env("BRIEFD_ENV") ?? "development"
        guard ["development", "production"].contains(mode) else {
            throw ConfigurationError(description: "BRIEFD_ENV must be development or production, not \(mode)")
        }
        let token = adminToken ?? env("BRIEFD_ADMIN_TOKEN")
        if let token, token.utf8.count < 16 { throw ConfigurationError(description: "BRIEFD_ADMIN_TOKEN must be at least 16 characters") }
        if token == nil { logger.warning("no BRIEFD_ADMIN_TOKEN: organizations cannot be created") }
        let poolSize = try maxDBConnections ?? env("BRIEFD_MAX_DB_CONNECTIONS").map {
            guard let n = Int($0), n > 0 else { throw ConfigurationError(description: "BRIEFD_MAX_DB_CONNECTIONS must be a positive number") }
            return n
        } ?? 20

        // PostgresNIO reports each failed connection attempt at info; our own retry messages say it once, clearly.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: settings.clientConfiguration(maxConnections: poolSize), backgroundLogger: background)
        let db = Database(client: client, logger: logger)
        let migrator = Migrator(migrations: migrations, logger: logger)
        let readiness = ReadinessMonitor(db: db, migrator: migrator)
        let router = BriefdRouter.build(AppDependencies(db: db, readiness: readiness, adminToken: token, logger: logger))
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "briefd"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.notice("briefd listening", metadata: ["address": "http://\(host):\(bound)"])
                FileHandle.standardOutput.write(Data("briefd listening on http://\(host):\(bound)\n".utf8))
            },
            logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: client)]
        if !noMigrate {
            services.append(.init(service: MigrateOnStart(db: db, migrator: migrator, readiness: readiness), successTerminationBehavior: .ignore))
        }
        services.append(.init(service: readiness))
        services.append(.init(service: app))
        var config = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        config.maximumGracefulShutdownDuration = .seconds(30)
        let group = ServiceGroup(configuration: config)
        do {
            try await group.run()
        } catch {
            throw ConfigurationError(description: "stopped: \(Briefd.oneLine(error))")
        }
    }
}

/// Applies pending migrations at start, retrying with a visible message while the database is unreachable.
struct MigrateOnStart: Service {
    let db: Database
    let migrator: Migrator
    let readiness: ReadinessMonitor

    func run() async throws {
        var delay = 1
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let applied = try await withDeadline(.seconds(3)) { [migrator, db] in try await migrator.migrate(db.client) }
                db.logger.info("migrations done", metadata: ["applied": "\(applied)"])
                await readiness.check()
                return
            } catch let e as MigrationError {
                throw e
            } catch {
                db.logger.warning("database unavailable, retrying migrations", metadata: ["in_seconds": "\(delay)", "error": "\(Briefd.oneLine(error))"])
                FileHandle.standardError.write(Data("briefd: database unavailable (\(Briefd.oneLine(error))); retrying in \(delay) s\n".utf8))
                try? await cancelWhenGracefulShutdown { [delay] in try await Task.sleep(for: .seconds(delay)) }
                delay = min(delay * 2, 10)
            }
        }
    }
}
