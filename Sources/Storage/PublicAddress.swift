import Synchronization

/// Where people reach the daemon (`BRIEFD_PUBLIC_URL`, else the address it listens on, known once bound): the base of
/// an invitation's `accept_url` and of every email's links. Never taken from a request's `Host` (a forged one would
/// put another site in a link).
public final class PublicAddress: Sendable {
    private let url = Mutex<String>("http://127.0.0.1")
    public init(_ url: String? = nil) { if let url { set(url) } }
    public func set(_ value: String) {
        url.withLock { $0 = value.hasSuffix("/") ? String(value.dropLast()) : value }
    }
    public var value: String { url.withLock { $0 } }

    /// Where the invitation with this token is accepted: `<public URL>/console/invitations/<token>`.
    public func invitationURL(token: String) -> String { "\(value)/console/invitations/\(token)" }
}

extension PublicAddress {
    /// A console page: `<public URL><path>`.
    public func url(path: String) -> String { value + path }
}
