import Crypto
import Foundation
import Logging
import PostgresNIO
import Workflow

/// What an `Idempotency-Key` lookup found.
public enum IdempotencyOutcome: Sendable, Equatable {
    /// The key is new: this request runs and its response is kept.
    case reserved(IdempotencyClaim)
    /// The key was used with the same request: answer with the first response.
    case replay(StoredResponse)
    /// The key was used with another request.
    case reused
    /// The first request with this key is still running.
    case inProgress
}

/// A request under an idempotency key: the API's `Idempotency-Key` header and the console's form keys alike.
public struct IdempotentRequest: Sendable, Hashable {
    /// Whose keys these are (``Principal``'s `idempotencyScope`: the caller, never the organization alone).
    public var scope: String
    public var key: String
    /// The request's method, path and body (``IdempotencyStore/fingerprint(method:path:body:)``).
    public var fingerprint: Data

    public init(scope: String, key: String, fingerprint: Data) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// What ``IdempotencyStore/run(_:keep:_:)`` did with a request.
public enum IdempotentRun<Answer: Sendable>: Sendable {
    /// The key's first request has answered: its kept answer, for this request too.
    case replayed(StoredResponse)
    /// This request ran.
    case ran(Answer)
}

/// The answer kept for a request's idempotency key, written in the very transaction that does what the request asks
/// (a transition, a key or an endpoint created, a secret rotated): a crash commits both or neither, so a retry of a
/// request whose answer was lost never does it twice (an orphan admin key, a second endpoint).
public struct IdempotentCompletion<Result>: Sendable {
    public var claim: IdempotencyClaim
    /// The answer to keep, from what the write produced.
    public var respond: @Sendable (Result) throws -> StoredResponse

    public init(claim: IdempotencyClaim, respond: @escaping @Sendable (Result) throws -> StoredResponse) {
        self.claim = claim
        self.respond = respond
    }

    /// Keeps the answer for `result` on `conn`, inside the caller's transaction.
    func complete(_ conn: PostgresConnection, _ result: Result, logger: Logger) async throws {
        try await IdempotencyStore.complete(conn, claim, try respond(result), logger: logger)
    }
}

/// Idempotency keys: the first response to a key is kept and replayed.
public struct IdempotencyStore: Sendable {
    let db: Database
    /// A reservation whose request never finished (a crashed daemon) may be taken over after this long.
    public static let staleAfterSeconds = 60

    public init(db: Database) { self.db = db }

    /// The fingerprint of a request: method, path and body.
    public static func fingerprint(method: String, path: String, body: [UInt8]) -> Data {
        var h = SHA256()
        h.update(data: Data("\(method) \(path)\n".utf8))
        h.update(data: body)
        return Data(h.finalize())
    }

    /// Reserves `key` in `scope` for a request with `fingerprint`, or reports an earlier use.
    public func reserve(scope: String, key: String, fingerprint: Data) async throws -> IdempotencyOutcome {
        let claim = IdempotencyClaim(scope: scope, key: key)
        let inserted = try await db.write(
            Reserve(scope: scope, key: key, fingerprint: fingerprint, staleAfterSeconds: Self.staleAfterSeconds))
        if !inserted.isEmpty { return .reserved(claim) }
        if let (hash, answer) = try await db.rows(Lookup(scope: scope, key: key)).first {
            guard hash == fingerprint else { return .reused }
            guard let answer else { return .inProgress }
            return .replay(answer)
        }
        // Deleted in between (a released reservation): try once more.
        return try await reserve(scope: scope, key: key, fingerprint: fingerprint)
    }

    /// Runs `body` once per key, the one runner of the API and the console: a key's first request runs (a transition
    /// keeps its answer in its own transaction), a repeat gets the kept answer (`replayed`), the key with another
    /// request is 422 `idempotency_key_reused`, and one still running is 409 `idempotency_in_progress`. After `body`,
    /// `keep` says what to do with the key after its answer: keep a response, release the key (the request may be sent
    /// again), or nothing, because the request's own transaction kept it (`IdempotentCompletion`). When `body`
    /// throws, the key is released and the error goes on.
    public func run<Answer: Sendable>(
        _ request: IdempotentRequest, keep: (Answer) throws -> Keep,
        _ body: (IdempotencyClaim) async throws -> Answer
    ) async throws -> IdempotentRun<Answer> {
        switch try await reserve(scope: request.scope, key: request.key, fingerprint: request.fingerprint) {
        case .replay(let stored): return .replayed(stored)
        case .reused: throw Problem(.idempotencyKeyReused, "this idempotency key was used with another request")
        case .inProgress:
            throw Problem(
                .idempotencyInProgress, "a request with this idempotency key is still running; retry shortly",
                headers: ["Retry-After": "1"])
        case .reserved(let claim):
            let answer: Answer
            do { answer = try await body(claim) } catch {
                try? await release(claim)
                throw error
            }
            switch try keep(answer) {
            case .store(let kept): try await complete(claim, kept)
            case .release: try? await release(claim)
            case .keptInTransaction: break
            }
            return .ran(answer)
        }
    }

    /// What ``run(_:keep:_:)`` does with a key once its request has answered.
    public enum Keep: Sendable, Equatable {
        /// Keep this response, in a transaction of its own.
        case store(StoredResponse)
        /// Release the key: the request may be sent again with it.
        case release
        /// Nothing: the request's own transaction kept its answer.
        case keptInTransaction
    }

    /// Keeps the response of a reserved key (outside a transition's transaction).
    public func complete(_ claim: IdempotencyClaim, _ response: StoredResponse) async throws {
        try await db.transaction { conn in try await Self.complete(conn, claim, response, logger: db.logger) }
    }

    /// Releases a reservation whose request failed unexpectedly, so a retry runs again.
    public func release(_ claim: IdempotencyClaim) async throws {
        try await db.write(Release(claim: claim))
    }

    static func complete(
        _ conn: PostgresConnection, _ claim: IdempotencyClaim, _ response: StoredResponse, logger: Logger
    ) async throws {
        try await conn.rows(Complete(claim: claim, response: response), logger: logger)
    }
}
