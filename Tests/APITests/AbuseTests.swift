import BriefdApp
import Foundation
import Testing

@testable import API

#if canImport(Glibc)
    import Glibc
#endif

/// Limits that keep one client or one tenant from wearing the daemon down: failed authentications per address
/// (checked before any key lookup), idle and surplus HTTP connections, and per-organization caps.
@Suite("Abuse limits")
struct AbuseTests {
    @Test("bad keys from one address: 401 up to the burst, then 429 before any lookup, operator token included")
    func failedAuthenticationsLimited() async throws {
        try await withServer(authFailureLimiter: RateLimiter(rate: 0.01, burst: 5)) { s in
            let brand = try await s.organization("Velo", "brand")
            for i in 0..<5 {
                let r = try await s.call(.GET, "/v1/projects", token: "bfd_wrong\(i)")
                #expect(r.status == 401, "attempt \(i): \(r.status)")
            }
            let limited = try await s.call(.GET, "/v1/projects", token: "bfd_wrong")
            #expect(limited.status == 429 && limited.code == "rate_limited")
            #expect(Int(limited.headers["Retry-After"].first ?? "") ?? 0 >= 1)
            // The address is limited as a whole: the check runs before the key is looked up.
            #expect(try await s.call(.GET, "/v1/projects", token: brand.token).status == 429)
            let operatorCall = try await s.call(
                .POST, "/v1/organizations", token: "not-the-operator-token", json: #"{"name":"X","kind":"brand"}"#)
            #expect(operatorCall.status == 429)
        }
        // Valid keys never spend the budget.
        try await withServer(authFailureLimiter: RateLimiter(rate: 0.01, burst: 2)) { s in
            let brand = try await s.organization("Velo", "brand")
            for _ in 0..<20 { #expect(try await s.call(.GET, "/v1/projects", token: brand.token).status == 200) }
        }
    }

    @Test("an organization holds at most 25 webhook endpoints and 100 active keys (422 limit_reached)")
    func perOrganizationCaps() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            var first = ""
            for i in 0..<25 {
                let r = try await s.call(
                    .POST, "/v1/webhook-endpoints", token: brand.token, json: #"{"url":"http://127.0.0.1:9/\#(i)"}"#)
                try #require(r.status == 201, "\(r.text)")
                if i == 0 { first = r["id"] as? String ?? "" }
            }
            let over = try await s.call(
                .POST, "/v1/webhook-endpoints", token: brand.token, json: #"{"url":"http://127.0.0.1:9/x"}"#)
            #expect(over.status == 422 && over.code == "limit_reached", "\(over.text)")
            #expect(try await s.call(.DELETE, "/v1/webhook-endpoints/\(first)", token: brand.token).status == 204)
            let again = try await s.call(
                .POST, "/v1/webhook-endpoints", token: brand.token, json: #"{"url":"http://127.0.0.1:9/x"}"#)
            #expect(again.status == 201)

            // The organization's first key counts: 99 more fit.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<120 {
                    group.addTask {
                        try await s.call(
                            .POST, "/v1/api-keys", token: brand.token, json: #"{"name":"k\#(i)","role":"viewer"}"#
                        ).status
                    }
                }
                var statuses: [Int: Int] = [:]
                for try await status in group { statuses[status, default: 0] += 1 }
                // Racing creations agree on the count (the organization's row lock): exactly 99 made.
                #expect(statuses == [201: 99, 422: 21], "\(statuses)")
            }
        }
    }

    @Test("heavy work: two at once per organization with a budget of two; a third waits its turn")
    func heavyWorkBudget() {
        let running = WorkBudget(most: 2)
        let org = UUID()
        #expect(running.start(org) && running.start(org))
        #expect(!running.start(org))
        #expect(running.start(UUID()))
        running.end(org)
        #expect(running.start(org))
    }

    /// The connection cap is proven on the real binary by `scripts/check-cli`: Hummingbird's test framework
    /// rebuilds the configuration without its `availableConnectionsDelegate` (`ApplicationConfiguration.with`).
    @Test("an idle HTTP connection is closed after the idle timeout; a busy one is not")
    func idleConnectionsClosed() async throws {
        let idleAfterOneSecond: @Sendable (inout DaemonConfiguration) -> Void = { $0.httpIdleTimeout = .seconds(1) }
        try await withServer(configure: idleAfterOneSecond) { s in
            let idle = try RawConnection(port: s.port)
            let busy = try RawConnection(port: s.port)
            for _ in 0..<4 {
                try busy.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(busy.read(timeout: 2).hasPrefix("HTTP/1.1 200"))
                try await Task.sleep(for: .milliseconds(500))
            }
            // 2 s have passed: the idle one was closed by the daemon, the busy one still answers.
            #expect(idle.read(timeout: 1).isEmpty && idle.closedByPeer)
            try busy.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(busy.read(timeout: 2).hasPrefix("HTTP/1.1 200"))
        }
    }
}

/// A plain TCP client, to hold connections open without sending a request.
final class RawConnection: @unchecked Sendable {
    let fd: Int32
    private(set) var closedByPeer = false

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
    }

    /// What arrives within `timeout` seconds, until 100 ms pass without more (empty when nothing, or when the
    /// peer closed: see `closedByPeer`).
    func read(timeout: Double) -> String {
        var out: [UInt8] = []
        var wait = Int32(timeout * 1000)
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, wait) > 0 else { break }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 {
                closedByPeer = true
                break
            }
            out += buffer[0..<n]
            wait = 100
        }
        return String(decoding: out, as: UTF8.self)
    }
}
