import ArgumentParser
import Foundation
import Storage

/// A configuration problem: printed as one line, exit code 2.
struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
}

/// Options shared by every subcommand that talks to the database. Each flag falls back to its environment variable.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL, postgres://user:password@host:port/database[?sslmode=disable|prefer|require|verify-ca|verify-full&sslrootcert=path]. Env: BRIEFD_DATABASE_URL.",
            valueName: "url"))
    var databaseURL: String?

    @Option(
        name: .customLong("migrations-dir"),
        help: ArgumentHelp(
            "Folder of numbered migration files, overriding the ones built into briefd. Env: BRIEFD_MIGRATIONS_DIR.",
            valueName: "path"))
    var migrationsDir: String?

    @Option(
        name: .customLong("connect-timeout"),
        help: "Seconds to wait for the database before giving up (migrate) or warning (serve). Default 15.")
    var connectTimeout: Int = 15

    /// The database settings. `migrating`: the URL of `briefd migrate`, `BRIEFD_MIGRATE_DATABASE_URL` when set (the
    /// schema owner, while the daemon serves as a role of `briefd_runtime`), else `BRIEFD_DATABASE_URL`.
    func settings(migrating: Bool = false) throws -> DatabaseSettings {
        let ownerURL = migrating ? env("BRIEFD_MIGRATE_DATABASE_URL").flatMap { $0.isEmpty ? nil : $0 } : nil
        guard let url = databaseURL ?? ownerURL ?? env("BRIEFD_DATABASE_URL"), !url.isEmpty else {
            throw ConfigurationError(
                description:
                    "BRIEFD_DATABASE_URL (or --database-url) is required, e.g. postgres://postgres@127.0.0.1:5432/briefd"
            )
        }
        do { return try DatabaseSettings(url: url) } catch let e as DatabaseURLError {
            throw ConfigurationError(description: e.description)
        }
    }

    func migrations() throws -> [Migration] {
        do { return try Migration.resolve(explicit: migrationsDir) } catch let e as MigrationError {
            throw ConfigurationError(description: e.description)
        }
    }
}

/// Reads an environment variable.
func env(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }

/// Parses a boolean environment variable or flag value.
func parseBool(_ s: String?, name: String) throws -> Bool? {
    guard let s else { return nil }
    switch s.lowercased() {
    case "1", "true", "yes", "on": return true
    case "0", "false", "no", "off", "": return false
    default: throw ConfigurationError(description: "\(name) must be true or false, not \(s)")
    }
}

/// An integer setting from its flag or, failing that, its environment variable, checked against `range`
/// whichever way it came. Nil when neither is set.
func intSetting(_ flag: Int?, _ variable: String, _ range: ClosedRange<Int>, unit: String = "") throws -> Int? {
    guard
        let value = try flag
            ?? env(variable).map({ text -> Int in
                guard let n = Int(text) else {
                    throw ConfigurationError(description: "\(variable) must be a whole number, not \(text)")
                }
                return n
            })
    else { return nil }
    guard range.contains(value) else {
        let bound =
            range.upperBound == Int.max
            ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
        throw ConfigurationError(description: "\(variable) must be \(bound)\(unit)")
    }
    return value
}
