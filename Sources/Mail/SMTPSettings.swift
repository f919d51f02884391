import Foundation

/// Where mail goes: `BRIEFD_SMTP_URL`, read once at start.
///
/// - `smtp://[user:pass@]host[:port]` (port 587 by default): STARTTLS is required; a server that does not offer it
///   is refused, never spoken to in the clear.
/// - `smtp://…?tls=none`: no TLS, allowed only for a loopback host (a relay on the same machine).
/// - `smtps://[user:pass@]host[:port]` (port 465 by default): TLS from the first byte.
/// - `ca_file=/path.pem` trusts that certificate authority instead of the system's (a private relay, the tests).
///
/// Credentials are percent-decoded; they are sent only over TLS (or to a loopback relay with `tls=none`).
public struct SMTPSettings: Sendable, Hashable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Hashable {
        /// STARTTLS after the greeting, required.
        case startTLS = "starttls"
        /// TLS from the first byte (`smtps://`).
        case implicitTLS = "tls"
        /// None: a loopback host only.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A PEM file of the certificate authorities to trust instead of the system's.
    public var caFile: String?

    /// A setting that cannot be used, with why.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Reads `url`; the error says what is wrong with it, never the password.
    public init(url: String) throws {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            let host = parts.host, !host.isEmpty
        else { throw Invalid(description: "BRIEFD_SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://…") }
        var query: [String: String] = [:]
        for item in parts.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let unknown = Set(query.keys).subtracting(["tls", "ca_file"])
        guard unknown.isEmpty else {
            throw Invalid(description: "BRIEFD_SMTP_URL: unknown parameter \(unknown.sorted().joined(separator: ", "))")
        }
        switch (scheme, query["tls"]) {
        case ("smtp", nil), ("smtp", "starttls"): security = .startTLS
        case ("smtp", "none"): security = .none
        case ("smtps", nil): security = .implicitTLS
        default:
            throw Invalid(description: "BRIEFD_SMTP_URL: the scheme is smtp or smtps, and tls is starttls or none")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard security != .none || Self.isLoopback(self.host) else {
            throw Invalid(description: "BRIEFD_SMTP_URL: tls=none is allowed only for a loopback host")
        }
        port = parts.port ?? (security == .implicitTLS ? 465 : 587)
        guard (1...65_535).contains(port) else { throw Invalid(description: "BRIEFD_SMTP_URL: the port is 1…65535") }
        username = parts.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        password = parts.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        guard (username == nil) == (password == nil) else {
            throw Invalid(description: "BRIEFD_SMTP_URL: a user needs a password, and a password a user")
        }
        caFile = query["ca_file"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1"
            || h.hasPrefix("127.")
                && h.split(separator: ".").count == 4 && h.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }
}

extension SMTPSettings: CustomStringConvertible {
    /// The URL without its password, for logs.
    public var description: String {
        let user = username.map { "\($0):***@" } ?? ""
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let tls = security == .none ? "?tls=none" : ""
        return "\(scheme)://\(user)\(host):\(port)\(tls)"
    }
}
