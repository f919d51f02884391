import Foundation
import Logging
import PostgresNIO
import Workflow

/// A webhook endpoint of an organization. Its secrets stay sealed here.
public struct WebhookEndpoint: Sendable, Hashable {
    public var id: UUID
    public var organizationID: UUID
    public var url: String
    public var description: String
    public var eventTypes: [String]
    public var enabled: Bool
    public var disabledReason: String?
    public var previousSecretExpiresAt: Date?
    public var failingSince: Date?
    public var lastSuccessAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A change to an endpoint; nil fields stay as they are.
public struct EndpointPatch: Sendable {
    public var url: String?
    public var description: String?
    public var eventTypes: [String]?
    public var enabled: Bool?
    public init(url: String? = nil, description: String? = nil, eventTypes: [String]? = nil, enabled: Bool? = nil) {
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
    }
}

/// Webhook endpoints of each organization: create, list, change, delete, rotate the secret.
public struct EndpointStore: Sendable {
    let db: Database

    public init(db: Database) { self.db = db }

    // MARK: Endpoints

    /// Webhook endpoints an organization may have at once.
    public static let maxEndpoints = 25

    /// Creates an endpoint; refused with ``LimitReached`` past ``maxEndpoints`` (counted under the organization's
    /// row lock).
    public func create(
        organizationID: UUID, url: String, description: String, eventTypes: [String], enabled: Bool,
        secretSealed: [UInt8], idempotency: IdempotentCompletion<WebhookEndpoint>? = nil
    ) async throws -> WebhookEndpoint {
        let now = Date()
        return try await db.transaction { conn in
            let existing = try await LimitReached.countLocked(
                conn, CountEndpoints(organizationID: organizationID), logger: db.logger)
            guard existing < Self.maxEndpoints else {
                throw LimitReached(what: "webhook endpoints", limit: Self.maxEndpoints, advice: "delete one first")
            }
            let inserted = try await conn.rows(
                InsertEndpoint(
                    id: .v7(now: now), organizationID: organizationID, url: url, description: description,
                    eventTypes: eventTypes, enabled: enabled, secretSealed: secretSealed, now: now),
                logger: db.logger)
            guard let endpoint = inserted.first else { throw NoRowReturned(statement: InsertEndpoint.name) }
            try await idempotency?.complete(conn, endpoint, logger: db.logger)
            return endpoint
        }
    }

    public func list(organizationID: UUID, after: UUID?, limit: Int) async throws -> [WebhookEndpoint] {
        try await db.rows(EndpointPage(organizationID: organizationID, after: after, limit: limit))
    }

    public func find(organizationID: UUID, id: UUID) async throws -> WebhookEndpoint? {
        try await db.rows(FindEndpoint(id: id, organizationID: organizationID)).first
    }

    public func update(organizationID: UUID, id: UUID, patch: EndpointPatch) async throws -> WebhookEndpoint? {
        try await db.write(UpdateEndpoint(id: id, organizationID: organizationID, patch: patch)).first
    }

    public func delete(organizationID: UUID, id: UUID) async throws -> Bool {
        try await db.transaction { conn in
            try await conn.rows(DeleteEndpointAttempts(id: id, organizationID: organizationID), logger: db.logger)
            return !(try await conn.rows(DeleteEndpoint(id: id, organizationID: organizationID), logger: db.logger))
                .isEmpty
        }
    }

    /// Replaces the secret; the previous one keeps signing until `previousValidUntil`.
    public func rotate(
        organizationID: UUID, id: UUID, newSealed: [UInt8], previousValidUntil: Date,
        idempotency: IdempotentCompletion<WebhookEndpoint>? = nil
    ) async throws -> WebhookEndpoint? {
        try await db.transaction { conn in
            let rotated = try await conn.rows(
                RotateEndpoint(
                    id: id, organizationID: organizationID, newSealed: newSealed,
                    previousValidUntil: previousValidUntil), logger: db.logger)
            guard let endpoint = rotated.first else { return nil }
            try await idempotency?.complete(conn, endpoint, logger: db.logger)
            return endpoint
        }
    }

    /// Every endpoint's sealed secrets, for `briefd reseal`.
    public func sealedSecrets() async throws -> [(id: UUID, secret: [UInt8], previous: [UInt8]?)] {
        try await db.rows(SealedSecrets())
    }

    /// Replaces an endpoint's sealed secret by the same secret sealed under the current key, unless it changed
    /// meanwhile (a rotation wins). `previous` names the rotated-out secret's column.
    public func reseal(id: UUID, previous: Bool, from old: [UInt8], to new: [UInt8]) async throws {
        try await db.write(Reseal(id: id, previous: previous, old: old, new: new))
    }
}
