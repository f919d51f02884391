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

    @Test("six endpoints on a name server that takes 8 s do not hold /healthz or a transition")
    func slowNameServerStallsNoOne() async throws {
        var config = testDispatch()
        config.addressPolicy = AddressPolicy(
            allowPrivate: false,
            lookup: HostLookup(timeout: .seconds(12)) { _ in
                Thread.sleep(forTimeInterval: 8)  // a blocking getaddrinfo on a slow name server
                return ["93.184.216.34"]
            })
        try await withServer(dispatch: config) { s in
            let brand = try await s.organization("Velo", "brand")
            let project = try await s.project(brand)
            let agency = try await s.organization("Studio", "agency")
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        try await s.call(
                            .POST, "/v1/webhook-endpoints", token: brand.token,
                            json: #"{"url":"https://slow\#(i).example/hook"}"#
                        ).status
                    }
                }
                try await Task.sleep(for: .milliseconds(500))  // the six lookups are blocked now
                let started = ContinuousClock.now
                #expect(try await s.call(.GET, "/healthz").status == 200)
                let health = started.duration(to: .now)
                let transitionStarted = ContinuousClock.now
                _ = try await s.addTask(brand, project, agency: agency, title: "Film")
                let transition = transitionStarted.duration(to: .now)
                // Held by the lookups, each would take 8 s or more; the bound leaves room for a loaded machine.
                #expect(health < .seconds(5), "healthz took \(health)")
                #expect(transition < .seconds(5), "a transition took \(transition)")
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                #expect(statuses == Array(repeating: 201, count: 6))
            }
        }
    }
}
