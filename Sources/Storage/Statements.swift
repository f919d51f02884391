import Foundation
import Logging
import PostgresNIO

// Statements of the hot and read paths are typed `PostgresPreparedStatement`s: a struct per statement,
// named for what it does, with its values as named properties and its rows as a typed tuple. Each is
// prepared once per pooled connection, so PostgreSQL parses it once and, after a few runs, plans it once
// (parsing and planning took about 40 % of PostgreSQL's CPU when every statement was sent unnamed).
// Every `$n` carries its cast, so a first run with NULL there prepares the same parameter types as any later one.

/// A value read from the database that this version of briefd does not know (a newer daemon wrote it,
/// or hand-written SQL did): reading stops with this error rather than guessing.
public struct UnknownStoredValue: Error, CustomStringConvertible, Sendable {
    public var column: String
    public var value: String
    public var description: String { "unknown value \(value.debugDescription) in \(column)" }
}

/// A statement that always returns a row (an `INSERT … RETURNING`) returned none: a broken schema, never input.
public struct NoRowReturned: Error, CustomStringConvertible, Sendable {
    public var statement: String
    public var description: String { "\(statement) returned no row" }
}

/// Decodes a raw value of a closed set, throwing on one it does not know.
func known<T: RawRepresentable>(_ type: T.Type, _ raw: T.RawValue, column: String) throws -> T {
    guard let value = T(rawValue: raw) else { throw UnknownStoredValue(column: column, value: "\(raw)") }
    return value
}

extension PostgresConnection {
    /// Runs a typed statement and returns all its rows, decoded.
    @discardableResult
    func rows<S: PostgresPreparedStatement>(_ statement: S, logger: Logger) async throws -> [S.Row] {
        try ensureOpen()
        var rows: [S.Row] = []
        for try await row in try await execute(statement, logger: logger) { rows.append(row) }
        return rows
    }
}

extension Database {
    /// Runs a typed statement on a pooled connection within the deadline and returns all its rows.
    @discardableResult
    func rows<S: PostgresPreparedStatement>(_ statement: S) async throws -> [S.Row] where S.Row: Sendable {
        try await withConnection { [logger] conn in try await conn.rows(statement, logger: logger) }
    }

    /// Runs one writing statement in a transaction of its own, answering once it is committed (why: the
    /// `PostgresQuery` form of `write`, in Database.swift).
    @discardableResult
    func write<S: PostgresPreparedStatement>(_ statement: S) async throws -> [S.Row] where S.Row: Sendable {
        try await transaction { [logger] conn in try await conn.rows(statement, logger: logger) }
    }
}

extension PostgresBindings {
    /// Appends an optional value: NULL when nil.
    mutating func append<T: PostgresThrowingDynamicTypeEncodable>(optional value: T?) throws {
        if let value { try append(value) } else { appendNull() }
    }
}

/// A statement whose only value is one id.
protocol StatementByID: PostgresPreparedStatement {
    var id: UUID { get }
}

extension StatementByID {
    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 1)
        b.append(id)
        return b
    }
}

/// A statement whose only value is a list of ids (`= ANY($1::uuid[])`).
/// A statement about one row of an organization's: `$1` its id, `$2` the organization, so no caller reaches another
/// organization's row.
protocol OneOfOrganization: PostgresPreparedStatement {
    var id: UUID { get }
    var organizationID: UUID { get }
}

extension OneOfOrganization {
    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 2)
        b.append(id)
        b.append(organizationID)
        return b
    }
}

/// A page of an organization's rows by id: `$1` the organization, `$2` the cursor (NULL for the first page), `$3` the
/// page's size.
protocol PageOfOrganization: PostgresPreparedStatement {
    var organizationID: UUID { get }
    var after: UUID? { get }
    var limit: Int { get }
}

extension PageOfOrganization {
    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 3)
        b.append(organizationID)
        try b.append(optional: after)
        b.append(limit)
        return b
    }
}

protocol StatementByIDs: PostgresPreparedStatement {
    var ids: [UUID] { get }
}

extension StatementByIDs {
    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 1)
        b.append(ids)
        return b
    }
}

extension PostgresPreparedStatement where Row == Void {
    /// A statement that returns no rows decodes none.
    func decodeRow(_ row: PostgresRow) throws -> Row { () }
}

extension Optional {
    /// `map` with an asynchronous transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
