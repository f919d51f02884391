import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Synchronization
import Workflow

/// Authenticates `Authorization: Bearer <key or session>` on every route it wraps; revoked keys, ended sessions and
/// removed members fail on the next request. A person's session (`bfs_…`) is looked up on every request: it acts as
/// one membership, whose removal ends it.
///
/// On the transition routes (`checkedByRoute`) a key looked up before is taken from `cache` and the
/// transition's own locked read checks that it is not revoked (`BriefdContext.keyToCheck`): one round trip less
/// on the busiest route, and the same answer — a key revoked before the read is refused with 401, before anything
/// about the project is told. A request with an `Idempotency-Key` is looked up first (its reservation is a write).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = BriefdContext
    let organizations: OrganizationStore
    let people: PeopleStore
    /// Principals of keys looked up before, shared by the daemon's routes.
    let cache: KeyCache
    /// Whether the routes wrapped check the key themselves, in their first statement.
    let checkedByRoute: Bool
    /// Per-key request limit; nil for none.
    let limiter: RateLimiter?
    /// The operator token: sent where an API key is needed, it gets a 401 that says what it is for.
    let adminToken: String?
    /// Failed authentications per client address; an address out of tokens gets 429 before any key lookup.
    let failures: RateLimiter?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let token = bearerToken(request)
        let isSession = token?.hasPrefix(PeopleStore.sessionPrefix) ?? false
        let wellFormed =
            token.map { ($0.hasPrefix(Tokens.prefix) || isSession) && $0.utf8.count <= 128 } ?? false
        let digest = wellFormed ? token.map(Tokens.hash) : nil
        // A key this daemon has seen valid is never refused for other requests' failures from the same address
        // (behind one proxy, every tenant shares it); an unknown token waits for the address's budget.
        let seenValid = digest.flatMap(cache.principal)
        let address =
            seenValid == nil ? try AuthFailures.admit(context, failures) : (context.clientAddress ?? "unknown")
        if let token, let adminToken, !wellFormed, constantTimeEquals(token, adminToken) {
            throw Problem(
                .unauthenticated,
                "the operator token only manages organizations (POST /v1/organizations); "
                    + "use the API key an organization was given (bfd_…) here",
                headers: ["WWW-Authenticate": "Bearer"])
        }
        guard let digest else { throw AuthFailures.refuse(address, failures) }
        var keyToCheck: UUID?
        let principal: Principal
        if isSession {
            guard let (found, _, _) = try await people.authenticate(sessionHash: digest) else {
                throw AuthFailures.refuse(address, failures)
            }
            principal = found
        } else if checkedByRoute, request.headers[Routes.idempotencyKey] == nil, let known = seenValid,
            let key = known.key
        {
            principal = known
            keyToCheck = key.id
        } else {
            guard let found = try await organizations.authenticate(tokenHash: digest) else {
                cache.forget(digest)
                throw AuthFailures.refuse(address, failures)
            }
            cache.keep(digest, found)
            principal = found
        }
        if let wait = limiter?.take(principal.callerID) {
            throw Problem(
                .rateLimited, "this API key or session sent too many requests; retry after the delay",
                headers: ["Retry-After": String(Int(wait.rounded(.up)))])
        }
        var context = context
        context.principal = principal
        context.keyToCheck = keyToCheck
        let response = try await next(request, context)
        if keyToCheck != nil, response.status == .unauthorized {
            // The route found the key revoked: forget it, and count the refusal as a lookup would have.
            cache.forget(digest)
            _ = AuthFailures.refuse(address, failures)
        }
        return response
    }
}

/// The principals of keys looked up recently, by their token's digest (never the token). A key's organization,
/// kind and role never change, so an entry stays right until its key is revoked; only the routes that check the
/// revocation in their own statement read from it (`AuthMiddleware.checkedByRoute`). Bounded: emptied when full.
final class KeyCache: Sendable {
    static let capacity = 10_000
    private let entries = Mutex<[Data: Principal]>([:])

    func principal(_ digest: Data) -> Principal? { entries.withLock { $0[digest] } }

    func keep(_ digest: Data, _ principal: Principal) {
        entries.withLock {
            if $0.count >= Self.capacity { $0.removeAll(keepingCapacity: true) }
            $0[digest] = principal
        }
    }

    func forget(_ digest: Data) { _ = entries.withLock { $0.removeValue(forKey: digest) } }
}

/// Refused keys and tokens, counted per client address (`BRIEFD_AUTH_FAILURE_LIMIT`): an address out of budget is
/// answered 429 before any key is looked up. The API, the operator token and the console's sign-in share this.
enum AuthFailures {
    /// The caller's address; throws 429 `rate_limited` when that address has spent its budget of refusals.
    static func admit(_ context: BriefdContext, _ failures: RateLimiter?) throws -> String {
        let address = context.clientAddress ?? "unknown"
        if let wait = failures?.wait(address) {
            throw Problem(
                .rateLimited,
                "too many requests without a valid API key or token from this address; retry after the delay",
                headers: ["Retry-After": String(Int(wait.rounded(.up)))])
        }
        return address
    }

    /// Counts a refusal against `address`; returns the 401 to throw.
    static func refuse(_ address: String, _ failures: RateLimiter?) -> APIError {
        _ = failures?.take(address)
        return APIError.unauthenticated
    }
}

/// The bearer token of a request, if it sends one.
func bearerToken(_ request: Request) -> String? {
    guard let value = request.headers[.authorization] else { return nil }
    let parts = value.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
    return parts[1].trimmingCharacters(in: .whitespaces)
}

/// Compares two secrets in constant time (through their digests, so lengths do not leak either).
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let key = SymmetricKey(size: .bits256)
    let mac = HMAC<SHA256>.authenticationCode(for: Data(a.utf8), using: key)
    return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(b.utf8), using: key)
}
