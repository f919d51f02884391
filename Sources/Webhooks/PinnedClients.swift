import AsyncHTTPClient
import Synchronization

/// HTTP clients that connect a webhook host's calls to the address the address policy checked, not to whatever the
/// name resolves to when the connection opens (DNS rebinding). One client per host name, built with AsyncHTTPClient's
/// `dnsOverride` (name → checked address), so the request's `Host` header, the TLS server name and the certificate
/// check all stay the URL's name. A host whose checked address changes gets a new client; the old one is shut down
/// once its last call ends. At most `capacity` hosts are kept; the least recently used idle ones go first.
final class PinnedClients: Sendable {
    /// One host's client and who is using it.
    struct Entry {
        var address: String
        var client: HTTPClient
        var users: Int
        var lastUsed: UInt64
    }

    struct State {
        var hosts: [String: Entry] = [:]
        /// Clients replaced or evicted while calls were still using them: shut down when the last call ends.
        var retired: [ObjectIdentifier: (client: HTTPClient, users: Int)] = [:]
        var clock: UInt64 = 0
    }

    /// A client lent to one call; give it back with ``release(_:)``.
    struct Lease: Sendable {
        let host: String
        let client: HTTPClient
    }

    private let state = Mutex(State())
    private let configuration: HTTPClient.Configuration
    private let capacity: Int

    init(configuration: HTTPClient.Configuration, capacity: Int = 256) {
        self.configuration = configuration
        self.capacity = capacity
    }

    /// A client for `host` that connects to `address`; the second value lists clients to shut down now.
    func lease(host: String, address: String) -> (Lease, [HTTPClient]) {
        state.withLock { s in
            s.clock += 1
            var closing: [HTTPClient] = []
            if var entry = s.hosts[host], entry.address == address {
                entry.users += 1
                entry.lastUsed = s.clock
                s.hosts[host] = entry
                return (Lease(host: host, client: entry.client), closing)
            }
            if let old = s.hosts.removeValue(forKey: host) { Self.retire(old, in: &s, closing: &closing) }
            while s.hosts.count >= capacity,
                let oldest = s.hosts.filter({ $0.value.users == 0 }).min(by: { $0.value.lastUsed < $1.value.lastUsed })
            {
                s.hosts[oldest.key] = nil
                closing.append(oldest.value.client)
            }
            var configuration = self.configuration
            configuration.dnsOverride = [host: address]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            s.hosts[host] = Entry(address: address, client: client, users: 1, lastUsed: s.clock)
            return (Lease(host: host, client: client), closing)
        }
    }

    /// Gives a lease back; returns the clients that were waiting for it to be shut down.
    func release(_ lease: Lease) -> [HTTPClient] {
        state.withLock { s in
            if var entry = s.hosts[lease.host], entry.client === lease.client {
                entry.users -= 1
                s.hosts[lease.host] = entry
                return []
            }
            let id = ObjectIdentifier(lease.client)
            guard var retired = s.retired[id] else { return [] }
            retired.users -= 1
            if retired.users > 0 {
                s.retired[id] = retired
                return []
            }
            s.retired[id] = nil
            return [retired.client]
        }
    }

    /// Every client, for shutdown once no call is in flight.
    func removeAll() -> [HTTPClient] {
        state.withLock { s in
            let all = s.hosts.values.map(\.client) + s.retired.values.map(\.client)
            s = State()
            return all
        }
    }

    /// How many hosts have a client now (for tests).
    var count: Int { state.withLock { $0.hosts.count } }

    private static func retire(_ entry: Entry, in s: inout State, closing: inout [HTTPClient]) {
        if entry.users == 0 {
            closing.append(entry.client)
        } else {
            s.retired[ObjectIdentifier(entry.client)] = (entry.client, entry.users)
        }
    }
}
