import Logging
import PostgresNIO

/// A statement of the hot path with a fixed SQL text, prepared once per pooled connection: PostgreSQL
/// then parses it once and, after a few runs, plans it once. Parsing and planning took about 40 % of
/// PostgreSQL's CPU in the lifecycle benchmark when every statement was sent unnamed (docs/benchmarks.md).
/// The statements themselves live beside the store that runs them, as nested types.
protocol NamedStatement: Sendable {
    /// The name the statement is prepared under (and shown in PostgreSQL's logs).
    static var name: String { get }
    /// The SQL, with `$1`, `$2`… for the values, in the order they are passed; every `$n` carries its cast,
    /// so a first run with NULL there prepares the same parameter types as any later one.
    static var sql: String { get }
}

/// A `NamedStatement` with its values, as PostgresNIO runs prepared statements; rows come back undecoded.
struct Prepared<Statement: NamedStatement>: PostgresPreparedStatement {
    typealias Row = PostgresRow
    static var name: String { Statement.name }
    static var sql: String { Statement.sql }

    let bindings: PostgresBindings

    init(_ values: [(any PostgresThrowingDynamicTypeEncodable)?]) throws {
        var b = PostgresBindings(capacity: values.count)
        for value in values {
            if let value { try b.append(value) } else { b.appendNull() }
        }
        bindings = b
    }

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

extension PostgresConnection {
    /// Runs a named statement with `values` for `$1`, `$2`… and returns all its rows.
    @discardableResult
    func run<S: NamedStatement>(_: S.Type, _ values: (any PostgresThrowingDynamicTypeEncodable)?..., logger: Logger) async throws -> [PostgresRow] {
        try await run(try Prepared<S>(values), logger: logger)
    }

    /// Runs a prepared statement and returns all its rows.
    func run<S: NamedStatement>(_ prepared: Prepared<S>, logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await execute(prepared, logger: logger) { rows.append(row) }
        return rows
    }
}

extension Database {
    /// Runs a named statement on a pooled connection within the deadline and returns all its rows.
    @discardableResult
    func run<S: NamedStatement>(_ statement: S.Type, _ values: (any PostgresThrowingDynamicTypeEncodable)?...) async throws -> [PostgresRow] {
        let prepared = try Prepared<S>(values)
        return try await withConnection { [logger] conn in try await conn.run(prepared, logger: logger) }
    }
}
