import Foundation
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
    public func invitationURL(token: String) -> String { value + ConsolePaths.invitation(token: token) }
}

extension PublicAddress {
    /// A console page: `<public URL><path>`.
    public func url(path: String) -> String { value + path }
}

/// The console's pages that other parts link to (the API's notification views, emails, the console itself): each
/// path written once.
public enum ConsolePaths {
    /// A project's page, at the task's card when one is named.
    public static func project(_ id: UUID, task: UUID? = nil) -> String {
        "/console/projects/\(id.uuidString.lowercased())" + (task.map { "#task-\($0.uuidString.lowercased())" } ?? "")
    }
    /// The page that accepts the invitation with this token.
    public static func invitation(token: String) -> String { "/console/invitations/\(token)" }
    /// The page that sets a new password with this reset token.
    public static func passwordReset(token: String) -> String { "/console/password-reset/\(token)" }
    /// The person's notifications.
    public static let notifications = "/console/notifications"
    /// The person's profile (their email preference).
    public static let profile = "/console/profile"
}
