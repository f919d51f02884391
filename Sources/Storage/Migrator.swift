import Foundation
import Logging
import PostgresNIO

/// One numbered migration file: `NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var sql: String

    /// Reads every `NNNN_name.sql` in `directory`, sorted by number; refuses gaps and duplicates.
    public static func load(from directory: URL) throws -> [Migration] {
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
            throw MigrationError(description: "cannot read the migrations folder \(directory.path)")
        }
        var out: [Migration] = []
        for file in files where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw MigrationError(description: "migration file \(file) is not named NNNN_name.sql")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            out.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        out.sort { $0.version < $1.version }
        for (i, m) in out.enumerated() where m.version != i + 1 {
            throw MigrationError(
                description:
                    "migrations must be numbered 1, 2, 3… without gaps; found \(m.version) at position \(i + 1)")
        }
        return out
    }

    /// The migrations this binary carries (resources of the Storage module, copied from db/migrations at build time).
    public static func bundled() throws -> [Migration] {
        // `.process` flattens the folder: the numbered files sit at the top of the resource bundle.
        guard let directory = Bundle.module.resourceURL else {
            throw MigrationError(description: "this build carries no migrations; pass --migrations-dir")
        }
        return try load(from: directory)
    }

    /// The migrations to apply: those in `explicit` when one is given (`--migrations-dir`, `BRIEFD_MIGRATIONS_DIR`:
    /// an override), else the ones the binary carries, so `briefd` works from any folder and in a container without a
    /// mount.
    public static func resolve(explicit: String? = nil) throws -> [Migration] {
        if let dir = explicit {
            return try load(from: URL(fileURLWithPath: dir))
        }
        return try bundled()
    }
}

/// A migration problem, reported in one line.
public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Applies migrations in order, each in its own transaction, under a session advisory lock, so that
/// concurrent runs are safe and a second run is a no-op.
public struct Migrator: Sendable {
    /// The advisory lock key: `hashtext('briefd.migrate')` would do, a constant is clearer.
    static let lockKey: Int64 = 0x6272_6965_6664  // "briefd"

    public let migrations: [Migration]
    public let logger: Logger

    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies pending migrations; returns the versions applied by this call.
    @discardableResult
    public func migrate(_ client: PostgresClient) async throws -> [Int] {
        try await client.withConnection { conn in
            try await conn.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger).run()
            do {
                let applied = try await apply(conn)
                try await conn.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger).run()
                return applied
            } catch {
                _ = try? await conn.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger).run()
                throw error
            }
        }
    }

    private func apply(_ conn: PostgresConnection) async throws -> [Int] {
        _ = try await conn.simpleQuery(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """
        ).get()
        let done = try await appliedVersions(conn)
        var applied: [Int] = []
        for m in migrations where !done.contains(m.version) {
            logger.info("applying migration", metadata: ["version": "\(m.version)", "name": "\(m.name)"])
            do {
                _ = try await conn.simpleQuery("BEGIN").get()
                for statement in SQLScript.statements(m.sql) { _ = try await conn.simpleQuery(statement).get() }
                try await conn.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(m.version), \(m.name))", logger: logger
                ).run()
                _ = try await conn.simpleQuery("COMMIT").get()
            } catch {
                _ = try? await conn.simpleQuery("ROLLBACK").get()
                throw MigrationError(
                    description: "migration \(m.version)_\(m.name) failed: \(String(reflecting: error))")
            }
            applied.append(m.version)
        }
        return applied
    }

    private func appliedVersions(_ conn: PostgresConnection) async throws -> Set<Int> {
        var done = Set<Int>()
        for try await v in try await conn.query("SELECT version FROM schema_migrations", logger: logger).decode(
            Int.self)
        { done.insert(v) }
        return done
    }

    /// Whether every known migration is applied (for `readyz`).
    public func isUpToDate(_ client: PostgresClient) async -> Bool {
        do {
            var n = 0
            let rows = try await client.query(
                "SELECT count(*)::int8 FROM schema_migrations WHERE version <= \(migrations.count)", logger: logger)
            for try await c in rows.decode(Int.self) { n = c }
            return n == migrations.count
        } catch {
            return false
        }
    }
}

extension PostgresRowSequence {
    /// Drains the rows (for statements whose rows do not matter).
    public func run() async throws { for try await _ in self {} }
}

/// Splits a SQL script into statements at top-level semicolons, respecting quotes, dollar quotes and comments
/// (PostgresNIO sends one statement per query).
public enum SQLScript {
    public static func statements(_ sql: String) -> [String] {
        let chars = Array(sql.unicodeScalars)
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        func flush() {
            let s = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !s.isEmpty && !isOnlyComments(s) { out.append(s) }
            current = String.UnicodeScalarView()
        }
        while i < chars.count {
            let c = chars[i]
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" {
                    current.append(chars[i])
                    i += 1
                }
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                while i < chars.count, !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") {
                    current.append(chars[i])
                    i += 1
                }
                if i < chars.count {
                    current.append("*")
                    current.append("/")
                    i += 2
                }
                continue
            }
            if c == "'" || c == "\"" {
                current.append(c)
                i += 1
                while i < chars.count {
                    current.append(chars[i])
                    i += 1
                    if chars[i - 1] == c { break }
                }
                continue
            }
            if c == "$" {
                var j = i + 1
                while j < chars.count,
                    chars[j] == "_" || chars[j].properties.isAlphabetic || ("0"..."9").contains(chars[j])
                { j += 1 }
                if j < chars.count, chars[j] == "$" {
                    let tag = Array(chars[i...j])
                    for t in tag { current.append(t) }
                    i = j + 1
                    while i < chars.count {
                        if chars[i] == "$", i + tag.count <= chars.count, Array(chars[i..<(i + tag.count)]) == tag {
                            for t in tag { current.append(t) }
                            i += tag.count
                            break
                        }
                        current.append(chars[i])
                        i += 1
                    }
                    continue
                }
            }
            if c == ";" {
                flush()
                i += 1
                continue
            }
            current.append(c)
            i += 1
        }
        flush()
        return out
    }

    static func isOnlyComments(_ s: String) -> Bool {
        s.split(separator: "\n").allSatisfy {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") || $0.trimmingCharacters(in: .whitespaces).isEmpty
        }
    }
}
