import Foundation
import HTTPTypes
import Hummingbird

#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 network written as CIDR (`10.0.0.0/8`, `fd00::/8`; a bare address is a /32 or /128).
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    let bytes: [UInt8]
    let bits: Int

    /// Parses `text`; nil when it is not an address with an optional prefix length that fits it.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = parts.first.map(String.init), let bytes = Self.parse(address) else { return nil }
        let most = bytes.count * 8
        if parts.count == 2 {
            guard parts[1].count <= 3, let n = Int(parts[1]), (0...most).contains(n) else { return nil }
            bits = n
        } else {
            bits = most
        }
        self.bytes = bytes
    }

    public var description: String { "\(bytes.count == 4 ? "IPv4" : "IPv6") /\(bits)" }

    /// The address's bytes (4 or 16), or nil when `text` is not a numeric address.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let b = withUnsafeBytes(of: &v6) { Array($0) }
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address.
            if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return Array(b[12..<16]) }
            return b
        }
        return nil
    }

    /// Whether the numeric address `text` is in this network.
    public func contains(_ text: String) -> Bool {
        guard let b = Self.parse(text), b.count == bytes.count else { return false }
        let whole = bits / 8
        for i in 0..<whole where b[i] != bytes[i] { return false }
        let rest = bits % 8
        guard rest > 0 else { return true }
        let mask = UInt8(0xFF) << (8 - rest)
        return b[whole] & mask == bytes[whole] & mask
    }
}

/// Which peers are proxies whose `X-Forwarded-For` names the client (`BRIEFD_TRUSTED_PROXIES`). With none, the
/// client is the socket's peer and the header is ignored: anyone could write it.
public struct TrustedProxies: Sendable {
    public var networks: [CIDR]

    public init(_ networks: [CIDR] = []) { self.networks = networks }

    /// Parses a comma-separated list; nil when one entry is not a CIDR.
    public init?(list: String) {
        var networks: [CIDR] = []
        for item in list.split(separator: ",") {
            let entry = item.trimmingCharacters(in: .whitespaces)
            guard let network = CIDR(entry) else { return nil }
            networks.append(network)
        }
        self.networks = networks
    }

    func trusts(_ address: String) -> Bool { networks.contains { $0.contains(address) } }

    /// The client of a request from `peer`: walking `X-Forwarded-For` from the right (the nearest hop first), the
    /// first address that is not a trusted proxy. A malformed entry stops the walk at the last trusted hop.
    func client(peer: String?, forwardedFor: String?) -> String? {
        guard let peer, !networks.isEmpty, trusts(peer), let forwardedFor else { return peer }
        var client = peer
        for hop in forwardedFor.split(separator: ",").reversed() {
            let address = hop.trimmingCharacters(in: .whitespaces)
            guard CIDR.parse(address) != nil else { break }
            client = address
            if !trusts(address) { break }
        }
        return client
    }
}

/// Sets `BriefdContext.clientAddress` to the client a trusted proxy names, before any limit reads it.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = BriefdContext
    let proxies: TrustedProxies
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !proxies.networks.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = proxies.client(
            peer: context.clientAddress, forwardedFor: request.headers[values: Self.forwardedFor].joined(separator: ",")
        )
        return try await next(request, context)
    }
}

/// `Strict-Transport-Security` on every answer, when the operator says the daemon is reached over HTTPS.
struct StrictTransportSecurity: RouterMiddleware {
    typealias Context = BriefdContext
    static let header = HTTPField.Name("Strict-Transport-Security")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[Self.header] = "max-age=31536000"
        return response
    }
}
