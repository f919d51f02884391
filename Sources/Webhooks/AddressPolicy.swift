import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Refuses webhook targets on loopback, private, link-local, multicast or unspecified addresses (SSRF),
/// unless the operator allows private addresses.
public struct AddressPolicy: Sendable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool) { self.allowPrivate = allowPrivate }

    /// Why `url` may not be used, or nil when it may. Resolves the host name.
    public func refusal(for url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(),
            ["http", "https"].contains(scheme),
            let host = c.host, !host.isEmpty, c.user == nil, c.password == nil
        else { return "the URL must be an absolute http or https URL without credentials" }
        if allowPrivate { return nil }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = Self.resolve(bare)
        if addresses.isEmpty { return "the host \(bare) does not resolve" }
        if let bad = addresses.first(where: Self.isForbidden) {
            return "the host \(bare) resolves to \(bad), a non-public address"
        }
        return nil
    }

    /// Every address `host` resolves to, as text.
    public static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                ai.pointee.ai_addr, ai.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
                == 0
            {
                out.append(String(cString: buffer))
            }
            cursor = ai.pointee.ai_next
        }
        return Array(Set(out)).sorted()
    }

    /// Whether a numeric address is loopback, private, link-local, multicast, unspecified or otherwise not public.
    public static func isForbidden(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return isForbiddenV4(UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address.split(separator: "%").first.map(String.init) ?? address, &v6) == 1 else {
            return true
        }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF {  // ::ffff:a.b.c.d
            return isForbiddenV4(UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15]))
        }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
        if b[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
        if b[0] == 0xFF { return true }  // multicast
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B {  // 64:ff9b::/96 NAT64 of an IPv4
            return isForbiddenV4(UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15]))
        }
        return false
    }

    static func isForbiddenV4(_ a: UInt32) -> Bool {
        func inNet(_ net: UInt32, _ bits: UInt32) -> Bool { bits == 0 || (a >> (32 - bits)) == (net >> (32 - bits)) }
        return inNet(0x0000_0000, 8)  // 0.0.0.0/8 unspecified
            || inNet(0x0A00_0000, 8)  // 10/8
            || inNet(0x6440_0000, 10)  // 100.64/10 carrier-grade NAT
            || inNet(0x7F00_0000, 8)  // 127/8 loopback
            || inNet(0xA9FE_0000, 16)  // 169.254/16 link-local, cloud metadata
            || inNet(0xAC10_0000, 12)  // 172.16/12
            || inNet(0xC000_0000, 24)  // 192.0.0/24 protocol assignments
            || inNet(0xC0A8_0000, 16)  // 192.168/16
            || inNet(0xC612_0000, 15)  // 198.18/15 benchmarking
            || inNet(0xE000_0000, 4)  // 224/4 multicast
            || inNet(0xF000_0000, 4)  // 240/4 reserved, broadcast
    }
}
