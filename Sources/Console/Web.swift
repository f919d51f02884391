import Foundation
import HTTPTypes
import Hummingbird

/// A submitted HTML form (`application/x-www-form-urlencoded`): fields in order, a name may repeat.
struct Form: Sendable {
    var fields: [(name: String, value: String)]

    /// The largest form body read; a bigger one is refused (413).
    static let maxBytes = 256 * 1024

    init(fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }

    /// Parses a URL-encoded body; a malformed escape keeps the raw text (the field's checks refuse it later).
    init(urlEncoded body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        fields = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let plus = s.replacingOccurrences(of: "+", with: " ")
                return plus.removingPercentEncoding ?? plus
            }
            return (name: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of `name`, or nil.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The first value of `name` that is not blank, trimmed (a picker and a typed alternative share a name).
    func text(_ name: String) -> String? {
        fields.lazy.filter { $0.name == name }.map { $0.value.trimmingCharacters(in: .whitespacesAndNewlines) }
            .first { !$0.isEmpty }
    }

    /// The non-blank lines of a textarea.
    func lines(_ name: String) -> [String] {
        (self[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

/// Why a form post is refused before anything runs.
enum ForgeryCheck: Equatable, Sendable {
    case passed
    /// The browser says the form came from another site (`Sec-Fetch-Site: cross-site` or `same-site`).
    case crossSite
    /// The form carries no token, or not the session's.
    case badToken

    /// Every POST of a session: the browser's own `Sec-Fetch-Site` (when it sends one) must say the request came
    /// from this origin or from the person (`none`: typed, bookmarked), and the form's token must be the session's.
    /// Both, because old browsers send no `Sec-Fetch-Site`, and a token alone does not stop a same-site subdomain.
    static func check(secFetchSite: String?, formToken: String?, sessionToken: String?) -> ForgeryCheck {
        if isCrossSite(secFetchSite) { return .crossSite }
        guard let formToken, let sessionToken, !sessionToken.isEmpty,
            constantTimeEqual(Array(formToken.utf8), Array(sessionToken.utf8))
        else { return .badToken }
        return .passed
    }

    /// Whether the browser says the request came from another site: the check of every form, signed-in or not
    /// (sign-in, accepting an invitation, a password reset).
    static func isCrossSite(_ secFetchSite: String?) -> Bool {
        guard let site = secFetchSite?.lowercased() else { return false }
        return site != "same-origin" && site != "none"
    }

    /// Whether `request` comes from another site, by its `Sec-Fetch-Site`.
    static func isCrossSite(_ request: Request) -> Bool {
        isCrossSite(request.headers[HTTPField.Name("Sec-Fetch-Site")!])
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

/// The session cookie: `__Host-` prefixed and `Secure` where the console is served over HTTPS — as the operator
/// says with an `https` `BRIEFD_PUBLIC_URL` or `BRIEFD_SECURE_COOKIES`, never as a request's header claims — and
/// its plain name on HTTP (loopback); HttpOnly, SameSite=Lax, path `/`.
struct SessionCookie: Sendable {
    static let plainName = "briefd_session"
    static let secureName = "__Host-briefd_session"

    /// Whether the console is served over HTTPS.
    let secure: Bool

    var name: String { secure ? Self.secureName : Self.plainName }

    /// The session id the request carries.
    func value(of request: Request) -> String? { request.cookies[name]?.value }

    func set(_ id: String, lifetime: TimeInterval, on response: inout Response) {
        response.setCookie(
            Cookie(
                name: name, value: id, maxAge: Int(lifetime), path: "/", secure: secure, httpOnly: true,
                sameSite: .lax))
    }

    func clear(on response: inout Response) {
        response.setCookie(
            Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax))
    }
}

/// HTML responses with the console's security headers: nothing loads from elsewhere, no framing, no caching.
enum HTML {
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// POST, then 303 to the page (so a reload does not post again).
    static func seeOther(_ location: String) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}
