import Foundation
import PostgresNIO
import Storage
import Testing
import Webhooks

extension TestServer {
    func endpoint(_ org: Org, url: String, types: [String] = []) async throws -> (id: String, secret: String) {
        let typesJSON = "[" + types.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let r = try await call(
            .POST, "/v1/webhook-endpoints", token: org.token,
            json: #"{"url":"\#(url)","event_types":\#(typesJSON),"description":"test"}"#)
        try #require(r.status == 201, "\(r.text)")
        return (r["id"] as! String, r["secret"] as! String)
    }

    func deliveries(_ org: Org, _ endpoint: String, status: String? = nil) async throws -> [[String: Any]] {
        let r = try await call(
            .GET, "/v1/webhook-endpoints/\(endpoint)/deliveries?limit=100" + (status.map { "&status=\($0)" } ?? ""),
            token: org.token)
        return r["data"] as? [[String: Any]] ?? []
    }

    /// Polls until the endpoint's deliveries satisfy `condition`.
    func waitDeliveries(
        _ org: Org, _ endpoint: String, seconds: Double = 15, until condition: ([[String: Any]]) -> Bool
    ) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [[String: Any]] = []
        while Date() < deadline {
            last = try await deliveries(org, endpoint)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }
}

/// The captured deliveries whose signature verifies with `secret`, checked in Swift.
func signed(by secret: String, _ captured: [Captured]) throws -> [Captured] {
    let key = try #require(WebhookSecret(secret))
    return captured.filter { c in
        guard let id = c.headers["webhook-id"], let ts = c.headers["webhook-timestamp"].flatMap({ Int($0) }),
            let header = c.headers["webhook-signature"]
        else { return false }
        return WebhookSigner.verify(id: id, timestamp: ts, body: Array(c.body.utf8), header: header, secret: key)
    }
}

/// Verifies captured deliveries with the Standard Webhooks reference library in Python.
func verifyWithReferenceLibrary(secret: String, deliveries: [Captured]) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("briefd-webhooks-\(UUID()).json")
    let spec: [String: Any] = [
        "secret": secret, "deliveries": deliveries.map { ["headers": $0.headers, "body": $0.body] },
    ]
    try JSONSerialization.data(withJSONObject: spec).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/verify_webhooks.py").path
    let (status, output) = try runVenvTool("python", [script, file.path])
    #expect(status == 0, "\(output)")
    return output
}

@Suite("Webhooks over real HTTP: outbox, signatures, retries, endpoint management")
struct WebhookTests {
    @Test(
        "every transition reaches its organizations' endpoints, signed; the reference verifier accepts every delivery")
    func deliveredAndSigned() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let agency = try await s.organization("Studio", "agency")
                let brandHook = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok")
                let agencyHook = try await s.endpoint(agency, url: "http://127.0.0.1:\(port)/ok")
                let filtered = try await s.endpoint(
                    brand, url: "http://127.0.0.1:\(port)/ok", types: ["project.brief_issued"])
                let p = try await s.project(brand)
                let t = try await s.addTask(brand, p, agency: agency, title: "Video")
                try await s.act(brand.token, p, "issue_brief")
                try await s.act(agency.token, p, "accept", task: t)
                // brand: created, task_added, brief_issued, accepted, delivery_started (5) + filtered endpoint:
                // brief_issued (1);
                // agency: brief_issued, accepted, delivery_started (3).
                let got = try await receiver.wait { $0.count >= 9 }
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.all().count == 9)
                #expect(got.filter { $0.type == "project.brief_issued" }.count == 3)
                #expect(Set(got.compactMap { $0.headers["webhook-id"] }).count == 5)

                // The body is the Standard Webhooks shape and names the transition.
                let accepted = try #require(got.first { $0.type == "task.accepted" })
                let data = try #require(accepted.json["data"] as? [String: Any])
                #expect(data["project_id"] as? String == p && data["task_id"] as? String == t)
                #expect(data["from_state"] as? String == "brief" && data["action"] as? String == "accept")
                #expect(data["sequence"] as? Int == 4)
                #expect(accepted.json["timestamp"] is String)
                #expect((data["actor"] as? [String: Any])?["side"] as? String == "agency")

                // The webhook-id is the event id of GET /v1/events.
                let events = try await s.call(.GET, "/v1/events?limit=100", token: brand.token)
                let eventIDs = Set((events["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                #expect(Set(got.compactMap { $0.headers["webhook-id"] }) == eventIDs)

                // Signatures verify in Swift and with the Python reference library.
                let mine = try signed(by: brandHook.secret, receiver.all("/ok"))
                #expect(mine.count == 5)
                let output = try verifyWithReferenceLibrary(secret: brandHook.secret, deliveries: mine)
                #expect(output.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == 5)
                let agencyGot = try signed(by: agencyHook.secret, receiver.all())
                #expect(
                    agencyGot.compactMap(\.type).sorted() == [
                        "project.brief_issued", "project.delivery_started", "task.accepted",
                    ])
                _ = try verifyWithReferenceLibrary(secret: agencyHook.secret, deliveries: agencyGot)

                let listed = try await s.waitDeliveries(brand, filtered.id) {
                    $0.first?["status"] as? String == "succeeded"
                }
                #expect(listed.count == 1)
                #expect((listed.first?["attempts"] as? [[String: Any]])?.first?["status_code"] as? Int == 204)

                // Secrets are stored only sealed.
                let sealed = try await s.scalar(
                    "SELECT secret_sealed FROM webhook_endpoints WHERE id = \(UUID(uuidString: brandHook.id)!)",
                    as: Data.self)
                let key = try #require(WebhookSecret(brandHook.secret)).key
                #expect(!Array(sealed).windows(ofCount: 8).contains { Array($0) == Array(key.prefix(8)) })
                #expect(
                    try await s.scalar(
                        """
                        SELECT count(*)::int FROM webhook_endpoints WHERE
                        position(convert_to(\(brandHook.secret), 'UTF8') in secret_sealed) > 0
                        """,
                        as: Int.self) == 0)
            }
        }
    }

    @Test("a refused action writes no event and no delivery")
    func refusedWritesNothing() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                _ = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok")
                let p = try await s.project(brand)
                _ = try await receiver.wait { $0.count >= 1 }
                let before = try await s.scalar("SELECT count(*)::int FROM webhook_deliveries", as: Int.self)
                try await s.act(brand.token, p, "close", expect: 409)
                try await s.act(brand.token, p, "issue_brief", expect: 422)
                #expect(try await s.scalar("SELECT count(*)::int FROM webhook_deliveries", as: Int.self) == before)
                #expect(try await s.scalar("SELECT count(*)::int FROM events", as: Int.self) == 1)
            }
        }
    }

    @Test("failures are retried with the same webhook-id; every attempt is logged; Retry-After is honoured")
    func retries() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let flaky = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/flaky")
                let busy = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/busy")
                _ = try await s.project(brand)
                let done = try await s.waitDeliveries(brand, flaky.id) { $0.first?["status"] as? String == "succeeded" }
                let attempts = done.first?["attempts"] as? [[String: Any]] ?? []
                #expect(attempts.compactMap { $0["status_code"] as? Int } == [500, 500, 200])
                #expect(attempts.first?["response_body"] as? String == "not yet")
                let ids = Set(receiver.all("/flaky").compactMap { $0.headers["webhook-id"] })
                #expect(ids.count == 1)
                let busyDone = try await s.waitDeliveries(brand, busy.id) {
                    $0.first?["status"] as? String == "succeeded"
                }
                let calls = receiver.all("/busy")
                #expect(calls.count == 2)
                if calls.count == 2 { #expect(calls[1].receivedAt.timeIntervalSince(calls[0].receivedAt) >= 0.9) }
                #expect((busyDone.first?["attempts"] as? [Any])?.count == 2)
            }
        }
    }

    @Test("exhausted deliveries stay listed as failed and can be retried; redirects are failures, not followed")
    func exhaustedAndRetried() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let failing = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/fail")
                let redirect = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/redirect")
                _ = try await s.project(brand)
                let failed = try await s.waitDeliveries(brand, failing.id) {
                    $0.first?["status"] as? String == "failed"
                }
                #expect(failed.first?["attempt_count"] as? Int == 4)
                #expect(try await s.deliveries(brand, failing.id, status: "failed").count == 1)
                #expect(try await s.deliveries(brand, failing.id, status: "succeeded").isEmpty)
                let redirected = try await s.waitDeliveries(brand, redirect.id) {
                    $0.first?["status"] as? String == "failed"
                }
                #expect((redirected.first?["attempts"] as? [[String: Any]])?.first?["status_code"] as? Int == 302)
                #expect(
                    (redirected.first?["attempts"] as? [[String: Any]])?.first?["error"] as? String
                        == "redirects are not followed")
                #expect(receiver.all("/elsewhere").isEmpty)

                let id = try #require(failed.first?["id"] as? String)
                let retried = try await s.call(
                    .POST, "/v1/webhook-deliveries/\(id)/retry", token: brand.token, json: "{}")
                #expect(retried.status == 200 && retried["status"] as? String == "pending")
                let again = try await s.waitDeliveries(brand, failing.id) {
                    ($0.first?["attempt_count"] as? Int ?? 0) >= 8 && $0.first?["status"] as? String == "failed"
                }
                #expect(again.first?["attempt_count"] as? Int == 8)
                // Another organization cannot retry it.
                let other = try await s.organization("Other", "brand")
                #expect(
                    try await s.call(.POST, "/v1/webhook-deliveries/\(id)/retry", token: other.token, json: "{}").status
                        == 404)
                _ = receiver
            }
        }
    }

    @Test("a receiver answering a huge body: the answer is read up to a bound and kept truncated")
    func hugeAnswer() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let huge = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/huge")
                _ = try await s.project(brand)
                let done = try await s.waitDeliveries(brand, huge.id) { $0.first?["status"] as? String == "succeeded" }
                let body = (done.first?["attempts"] as? [[String: Any]])?.first?["response_body"] as? String
                #expect(body?.count == 1024)
                #expect(receiver.all("/huge").count == 1)
            }
        }
    }

    @Test("410 disables the endpoint and tells the organization with webhook_endpoint.disabled")
    func gone() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let gone = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/gone")
                let watcher = try await s.endpoint(
                    brand, url: "http://127.0.0.1:\(port)/ok", types: ["webhook_endpoint.disabled"])
                _ = try await s.project(brand)
                let got = try await receiver.wait { $0.contains { $0.type == "webhook_endpoint.disabled" } }
                #expect(got.filter { $0.path == "/gone" }.count == 1)
                // The event reaches every key and receiver of the organization: not the URL (often with a token).
                let disabled = try #require(got.first { $0.type == "webhook_endpoint.disabled" })
                #expect(!disabled.body.contains("127.0.0.1") && disabled.body.contains(gone.id), "\(disabled.body)")
                let endpoint = try await s.call(.GET, "/v1/webhook-endpoints/\(gone.id)", token: brand.token)
                #expect(endpoint["enabled"] as? Bool == false)
                #expect((endpoint["disabled_reason"] as? String)?.contains("410") == true)
                let events = try await s.call(.GET, "/v1/events", token: brand.token)
                #expect(
                    (events["data"] as? [[String: Any]] ?? []).contains {
                        $0["type"] as? String == "webhook_endpoint.disabled"
                    })
                // Re-enabled by its admin, it is used again.
                let patched = try await s.call(
                    .PATCH, "/v1/webhook-endpoints/\(gone.id)", token: brand.token, json: #"{"enabled":true}"#)
                #expect(patched["enabled"] as? Bool == true && patched["disabled_reason"] is NSNull)
                _ = watcher
            }
        }
    }

    @Test("an endpoint failing longer than the limit is disabled")
    func failingTooLong() async throws {
        var config = testDispatch(schedule: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2])
        config.disableAfter = .seconds(1)
        let dispatch = config
        try await withReceiver { receiver, port in
            try await withServer(dispatch: dispatch) { s in
                let brand = try await s.organization("Velo", "brand")
                let failing = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/fail")
                _ = try await s.project(brand)
                var endpoint = try await s.call(.GET, "/v1/webhook-endpoints/\(failing.id)", token: brand.token)
                for _ in 0..<100 where endpoint["enabled"] as? Bool == true {
                    try await Task.sleep(for: .milliseconds(100))
                    endpoint = try await s.call(.GET, "/v1/webhook-endpoints/\(failing.id)", token: brand.token)
                }
                // Read, not assumed: a failed read or a missing field is not "disabled".
                try #require(endpoint.status == 200, "\(endpoint.text)")
                #expect(endpoint["enabled"] as? Bool == false, "\(endpoint.text)")
                #expect((endpoint["disabled_reason"] as? String)?.contains("no successful delivery") == true)
                _ = receiver
            }
        }
    }

    @Test("a hanging receiver does not stall the others")
    func slowReceiverIsolated() async throws {
        try await withReceiver { receiver, port in
            // The hanging receiver holds its calls until the test lets them go (well inside the attempt's 60 s):
            // the other endpoint's deliveries must all arrive while those calls are still held.
            try await withServer(dispatch: testDispatch(timeout: .seconds(60))) { s in
                let brand = try await s.organization("Velo", "brand")
                let slow = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/hold")
                _ = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok")
                for i in 0..<10 { _ = try await s.project(brand, title: "P\(i)") }
                let fast = try await receiver.wait(seconds: 50) { $0.filter { $0.path == "/ok" }.count >= 10 }
                let held = receiver.holding.withLock { $0 }
                let slowAttempts = try await s.scalar(
                    """
                    SELECT count(*)::int FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                    WHERE d.endpoint_id = \(UUID(uuidString: slow.id)!)
                    """, as: Int.self)
                receiver.releaseHeld()
                #expect(fast.filter { $0.path == "/ok" }.count == 10)
                #expect(held >= 1, "no call to the hanging receiver was still held")
                #expect(slowAttempts == 0, "the fast endpoint waited for the hanging one")
                #expect(receiver.all("/hold").count <= 4, "at most 4 calls in flight to one endpoint")
                // Let go, the held calls succeed and the rest follow.
                let done = try await s.waitDeliveries(brand, slow.id, seconds: 60) { d in
                    d.count == 10 && d.allSatisfy { $0["status"] as? String == "succeeded" }
                }
                #expect(done.count == 10)
            }
        }
    }

    @Test("a receiver that trickles its body is cut at the attempt's one deadline, recorded as a timeout")
    func tricklingReceiverCut() async throws {
        try await withReceiver { receiver, port in
            // 200 at once, then a byte every 3 s for 10 minutes: only a deadline over the body ends the attempt.
            try await withServer(dispatch: testDispatch(timeout: .seconds(4))) { s in
                let brand = try await s.organization("Velo", "brand")
                let trickle = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/trickle")
                _ = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok")
                for i in 0..<3 { _ = try await s.project(brand, title: "P\(i)") }
                let timedOut = try await s.waitDeliveries(brand, trickle.id, seconds: 60) { d in
                    d.contains {
                        (($0["attempts"] as? [[String: Any]])?.first?["error"] as? String)?.contains("timed out")
                            == true
                    }
                }
                #expect(!timedOut.isEmpty, "the trickling receiver's attempt was never recorded")
                let ok = receiver.all("/ok").count
                #expect(ok == 3, "the other endpoint got \(ok) of 3 while the trickling one was held")
            }
        }
    }

    @Test("a failing endpoint is paused: receivers that hang cannot take every slot from a healthy one")
    func failingEndpointsPaused() async throws {
        try await withReceiver { receiver, port in
            var config = testDispatch(timeout: .seconds(1), pause: .seconds(60))
            config.maxConcurrent = 4
            try await withServer(dispatch: config) { s in
                let brand = try await s.organization("Velo", "brand")
                var hanging: [UUID] = []
                for i in 0..<3 {
                    hanging.append(
                        UUID(uuidString: try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/slow?n=\(i)").id)!)
                }
                _ = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok")
                _ = try await s.project(brand, title: "first")
                // Each hanging endpoint times out once and is paused.
                var paused = 0
                for _ in 0..<100 where paused < 3 {
                    try await Task.sleep(for: .milliseconds(200))
                    paused = try await s.scalar(
                        """
                        SELECT count(*)::int FROM webhook_endpoints WHERE id = ANY(\(hanging))
                            AND consecutive_failures = 1 AND paused_until > now()
                        """, as: Int.self)
                }
                #expect(paused == 3)
                for i in 0..<8 { _ = try await s.project(brand, title: "P\(i)") }
                let ok = try await receiver.wait(seconds: 20) { $0.filter { $0.path == "/ok" }.count >= 9 }
                #expect(ok.filter { $0.path == "/ok" }.count == 9)
                // While paused, the hanging endpoints got nothing more: one call each in all, 24 deliveries waiting.
                #expect(receiver.all("/slow").count == 3)
                let waiting = try await s.scalar(
                    """
                    SELECT count(*)::int FROM webhook_deliveries WHERE endpoint_id = ANY(\(hanging))
                        AND status = 'pending' AND attempts = 0
                    """, as: Int.self)
                #expect(waiting == 24)
            }
        }
    }

    @Test("rotation signs with both secrets for a while; replay resends with the same webhook-id")
    func rotationAndReplay() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let hook = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok")
                let start = Date().addingTimeInterval(-1)
                _ = try await s.project(brand)
                let first = try await receiver.wait { $0.count >= 1 }
                let rotated = try await s.call(
                    .POST, "/v1/webhook-endpoints/\(hook.id)/rotate-secret", token: brand.token, json: "{}")
                #expect(rotated.status == 200)
                let newSecret = try #require(rotated["secret"] as? String)
                #expect(newSecret != hook.secret)
                #expect(rotated["previous_secret_expires_at"] is String)
                let replay = try await s.call(
                    .POST, "/v1/webhook-endpoints/\(hook.id)/replay", token: brand.token,
                    json:
                        #"{"since":"\#(JSONCodingHelper.iso(start))","#
                        + #""until":"\#(JSONCodingHelper.iso(Date().addingTimeInterval(1)))"}"#
                )
                #expect(replay.status == 202 && replay["queued"] as? Int == 1)
                let all = try await receiver.wait { $0.count >= 2 }
                #expect(all.count == 2)
                let resent = all[1]
                #expect(resent.headers["webhook-id"] == first[0].headers["webhook-id"])
                #expect(resent.headers["webhook-signature"]?.split(separator: " ").count == 2)
                _ = try verifyWithReferenceLibrary(secret: newSecret, deliveries: [resent])
                _ = try verifyWithReferenceLibrary(secret: hook.secret, deliveries: [resent])
            }
        }
    }

    @Test("endpoint management: admin only, validation, SSRF guard, isolation")
    func management() async throws {
        var config = testDispatch()
        config.addressPolicy = AddressPolicy(allowPrivate: false)
        let strict = config
        try await withServer(dispatch: strict) { s in
            let brand = try await s.organization("Velo", "brand")
            let other = try await s.organization("Other", "brand")
            let manager = try await s.key(brand, role: "manager")
            #expect(
                try await s.call(
                    .POST, "/v1/webhook-endpoints", token: manager, json: #"{"url":"https://example.com/h"}"#
                ).status == 403)
            for url in [
                "http://127.0.0.1/h", "http://localhost:8080/h", "http://10.0.0.5/h", "http://169.254.169.254/latest",
                "http://[::1]/h",
                "ftp://example.com/h", "not a url",
            ] {
                let r = try await s.call(
                    .POST, "/v1/webhook-endpoints", token: brand.token, json: #"{"url":"\#(url)"}"#)
                #expect(r.status == 422 && r.code == "validation_failed", "\(url): \(r.text)")
            }
            let badType = try await s.call(
                .POST, "/v1/webhook-endpoints", token: brand.token,
                json: #"{"url":"https://93.184.216.34/h","event_types":["nope"]}"#)
            #expect(badType.status == 422)
            let created = try await s.call(
                .POST, "/v1/webhook-endpoints", token: brand.token,
                json: #"{"url":"https://93.184.216.34/h","enabled":false}"#)
            #expect(created.status == 201)
            let id = try #require(created["id"] as? String)
            #expect((created["secret"] as? String)?.hasPrefix("whsec_") == true)
            let fetched = try await s.call(.GET, "/v1/webhook-endpoints/\(id)", token: brand.token)
            #expect(fetched.status == 200 && fetched["secret"] == nil)
            #expect(try await s.call(.GET, "/v1/webhook-endpoints/\(id)", token: other.token).status == 404)
            #expect(
                try await s.call(.PATCH, "/v1/webhook-endpoints/\(id)", token: other.token, json: #"{"enabled":true}"#)
                    .status == 404)
            #expect(
                try await s.call(
                    .PATCH, "/v1/webhook-endpoints/\(id)", token: brand.token, json: #"{"url":"http://127.0.0.1/x"}"#
                ).status == 422)
            #expect(
                try await s.call(.PATCH, "/v1/webhook-endpoints/\(id)", token: brand.token, json: #"{"enabled":"yes"}"#)
                    .status == 400)
            let list = try await s.call(.GET, "/v1/webhook-endpoints", token: brand.token)
            #expect((list["data"] as? [Any])?.count == 1)
            #expect(try await s.call(.DELETE, "/v1/webhook-endpoints/\(id)", token: other.token).status == 404)
            #expect(try await s.call(.DELETE, "/v1/webhook-endpoints/\(id)", token: brand.token).status == 204)
            #expect(try await s.call(.GET, "/v1/webhook-endpoints/\(id)", token: brand.token).status == 404)
        }
    }
}

enum JSONCodingHelper {
    static func iso(_ d: Date) -> String { d.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
}
