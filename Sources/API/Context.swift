import Foundation
import Hummingbird
import Storage
import Workflow

/// The request context: Hummingbird's core storage plus the authenticated caller.
public struct BriefdContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, once `AuthMiddleware` has run.
    public var principal: Principal?
    /// The caller's key when it came from the daemon's cache: the route's own statement must check that it is not
    /// revoked (``callerCheckedByRoute()``). Nil when it was looked up for this request.
    var keyToCheck: UUID?
    /// The client's IP address, for limits before authentication: the socket's peer, or the client a trusted proxy
    /// names in `X-Forwarded-For` (`ClientAddressMiddleware`, `BRIEFD_TRUSTED_PROXIES`).
    public internal(set) var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies larger than this are refused with 413.
    public var maxUploadSize: Int { 256 * 1024 }

    /// The caller; routes behind `AuthMiddleware` always have one. A route whose middleware left the key's
    /// revocation to it must use ``callerCheckedByRoute()``: here it is an error, not a key let through unchecked.
    func caller() throws -> Principal {
        guard let principal else { throw APIError.unauthenticated }
        guard keyToCheck == nil else {
            throw Problem(.internalError, "this route does not check the API key it was given")
        }
        return principal
    }

    /// The caller, and the key the route's first statement must check is not revoked (nil: already looked up).
    func callerCheckedByRoute() throws -> (Principal, keyToCheck: UUID?) {
        guard let principal else { throw APIError.unauthenticated }
        return (principal, keyToCheck)
    }
}
