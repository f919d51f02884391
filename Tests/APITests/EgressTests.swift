import Foundation
import Synchronization
import Testing
import Webhooks

/// Where webhook calls go: to the address that was checked (never re-resolved when connecting), and a slow name
/// server delays only its own endpoint, never another request.
@Suite("Egress: pinned addresses and resolution off the event loops")
struct EgressTests {
    @Test("a name checked as public but resolving to loopback when connecting: nothing reaches loopback")
    func rebindingReachesNothing() async throws {
        try await withReceiver { receiver, port in
            var config = testDispatch(schedule: [60])
            config.connectTimeout = .seconds(1)
            // The check is told a public address; the system resolver (what a re-resolution would use) says
            // 127.0.0.1, where the receiver listens.
            config.addressPolicy = AddressPolicy(allowPrivate: false, lookup: HostLookup { _ in ["8.8.8.8"] })
            try await withServer(dispatch: config) { s in
                let brand = try await s.organization("Velo", "brand")
                let created = try await s.call(
                    .POST, "/v1/webhook-endpoints", token: brand.token,
                    json: #"{"url":"http://localhost:\#(port)/ok"}"#)
                try #require(created.status == 201, "\(created.text)")
                _ = try await s.project(brand)
                // Wait until the dispatcher has made its attempt (to 8.8.8.8, which fails or times out here).
                var attempts = 0
                for _ in 0..<100 where attempts == 0 {
                    try await Task.sleep(for: .milliseconds(100))
                    attempts = try await s.scalar(
                        "SELECT count(*)::int FROM webhook_attempts", as: Int.self)
                }
                #expect(attempts > 0, "no attempt was made")
                #expect(receiver.all().isEmpty, "a call reached loopback")
            }
        }
    }

    @Test("a named host is called at its checked address, with its name as Host")
    func pinnedDelivery() async throws {
        try await withReceiver { receiver, port in
            var config = testDispatch()
            let asked = Mutex<[String]>([])
            config.addressPolicy = AddressPolicy(
                allowPrivate: true,
                lookup: HostLookup { host in
                    asked.withLock { $0.append(host) }
                    return host == "hooks.briefd.test" ? ["127.0.0.1"] : []
                })
            try await withServer(dispatch: config) { s in
                let brand = try await s.organization("Velo", "brand")
                let created = try await s.call(
                    .POST, "/v1/webhook-endpoints", token: brand.token,
                    json: #"{"url":"http://hooks.briefd.test:\#(port)/ok"}"#)
                try #require(created.status == 201, "\(created.text)")
                _ = try await s.project(brand)
                let got = try await receiver.wait { $0.count >= 1 }
                #expect(got.first?.headers["host"] == "hooks.briefd.test:\(port)", "\(got.first?.headers ?? [:])")
                #expect(asked.withLock { $0.contains("hooks.briefd.test") })
            }
        }
    }

    @Test("six endpoints on a name server that does not answer do not hold /healthz or a transition")
    func slowNameServerStallsNoOne() async throws {
        var config = testDispatch()
        // A blocking getaddrinfo on a name server that answers only when the test lets it.
        let gate = DispatchSemaphore(value: 0)
        let answered = Atomic<Int>(0)
        config.addressPolicy = AddressPolicy(
            allowPrivate: false,
            lookup: HostLookup(timeout: .seconds(120)) { _ in
                _ = gate.wait(timeout: .now() + 90)
                answered.add(1, ordering: .sequentiallyConsistent)
                return ["93.184.216.34"]
            })
        try await withServer(dispatch: config) { s in
            let brand = try await s.organization("Velo", "brand")
            let second = try await s.organization("Second", "brand")
            let project = try await s.project(brand)
            let agency = try await s.organization("Studio", "agency")
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        try await s.call(
                            .POST, "/v1/webhook-endpoints", token: (i % 2 == 0 ? brand : second).token,
                            json: #"{"url":"https://slow\#(i).example/hook"}"#
                        ).status
                    }
                }
                try await Task.sleep(for: .milliseconds(500))  // the six lookups are blocked now
                #expect(try await s.call(.GET, "/healthz").status == 200)
                _ = try await s.addTask(brand, project, agency: agency, title: "Film")
                #expect(
                    answered.load(ordering: .sequentiallyConsistent) == 0,
                    "healthz and the transition waited for the name server")
                for _ in 0..<6 { gate.signal() }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                #expect(statuses == Array(repeating: 201, count: 6))
            }
        }
    }

    @Test("an organization patching its endpoint to a black-holed name at 100 req/s fails no one else's lookups")
    func blackHoledNameIsolated() async throws {
        try await withReceiver { receiver, port in
            var config = testDispatch()
            let gate = DispatchSemaphore(value: 0)
            config.addressPolicy = AddressPolicy(
                allowPrivate: true,
                lookup: HostLookup(timeout: .seconds(2)) { host in
                    if host.hasPrefix("blackhole") {
                        _ = gate.wait(timeout: .now() + 60)
                        return []
                    }
                    return ["127.0.0.1"]
                })
            try await withServer(dispatch: config) { s in
                let noisy = try await s.organization("Noisy", "brand")
                let quiet = try await s.organization("Quiet", "brand")
                let endpoint = try await s.endpoint(noisy, url: "http://127.0.0.1:\(port)/ok").id
                let token = noisy.token
                try await withThrowingTaskGroup(of: [Int].self) { group in
                    for w in 0..<10 {
                        group.addTask { try await Self.patchToBlackHole(s, endpoint, token, worker: w) }
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    // Meanwhile another organization creates endpoints on named hosts and gets its deliveries.
                    for i in 0..<3 {
                        let created = try await s.call(
                            .POST, "/v1/webhook-endpoints", token: quiet.token,
                            json: #"{"url":"http://hooks\#(i).quiet.example:\#(port)/ok"}"#)
                        #expect(created.status == 201, "\(created.text)")
                    }
                    _ = try await s.project(quiet)
                    let got = try await receiver.wait(seconds: 30) { c in
                        c.filter { $0.headers["host"]?.contains("quiet.example") == true }.count >= 3
                    }
                    #expect(got.filter { $0.headers["host"]?.contains("quiet.example") == true }.count == 3)
                    let statuses = try await group.reduce(into: [Int]()) { $0 += $1 }
                    #expect(Set(statuses).isSubset(of: [200, 422]), "\(Set(statuses))")
                    #expect(statuses.contains(422), "the black-holed name was accepted")
                }
                for _ in 0..<200 { gate.signal() }
            }
        }
    }

    /// Ten patches of `endpoint` to black-holed names, one every 100 ms; their statuses.
    static func patchToBlackHole(_ s: TestServer, _ endpoint: String, _ token: String, worker: Int) async throws
        -> [Int]
    {
        var statuses: [Int] = []
        for i in 0..<10 {
            let r = try await s.call(
                .PATCH, "/v1/webhook-endpoints/\(endpoint)", token: token,
                json: #"{"url":"https://blackhole\#(worker)-\#(i).example/x"}"#)
            statuses.append(r.status)
            try await Task.sleep(for: .milliseconds(100))
        }
        return statuses
    }

    @Test("lookups: a remembered answer is reused, a remembered time-out refuses at once, the owner's cap holds")
    func lookupLimits() async throws {
        let calls = Atomic<Int>(0)
        let gate = DispatchSemaphore(value: 0)
        var limits = LookupLimits.Configuration()
        limits.perOwner = 1
        let lookup = HostLookup(timeout: .milliseconds(300), limits: limits) { host in
            calls.add(1, ordering: .sequentiallyConsistent)
            if host == "slow.example" { _ = gate.wait(timeout: .now() + 30) }
            return ["93.184.216.34"]
        }
        let owner = UUID()
        #expect(try await lookup.addresses(of: "fast.example", owner: owner) == ["93.184.216.34"])
        #expect(try await lookup.addresses(of: "FAST.example", owner: owner) == ["93.184.216.34"])
        #expect(calls.load(ordering: .sequentiallyConsistent) == 1, "the answer was not reused")
        await #expect(throws: (any Error).self) { try await lookup.addresses(of: "slow.example", owner: owner) }
        // The blocked call still holds the owner's one slot: another name is refused at once, not queued.
        await #expect(throws: HostLookup.Busy.self) { try await lookup.addresses(of: "other.example", owner: owner) }
        // Another owner is not refused; the remembered time-out answers without a call.
        #expect(try await lookup.addresses(of: "other.example", owner: UUID()) == ["93.184.216.34"])
        let before = calls.load(ordering: .sequentiallyConsistent)
        await #expect(throws: (any Error).self) { try await lookup.addresses(of: "slow.example", owner: UUID()) }
        #expect(calls.load(ordering: .sequentiallyConsistent) == before)
        gate.signal()
    }
}
