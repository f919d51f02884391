import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Authenticates `Authorization: Bearer <key>` on every route it wraps; revoked keys fail on the next request.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = BriefdContext
    let organizations: OrganizationStore
    /// Per-key request limit; nil for none.
    let limiter: RateLimiter?
    /// The operator token: sent where an API key is needed, it gets a 401 that says what it is for.
    let adminToken: String?
    /// Failed authentications per client address; an address out of tokens gets 429 before any key lookup.
    let failures: RateLimiter?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let address = try AuthFailures.admit(context, failures)
        let token = bearerToken(request)
        if let token, let adminToken, !token.hasPrefix(Tokens.prefix), constantTimeEquals(token, adminToken) {
            throw APIError(
                .unauthorized, "unauthenticated",
                "the operator token only manages organizations (POST /v1/organizations); "
                    + "use the API key an organization was given (bfd_…) here",
                headers: ["WWW-Authenticate": "Bearer"])
        }
        guard let token, token.hasPrefix(Tokens.prefix), token.utf8.count <= 128,
            let principal = try await organizations.authenticate(token: token)
        else { throw AuthFailures.refuse(address, failures) }
        if let wait = limiter?.take(principal.key.id) {
            throw APIError(
                .tooManyRequests, "rate_limited", "this API key sent too many requests; retry after the delay",
                headers: ["Retry-After": String(Int(wait.rounded(.up)))])
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}

/// Refused keys and tokens, counted per client address (`BRIEFD_AUTH_FAILURE_LIMIT`): an address out of budget is
/// answered 429 before any key is looked up. The API, the operator token and the console's sign-in share this.
enum AuthFailures {
    /// The caller's address; throws 429 `rate_limited` when that address has spent its budget of refusals.
    static func admit(_ context: BriefdContext, _ failures: RateLimiter?) throws -> String {
        let address = context.clientAddress ?? "unknown"
        if let wait = failures?.wait(address) {
            throw APIError(
                .tooManyRequests, "rate_limited",
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
