import Foundation
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Refuses webhook targets on loopback, private, link-local, multicast, documentation or otherwise non-public
/// addresses (SSRF), unless the operator allows private addresses.
///
/// Names are resolved off the event loops (``HostLookup``), and a checked URL comes back with the address that was
/// checked: the dispatcher connects to that address (``PinnedClients``), so a name that answers differently a
/// moment later (DNS rebinding) cannot send a call somewhere the check did not see.
public struct AddressPolicy: Sendable {
    public var allowPrivate: Bool
    /// How names are resolved; tests inject slow or lying resolvers here.
    public var lookup: HostLookup

    public init(allowPrivate: Bool, lookup: HostLookup = HostLookup()) {
        self.allowPrivate = allowPrivate
        self.lookup = lookup
    }

    /// What a check of a webhook URL found.
    public enum Verdict: Sendable, Equatable {
        /// The URL may be called. `address` is the checked address to connect to when `host` is a name; nil when
        /// the host is a numeric address, or when private addresses are allowed and the name did not resolve.
        case allowed(host: String, address: String?)
        /// The URL may not be called, and why (no resolved address is echoed: it could map an internal network).
        case refused(String)
    }

    /// Why `url` may not be used, or nil when it may. `owner` is the organization asking (its lookups are capped).
    public func refusal(for url: String, owner: UUID? = nil) async -> String? {
        if case .refused(let why) = await check(url, owner: owner) { return why }
        return nil
    }

    /// Checks `url`: its form, then every address its host resolves to. Resolution never runs on an event loop.
    public func check(_ url: String, owner: UUID? = nil) async -> Verdict {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(),
            ["http", "https"].contains(scheme),
            let host = c.host, !host.isEmpty, c.user == nil, c.password == nil
        else { return .refused("the URL must be an absolute http or https URL without credentials") }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if Self.isNumeric(bare) {
            return allowPrivate || !Self.isForbidden(bare)
                ? .allowed(host: host, address: nil)
                : .refused(
                    "the address \(bare) is not a public address")
        }
        let addresses: [String]
        do { addresses = try await lookup.addresses(of: bare, owner: owner) } catch let busy as HostLookup.Busy {
            return .refused("the host \(bare) could not be looked up now (\(busy.reason)); try again shortly")
        } catch {
            if allowPrivate { return .allowed(host: host, address: nil) }
            return .refused("the host \(bare) did not resolve in time")
        }
        // Allowed private addresses (development, a private network) still connect to the address resolved here.
        if allowPrivate { return .allowed(host: host, address: addresses.sorted().first) }
        if addresses.isEmpty { return .refused("the host \(bare) does not resolve") }
        if addresses.contains(where: Self.isForbidden) {
            return .refused("the host \(bare) resolves to a non-public address")
        }
        return .allowed(host: host, address: addresses.sorted()[0])
    }

    /// Whether `text` is a numeric IPv4 or IPv6 address (not a name to resolve).
    static func isNumeric(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// Whether a numeric address is loopback, private, link-local, multicast, unspecified, documentation,
    /// benchmarking, a translation or tunnel form of any of those, or otherwise not public. Unparsable is forbidden.
    public static func isForbidden(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return isForbiddenV4(UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address.split(separator: "%").first.map(String.init) ?? address, &v6) == 1 else {
            return true
        }
        return isForbiddenV6(withUnsafeBytes(of: v6) { Array($0) })
    }

    /// IPv6 by its 16 bytes. Every form that embeds an IPv4 address is refused whole or judged by that address.
    static func isForbiddenV6(_ b: [UInt8]) -> Bool {
        func v4(at i: Int) -> UInt32 {
            UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
        }
        func prefix(_ bytes: [UInt8], bits: Int) -> Bool {
            for i in 0..<(bits / 8) where b[i] != bytes[i] { return false }
            let rest = bits % 8
            if rest == 0 { return true }
            let mask = UInt8(0xFF) << (8 - rest)
            return b[bits / 8] & mask == bytes[bits / 8] & mask
        }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return true }  // ::/96: ::, ::1, IPv4-compatible
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return true }  // ::ffff:0:0/96
        if b[0..<8].allSatisfy({ $0 == 0 }) && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0 {
            return true  // ::ffff:0:0:0/96, IPv4-translated
        }
        if prefix([0x00, 0x64, 0xFF, 0x9B], bits: 32) && b[4..<12].allSatisfy({ $0 == 0 }) { return true }  // NAT64
        if prefix([0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01], bits: 48) { return true }  // 64:ff9b:1::/48 local NAT64
        if prefix([0x20, 0x02], bits: 16) { return isForbiddenV4(v4(at: 2)) }  // 2002::/16 6to4 of an IPv4
        if prefix([0x20, 0x01, 0x00, 0x00], bits: 32) { return true }  // 2001::/32 Teredo (a hidden IPv4)
        if prefix([0x20, 0x01, 0x00, 0x02, 0x00, 0x00], bits: 48) { return true }  // 2001:2::/48 benchmarking
        if prefix([0x20, 0x01, 0x0D, 0xB8], bits: 32) { return true }  // 2001:db8::/32 documentation
        if prefix([0x3F, 0xFF, 0x00], bits: 20) { return true }  // 3fff::/20 documentation
        if prefix([0x01, 0x00, 0, 0, 0, 0, 0, 0], bits: 64) { return true }  // 100::/64 discard-only
        if b[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return true }  // fec0::/10 site-local
        if b[0] == 0xFF { return true }  // multicast
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
            || inNet(0xC000_0200, 24)  // 192.0.2/24 documentation (TEST-NET-1)
            || inNet(0xC058_6300, 24)  // 192.88.99/24 6to4 relay anycast
            || inNet(0xC0A8_0000, 16)  // 192.168/16
            || inNet(0xC612_0000, 15)  // 198.18/15 benchmarking
            || inNet(0xC633_6400, 24)  // 198.51.100/24 documentation (TEST-NET-2)
            || inNet(0xCB00_7100, 24)  // 203.0.113/24 documentation (TEST-NET-3)
            || inNet(0xE000_0000, 4)  // 224/4 multicast
            || inNet(0xF000_0000, 4)  // 240/4 reserved, broadcast
    }
}

/// Resolves host names with `getaddrinfo` on threads of its own, never on an event loop (Swift Concurrency runs on
/// NIO's loops here, so a blocking call there would stall every request of every tenant), and gives up after
/// `timeout`: a slow name server delays only the endpoint that uses it.
public struct HostLookup: Sendable {
    /// The blocking resolution: `getaddrinfo` unless a test injects another.
    public var resolve: @Sendable (String) -> [String]
    public var timeout: Duration

    /// Lookups in flight and recent answers, shared by the copies of this value.
    let limits: LookupLimits

    public init(
        timeout: Duration = .seconds(5), limits: LookupLimits.Configuration = .init(),
        resolve: @escaping @Sendable (String) -> [String] = HostLookup.system
    ) {
        self.resolve = resolve
        self.timeout = timeout
        self.limits = LookupLimits(limits)
    }

    /// Threads for resolution only, started once for the process (like NIO's own singletons).
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    struct TimedOut: Error {}

    /// Refused before any lookup: the owner's or the daemon's lookups in flight are at their cap.
    public struct Busy: Error, Sendable {
        public var reason: String
    }

    /// Every address `host` resolves to, or `TimedOut` once `timeout` has passed (the blocking call finishes on
    /// its thread and its answer is dropped). A recent answer for `host` (or its time-out) is reused; past the
    /// owner's or the daemon's cap of lookups in flight (counted until the blocking call returns, not until the
    /// time-out) the lookup is refused with `Busy` at once, so one tenant's black-holed name cannot fill the pool.
    public func addresses(of host: String, owner: UUID? = nil) async throws -> [String] {
        let key = host.lowercased()
        switch limits.cached(key) {
        case .some(.some(let addresses)): return addresses
        case .some(.none): throw TimedOut()
        case .none: break
        }
        try limits.admit(owner)
        let resolve = self.resolve
        let limits = self.limits
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let lookup = Self.threads.runIfActive(eventLoop: loop) { resolve(key) }
        let promise = loop.makePromise(of: [String].self)
        let timer = loop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
            limits.remember(key, nil)
            promise.fail(TimedOut())
        }
        lookup.whenComplete { result in
            limits.finished(owner)
            timer.cancel()
            if case .success(let addresses) = result { limits.remember(key, addresses) }
            promise.completeWith(result)
        }
        return try await promise.futureResult.get()
    }

    /// `getaddrinfo`: every address `host` resolves to, as text.
    public static let system: @Sendable (String) -> [String] = { host in
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
}

/// The bounds of ``HostLookup``: lookups in flight per owner and in all, and a short memory of answers.
public final class LookupLimits: Sendable {
    public struct Configuration: Sendable {
        /// Lookups one organization may have in flight (its blocking calls, until they return).
        public var perOwner = 4
        /// Lookups in flight in all: the resolution threads (8) and a short queue behind them.
        public var total = 32
        /// How long an answer is reused.
        public var answerLifetime: Duration = .seconds(30)
        /// How long a time-out is reused (a black-holed name answers at once meanwhile).
        public var timeoutLifetime: Duration = .seconds(30)
        /// Hosts remembered at most (emptied when full).
        public var remembered = 10_000

        public init() {}
    }

    struct State {
        var inFlight: [UUID: Int] = [:]
        var total = 0
        /// Per host: its addresses (nil for a time-out) and until when they are reused.
        var answers: [String: (addresses: [String]?, until: ContinuousClock.Instant)] = [:]
    }

    let configuration: Configuration
    private let state = Mutex(State())

    init(_ configuration: Configuration) { self.configuration = configuration }

    /// The remembered answer: nil when none, `.some(nil)` for a remembered time-out.
    func cached(_ host: String) -> [String]?? {
        state.withLock { s in
            guard let a = s.answers[host] else { return nil }
            guard a.until > .now else {
                s.answers[host] = nil
                return nil
            }
            return .some(a.addresses)
        }
    }

    func remember(_ host: String, _ addresses: [String]?) {
        let lifetime = addresses == nil ? configuration.timeoutLifetime : configuration.answerLifetime
        state.withLock { s in
            if s.answers.count >= configuration.remembered { s.answers.removeAll(keepingCapacity: true) }
            // A late answer replaces a remembered time-out; a time-out never replaces a fresh answer.
            if addresses == nil, let known = s.answers[host], known.addresses != nil, known.until > .now { return }
            s.answers[host] = (addresses, .now + lifetime)
        }
    }

    func admit(_ owner: UUID?) throws {
        try state.withLock { s in
            guard s.total < configuration.total else {
                throw HostLookup.Busy(reason: "too many name lookups are in flight")
            }
            if let owner {
                guard s.inFlight[owner, default: 0] < configuration.perOwner else {
                    throw HostLookup.Busy(reason: "this organization has \(configuration.perOwner) lookups in flight")
                }
                s.inFlight[owner, default: 0] += 1
            }
            s.total += 1
        }
    }

    func finished(_ owner: UUID?) {
        state.withLock { s in
            s.total -= 1
            if let owner {
                s.inFlight[owner, default: 1] -= 1
                if s.inFlight[owner] == 0 { s.inFlight[owner] = nil }
            }
        }
    }
}
