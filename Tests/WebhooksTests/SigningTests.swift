import Foundation
import Synchronization
import Testing

@testable import Webhooks

@Suite("Standard Webhooks signatures, secrets at rest, retries and the address policy")
struct SigningTests {
    @Test("the specification's published example signs and verifies")
    func publishedExample() throws {
        // From the Standard Webhooks specification and its reference libraries' tests.
        let secret = try #require(WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let header = WebhookSigner.header(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secrets: [secret])
        #expect(header == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(
            WebhookSigner.verify(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, header: header,
                secret: secret,
                now: Date(timeIntervalSince1970: 1_614_265_330)))
    }

    @Test("verification fails on any change, an old timestamp or a wrong secret; any listed signature may match")
    func verification() {
        let a = WebhookSecret.generate()
        let b = WebhookSecret.generate()
        let body = Array("{}".utf8)
        let now = Date()
        let ts = Int(now.timeIntervalSince1970)
        let both = WebhookSigner.header(id: "x", timestamp: ts, body: body, secrets: [a, b])
        #expect(both.split(separator: " ").count == 2)
        #expect(WebhookSigner.verify(id: "x", timestamp: ts, body: body, header: both, secret: a, now: now))
        #expect(WebhookSigner.verify(id: "x", timestamp: ts, body: body, header: both, secret: b, now: now))
        #expect(!WebhookSigner.verify(id: "y", timestamp: ts, body: body, header: both, secret: a, now: now))
        #expect(
            !WebhookSigner.verify(id: "x", timestamp: ts, body: Array("{ }".utf8), header: both, secret: a, now: now))
        #expect(
            !WebhookSigner.verify(
                id: "x", timestamp: ts, body: body, header: both, secret: WebhookSecret.generate(), now: now))
        #expect(
            !WebhookSigner.verify(
                id: "x", timestamp: ts, body: body, header: both, secret: a, now: now.addingTimeInterval(600)))
        #expect(WebhookSecret(a.text) == a)
        #expect(a.text.hasPrefix("whsec_"))
    }

    @Test("secrets are sealed with AES-GCM and open only with the same key")
    func sealing() throws {
        let box = try SecretBox(secretKey: String(repeating: "k", count: 40))
        let secret = WebhookSecret.generate()
        let sealed = try box.seal(secret)
        #expect(try box.open(sealed) == secret)
        #expect(!sealed.windows(ofCount: 8).contains { Array($0) == Array(secret.key.prefix(8)) })
        let other = try SecretBox(secretKey: String(repeating: "j", count: 40))
        #expect(throws: (any Error).self) { try other.open(sealed) }
        #expect(throws: SecretBoxError.self) { try SecretBox(secretKey: "short") }
    }

    @Test("the retry schedule: success, retries with jitter, Retry-After, exhaustion and 410")
    func retries() throws {
        let p = RetryPolicy(schedule: [5, 300, 1800], jitter: 0.1)
        #expect(p.verdict(attempt: 1, status: 204, retryAfter: nil) == .succeeded)
        #expect(p.verdict(attempt: 1, status: 500, retryAfter: nil, random: 0) == .failed(.retry(afterSeconds: 5)))
        #expect(p.verdict(attempt: 2, status: nil, retryAfter: nil, random: 1) == .failed(.retry(afterSeconds: 330)))
        #expect(p.verdict(attempt: 3, status: 302, retryAfter: nil, random: -1) == .failed(.retry(afterSeconds: 1620)))
        #expect(p.verdict(attempt: 4, status: 500, retryAfter: nil) == .failed(.exhausted))
        #expect(p.verdict(attempt: 1, status: 410, retryAfter: nil) == .failed(.gone))
        #expect(p.verdict(attempt: 1, status: 503, retryAfter: "120", random: 0) == .failed(.retry(afterSeconds: 120)))
        #expect(p.verdict(attempt: 1, status: 429, retryAfter: "1", random: 0) == .failed(.retry(afterSeconds: 5)))
        #expect(
            p.verdict(attempt: 1, status: 503, retryAfter: "999999999", random: 0)
                == .failed(.retry(afterSeconds: 86_400)))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(
            RetryPolicy.retryAfterSeconds(
                "Fri, 15 Jan 2027 08:00:30 GMT", now: Date(timeIntervalSince1970: 1_800_000_000)) != nil)
        #expect(RetryPolicy.retryAfterSeconds("soon", now: now) == nil)
        #expect(try RetryPolicy(parsing: "5, 300,1800").schedule == [5, 300, 1800])
        #expect(throws: RetryPolicyError.self) { try RetryPolicy(parsing: "5,,x") }
        #expect(throws: RetryPolicyError.self) { try RetryPolicy(parsing: "-1") }
    }

    @Test(
        "non-public addresses are refused unless allowed",
        arguments: [
            "127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
            "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "ff02::1", "64:ff9b::a00:1",
            // IPv4-mapped and IPv4-compatible in every spelling, even of a public IPv4 address.
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:ffff:7f00:1", "::FFFF:8.8.8.8",
            "::7f00:1", "::127.0.0.1", "::8.8.8.8", "::ffff:0:8.8.8.8",
            // NAT64 (well-known and local), 6to4 of a blocked IPv4, Teredo, site-local, discard-only.
            "64:ff9b::8.8.8.8", "64:ff9b:1::1", "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2", "fec0::1", "feff::1", "100::1",
            // Documentation and benchmarking ranges.
            "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1", "198.19.255.1", "192.88.99.1",
            "2001:db8::1", "3fff::1", "3fff:fff::1", "2001:2::1",
            "not an address",
        ])
    func forbidden(_ address: String) {
        #expect(AddressPolicy.isForbidden(address))
    }

    @Test(
        "public addresses pass",
        arguments: [
            "93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1", "192.169.0.1", "2002:808:808::1",
            "2001:4860:4860::8888", "198.20.0.1", "3fff:1000::1",
        ])
    func allowed(_ address: String) {
        #expect(!AddressPolicy.isForbidden(address))
    }

    @Test("URLs are checked by what their host resolves to")
    func urls() async {
        let strict = AddressPolicy(allowPrivate: false)
        #expect(await strict.refusal(for: "http://localhost:8080/hook") != nil)
        #expect(await strict.refusal(for: "http://127.0.0.1/hook") != nil)
        #expect(await strict.refusal(for: "http://[::1]/hook") != nil)
        #expect(await strict.refusal(for: "http://[::ffff:7f00:1]/hook") != nil)
        #expect(await strict.refusal(for: "http://169.254.169.254/latest/meta-data") != nil)
        #expect(await strict.refusal(for: "ftp://example.com/") != nil)
        #expect(await strict.refusal(for: "http://user:pw@example.com/") != nil)
        #expect(await AddressPolicy(allowPrivate: true).refusal(for: "http://127.0.0.1:9/hook") == nil)
    }

    @Test("a checked name comes back with the address to connect to; a refusal never echoes a resolved address")
    func pinnedAndQuiet() async {
        let lookup = HostLookup { host in host == "hooks.example" ? ["93.184.216.34", "8.8.8.8"] : ["10.0.0.5"] }
        let strict = AddressPolicy(allowPrivate: false, lookup: lookup)
        #expect(await strict.check("https://hooks.example/in") == .allowed(host: "hooks.example", address: "8.8.8.8"))
        #expect(await strict.check("http://8.8.8.8/in") == .allowed(host: "8.8.8.8", address: nil))
        let refusal = await strict.refusal(for: "https://internal.example/in")
        #expect(refusal == "the host internal.example resolves to a non-public address")
        #expect(refusal?.contains("10.0.0.5") == false)
    }

    @Test("a name server that does not answer in time is a refusal, not a wait")
    func slowLookup() async {
        // The name server answers only once the test lets it: the refusal must come while it is still held.
        let release = DispatchSemaphore(value: 0)
        let answered = Atomic<Bool>(false)
        let slow = HostLookup(timeout: .milliseconds(200)) { _ in
            _ = release.wait(timeout: .now() + 60)
            answered.store(true, ordering: .sequentiallyConsistent)
            return ["8.8.8.8"]
        }
        let refusal = await AddressPolicy(allowPrivate: false, lookup: slow).refusal(for: "https://slow.example/")
        let stillHeld = !answered.load(ordering: .sequentiallyConsistent)
        release.signal()
        #expect(refusal == "the host slow.example did not resolve in time")
        #expect(stillHeld, "the refusal waited for the name server")
    }
}
