import Hummingbird
import Storage

/// The request context: Hummingbird's core storage plus the authenticated caller.
public struct BriefdContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, once `AuthMiddleware` has run.
    public var principal: Principal?
    /// The client's IP address as the socket sees it (a proxy's, behind one), for limits before authentication.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies larger than this are refused with 413.
    public var maxUploadSize: Int { 256 * 1024 }

    /// The caller; routes behind `AuthMiddleware` always have one.
    func caller() throws -> Principal {
        guard let principal else { throw APIError.unauthenticated }
        return principal
    }
}
