import ArgumentParser
import Foundation
import Storage

/// A configuration problem: printed as one line, exit code 2.
struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
}

/// Options shared by every subcommand that talks to the database. Each flag falls back to its environment variable.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: Settings.databaseURL.argumentHelp) var databaseURL: String?
    @Option(name: .customLong("migrations-dir"), help: Settings.migrationsDir.argumentHelp) var migrationsDir: String?

    @Option(
        name: .customLong("connect-timeout"),
        help: "Seconds to wait for the database before giving up (migrate) or warning (serve). Default 15.")
    var connectTimeout: Int = 15

    /// The database settings. `migrating`: the URL of `briefd migrate`, `BRIEFD_MIGRATE_DATABASE_URL` when set (the
    /// schema owner, while the daemon serves as a role of `briefd_runtime`), else `BRIEFD_DATABASE_URL`.
    func settings(migrating: Bool = false) throws -> DatabaseSettings {
        let ownerURL = migrating ? try Settings.migrateDatabaseURL.text().flatMap { $0.isEmpty ? nil : $0 } : nil
        guard let url = try databaseURL ?? ownerURL ?? Settings.databaseURL.text(), !url.isEmpty else {
            throw ConfigurationError(
                description:
                    "BRIEFD_DATABASE_URL (or --database-url) is required, e.g. "
                    + "postgres://postgres@127.0.0.1:5432/briefd"
            )
        }
        do { return try DatabaseSettings(url: url) } catch let e as DatabaseURLError {
            throw ConfigurationError(description: e.description)
        }
    }

    func migrations() throws -> [Migration] {
        do { return try Migration.resolve(explicit: try Settings.migrationsDir.text(migrationsDir)) } catch let e
            as MigrationError
        {
            throw ConfigurationError(description: e.description)
        }
    }
}
