import BriefdApp
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import API

/// One tenant cannot starve the others: unknown session cookies count like bad keys, a key seen valid is not
/// refused for other callers' failures, a trusted proxy's client is the one limited, heavy reads have a budget per
/// organization, and a request must arrive whole within its read deadline.
@Suite("Limits between tenants")
struct TenantLimitsTests {
    @Test("150 made-up session cookies from one address meet a 429 before any lookup")
    func madeUpCookies() async throws {
        try await withServer(authFailureLimiter: RateLimiter(rate: 0.01, burst: 50)) { s in
            var statuses: [Int] = []
            for i in 0..<150 {
                let r = try await s.call(.GET, "/console/projects", headers: [("Cookie", "briefd_session=forged\(i)")])
                statuses.append(r.status)
            }
            #expect(statuses.prefix(50).allSatisfy { $0 == 401 }, "\(statuses.prefix(50))")
            #expect(statuses.contains(429), "no 429 among \(Set(statuses))")
            let refused = try await s.call(.GET, "/console/projects", headers: [("Cookie", "briefd_session=again")])
            #expect(refused.status == 429 && refused.headers.first(name: "Retry-After") != nil)
        }
    }

    @Test("a console session spends its key's request budget")
    func sessionsShareTheKeyLimit() async throws {
        try await withServer(rateLimiter: RateLimiter(rate: 0.01, burst: 5)) { s in
            let brand = try await s.organization("Velo", "brand")
            let (visitor, _) = try await s.signIn(brand.token)
            var statuses: [Int] = []
            for _ in 0..<12 { statuses.append(try await visitor.get("/console/projects").status) }
            #expect(statuses.prefix(4).allSatisfy { $0 == 200 }, "\(statuses)")
            #expect(statuses.contains(429), "\(statuses)")
            // The key's own API calls spend the same budget.
            #expect(try await s.call(.GET, "/v1/projects", token: brand.token).status == 429)
        }
    }

    @Test("a key seen valid is never refused for other requests' failures from the same address")
    func validKeysNotLockedOut() async throws {
        try await withServer(authFailureLimiter: RateLimiter(rate: 0.01, burst: 5)) { s in
            let brand = try await s.organization("Velo", "brand")
            #expect(try await s.call(.GET, "/v1/projects", token: brand.token).status == 200)
            var bad: [Int] = []
            for i in 0..<50 { bad.append(try await s.call(.GET, "/v1/projects", token: "bfd_wrong\(i)").status) }
            #expect(bad.contains(429), "\(Set(bad))")
            // The address has spent its budget; the tenant's key that this daemon knows goes on.
            for _ in 0..<5 { #expect(try await s.call(.GET, "/v1/projects", token: brand.token).status == 200) }
            #expect(try await s.call(.GET, "/v1/projects", token: "bfd_wrong_again").status == 429)
        }
    }

    @Test("behind a trusted proxy the limiter counts X-Forwarded-For's client; from anyone else it ignores it")
    func trustedProxies() async throws {
        let trusted: @Sendable (inout DaemonConfiguration) -> Void = {
            $0.trustedProxies = TrustedProxies(list: "127.0.0.0/8")!
        }
        try await withServer(authFailureLimiter: RateLimiter(rate: 0.01, burst: 5), configure: trusted) { s in
            var first: [Int] = []
            for i in 0..<10 {
                first.append(
                    try await s.call(
                        .GET, "/v1/projects", token: "bfd_x\(i)", headers: [("X-Forwarded-For", "203.0.113.5")]
                    ).status)
            }
            #expect(first.last == 429, "\(first)")
            // Another client behind the same proxy still gets its own budget.
            let other = try await s.call(
                .GET, "/v1/projects", token: "bfd_y", headers: [("X-Forwarded-For", "198.51.100.7, 127.0.0.1")])
            #expect(other.status == 401, "\(other.text)")
        }
        try await withServer(authFailureLimiter: RateLimiter(rate: 0.01, burst: 5)) { s in
            for i in 0..<10 {
                _ = try await s.call(
                    .GET, "/v1/projects", token: "bfd_x\(i)", headers: [("X-Forwarded-For", "203.0.113.\(i)")])
            }
            // No trusted proxy: the header is the client's own word, and the socket's address is the one limited.
            let spoofed = try await s.call(
                .GET, "/v1/projects", token: "bfd_y", headers: [("X-Forwarded-For", "198.51.100.7")])
            #expect(spoofed.status == 429)
        }
        let proxies = try #require(TrustedProxies(list: "10.0.0.0/8, fd00::/8"))
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: "1.2.3.4, 10.9.9.9") == "1.2.3.4")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: "1.2.3.4, 5.6.7.8") == "5.6.7.8")
        #expect(proxies.client(peer: "8.8.8.8", forwardedFor: "1.2.3.4") == "8.8.8.8")
        #expect(proxies.client(peer: "fd00::1", forwardedFor: "garbage, 2001:db8::1") == "2001:db8::1")
        #expect(proxies.client(peer: "10.0.0.1", forwardedFor: "garbage") == "10.0.0.1")
        #expect(TrustedProxies(list: "10.0.0.0/33") == nil && TrustedProxies(list: "nonsense") == nil)
        #expect(CIDR("10.0.0.0/8")?.contains("::ffff:10.1.1.1") == true)
        #expect(CIDR("10.0.0.0/8")?.contains("11.0.0.1") == false)
        #expect(CIDR("2001:db8::/32")?.contains("2001:db8:ffff::1") == true)
    }

    @Test("50 parallel scorecards from one viewer: past the budget they are told busy, others' reads stay 200")
    func heavyReadsBudget() async throws {
        let small: @Sendable (inout DaemonConfiguration) -> Void = {
            $0.heavyRequestsPerOrganization = 2
            $0.maxDBConnections = 12
        }
        try await withServer(configure: small) { s in
            let heavy = try await s.organization("Velo", "brand")
            let viewer = try await s.key(heavy, role: "viewer")
            let other = try await s.organization("Other", "brand")
            let project = try await s.project(other)
            let statuses = Collected()
            let otherStatuses = Collected()
            // The scorecard reads task_offers: with that table locked, the reports that run hold their slots (and
            // their connections) until the lock goes, as slow reports on a big database would.
            try await withClient(s.url, maxConnections: 1) { pg in
                try await pg.withConnection { lock in
                    try await lock.query("BEGIN", logger: s.db.logger).run()
                    try await lock.query("LOCK TABLE task_offers IN ACCESS EXCLUSIVE MODE", logger: s.db.logger).run()
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<50 {
                            group.addTask {
                                let r = try await s.call(.GET, "/v1/reports/agencies", token: viewer)
                                statuses.add([r.status])
                            }
                        }
                        for _ in 0..<200 where statuses.all.count < 48 {
                            try await Task.sleep(for: .milliseconds(50))
                        }
                        for _ in 0..<10 {
                            let list = try await s.call(.GET, "/v1/projects", token: other.token).status
                            let one = try await s.call(.GET, "/v1/projects/\(project)", token: other.token).status
                            otherStatuses.add([list, one])
                        }
                        try await lock.query("ROLLBACK", logger: s.db.logger).run()
                        try await group.waitForAll()
                    }
                }
            }
            let seen = statuses.all
            // At most two ran at once: each report that ran holds a slot until it answers (200 after the lock goes,
            // or 503 past the database deadline on a slow machine, which frees its slot for one more).
            let ran = seen.count - seen.filter { $0 == 429 }.count
            #expect(seen.count == 50 && ran <= 2 + seen.filter { $0 == 503 }.count, "\(seen)")
            #expect(seen.filter { $0 == 429 }.count >= 40, "\(seen)")
            #expect(Set(seen).isSubset(of: [200, 429, 503]), "\(Set(seen))")
            let others = otherStatuses.all
            #expect(others.count == 20 && others.allSatisfy { $0 == 200 }, "\(others)")
            let after = try await s.call(.GET, "/v1/reports/agencies", token: viewer)
            #expect(after.status == 200, "the budget is given back: \(after.text.prefix(200))")
        }
        let budget = WorkBudget(most: 1)
        let org = UUID()
        try await budget.run(org) {
            await #expect(throws: APIError.self) { try await budget.run(org) {} }
            try await budget.run(UUID()) {}
        }
        try await budget.run(org) {}
    }

    @Test("a body trickled a byte every 3 s is cut at the read deadline; 500 such connections leave /healthz up")
    func trickledBodiesCut() async throws {
        let short: @Sendable (inout DaemonConfiguration) -> Void = { $0.requestReadTimeout = .seconds(4) }
        try await withServer(configure: short) { s in
            let group = MultiThreadedEventLoopGroup.singleton
            func open() async throws -> any Channel {
                try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: s.port).get()
            }
            let head =
                "POST /console/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 1000\r\n\r\n"
            let trickled = try await open()
            try await trickled.writeAndFlush(ByteBuffer(string: head)).get()
            let crowd = try await (0..<500).asyncMap { _ in
                let c = try await open()
                // A connection opened a while ago may be cut already: that is the deadline at work.
                try? await c.writeAndFlush(ByteBuffer(string: head + "a")).get()
                return c
            }
            #expect(try await s.call(.GET, "/healthz").status == 200)
            var sent = 0
            // Without a read deadline this would go on for 1,000 bytes (50 minutes); the idle timeout never fires.
            while trickled.isActive, sent < 20 {
                _ = try? await trickled.writeAndFlush(ByteBuffer(string: "a")).get()
                sent += 1
                try await Task.sleep(for: .seconds(3))
            }
            #expect(!trickled.isActive, "the trickled request still held its connection after \(sent) bytes")
            for _ in 0..<40 where crowd.contains(where: \.isActive) { try await Task.sleep(for: .milliseconds(250)) }
            let open = crowd.filter(\.isActive).count
            #expect(open == 0, "\(open) of the crowd's 500 connections were not closed")
            #expect(try await s.call(.GET, "/healthz").status == 200)
            // A request that arrives whole in time is answered as usual, and its connection stays for the next one.
            #expect(try await s.call(.GET, "/readyz").status == 200)
        }
    }
}

/// Statuses collected by concurrent requests.
final class Collected: Sendable {
    private let values = Mutex<[Int]>([])
    func add(_ more: [Int]) { values.withLock { $0 += more } }
    var all: [Int] { values.withLock { $0 } }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await transform(e)) }
        return out
    }
}
