import API
import Foundation
import Testing

@Suite("Keys, roles and visibility across organizations")
struct AccessTests {
    @Test("no key, a bad key and a revoked key are 401; revocation takes effect on the next request")
    func authentication() async throws {
        try await withServer { s in
            #expect(try await s.call(.GET, "/v1/organizations/me").status == 401)
            #expect(try await s.call(.GET, "/v1/organizations/me", token: "bfd_nope").code == "unauthenticated")
            #expect(
                try await s.call(
                    .POST, "/v1/organizations", token: "wrong-operator-token", json: #"{"name":"x","kind":"brand"}"#
                ).status == 401)
            let brand = try await s.organization("Velo", "brand")
            #expect(
                try await s.call(.POST, "/v1/organizations", token: brand.token, json: #"{"name":"x","kind":"brand"}"#)
                    .status == 401)
            let manager = try await s.key(brand, role: "manager")
            let me = try await s.call(.GET, "/v1/organizations/me", token: manager)
            #expect((me["api_key"] as? [String: Any])?["role"] as? String == "manager")
            #expect((me["api_key"] as? [String: Any])?["token"] == nil)
            let keys = try await s.call(.GET, "/v1/api-keys", token: brand.token)
            let list = keys["data"] as? [[String: Any]] ?? []
            #expect(list.count == 2 && list.allSatisfy { $0["token"] == nil })
            let id = list.last!["id"] as! String
            #expect(try await s.call(.DELETE, "/v1/api-keys/\(id)", token: brand.token).status == 200)
            #expect(try await s.call(.GET, "/v1/organizations/me", token: manager).status == 401)
            #expect(try await s.call(.DELETE, "/v1/api-keys/\(UUID())", token: brand.token).status == 404)
        }
    }

    @Test("a key revoked after its transitions is refused at its next one, by the transition's own read")
    func revokedBetweenTransitions() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let other = try await s.organization("Ciclo", "brand")
            let manager = try await s.key(brand, role: "manager")
            let p = try await s.project(brand)
            let elsewhere = try await s.project(other)
            let rename = #"{"strategy":\#(TestServer.strategy)}"#
            // Looked up once, then taken from the daemon's cache: both transitions apply.
            try await s.act(manager, p, "update_strategy", json: rename)
            try await s.act(manager, p, "update_strategy", json: rename)
            let before = try await s.fingerprint(p)
            let keys = try await s.call(.GET, "/v1/api-keys", token: brand.token)["data"] as? [[String: Any]] ?? []
            let id = try #require(keys.last?["id"] as? String)
            #expect(try await s.call(.DELETE, "/v1/api-keys/\(id)", token: brand.token).status == 200)

            // Refused with 401 before anything about the project is told: its own, another brand's, none at all.
            let refused = try await s.act(manager, p, "update_strategy", json: rename, expect: 401)
            #expect(refused.code == "unauthenticated")
            #expect(try await s.fingerprint(p) == before)
            try await s.act(manager, elsewhere, "update_strategy", json: rename, expect: 401)
            try await s.act(manager, UUID().uuidString, "update_strategy", json: rename, expect: 401)
            try await s.act(manager, p, "accept", task: UUID().uuidString, expect: 401)
            // With an Idempotency-Key the key is looked up first, as on every other route.
            try await s.act(
                manager, p, "update_strategy", json: rename, headers: [("Idempotency-Key", "k-1")], expect: 401)
            #expect(try await s.call(.GET, "/v1/organizations/me", token: manager).status == 401)
            // The brand's live key still acts.
            try await s.act(brand.token, p, "update_strategy", json: rename)
        }
    }

    @Test("roles: viewers read only, managers act, only admins manage keys")
    func roles() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let viewer = try await s.key(brand, role: "viewer")
            let manager = try await s.key(brand, role: "manager")
            #expect(
                try await s.call(
                    .POST, "/v1/projects", token: viewer, json: #"{"title":"x","strategy":\#(TestServer.strategy)}"#
                ).status == 403)
            #expect(
                try await s.call(
                    .POST, "/v1/projects", token: agency.token,
                    json: #"{"title":"x","strategy":\#(TestServer.strategy)}"#
                ).status == 403)
            let created = try await s.call(
                .POST, "/v1/projects", token: manager, json: #"{"title":"x","strategy":\#(TestServer.strategy)}"#)
            #expect(created.status == 201)
            let p = created["id"] as! String
            #expect(try await s.call(.GET, "/v1/projects/\(p)", token: viewer).status == 200)
            let r = try await s.call(.POST, "/v1/projects/\(p)/actions/cancel", token: viewer, json: #"{"reason":"x"}"#)
            #expect(r.status == 403 && r.code == "forbidden")
            #expect(
                try await s.call(.POST, "/v1/api-keys", token: manager, json: #"{"name":"k","role":"admin"}"#).status
                    == 403)
            #expect(try await s.call(.GET, "/v1/api-keys", token: viewer).status == 403)
            let bad = try await s.call(.POST, "/v1/api-keys", token: brand.token, json: #"{"name":"k","role":"owner"}"#)
            #expect(bad.status == 422)
        }
    }

    @Test("two brands and two agencies: nobody sees another organization's resources")
    func isolation() async throws {
        try await withServer { s in
            let b1 = try await s.organization("Velo", "brand")
            let b2 = try await s.organization("Rival", "brand")
            let a1 = try await s.organization("Studio", "agency")
            let a2 = try await s.organization("Media", "agency")
            let p1 = try await s.project(b1, title: "B1 secret")
            let t1 = try await s.addTask(b1, p1, agency: a1, title: "A1 work")
            let t2 = try await s.addTask(b1, p1, agency: a2, title: "A2 work")
            let p2 = try await s.project(b2, title: "B2 secret")
            try await s.act(b1.token, p1, "issue_brief")
            for (org, project) in [(b2, p1), (b1, p2), (a1, p2), (a2, p2)] {
                #expect(try await s.call(.GET, "/v1/projects/\(project)", token: org.token).status == 404)
                #expect(try await s.call(.GET, "/v1/projects/\(project)/history", token: org.token).status == 404)
                #expect(
                    try await s.call(
                        .POST, "/v1/projects/\(project)/actions/cancel", token: org.token, json: #"{"reason":"x"}"#
                    ).status == 404)
            }
            // Agencies see only their own tasks, in the project, its history and their events.
            for (agency, own, theirs) in [(a1, t1, t2), (a2, t2, t1)] {
                let view = try await s.call(.GET, "/v1/projects/\(p1)", token: agency.token)
                #expect(!view.text.contains(theirs))
                #expect(view.text.contains(own))
                let history = try await s.call(.GET, "/v1/projects/\(p1)/history", token: agency.token)
                #expect(!history.text.contains(theirs))
                let events = try await s.call(.GET, "/v1/events", token: agency.token)
                #expect(!events.text.contains(theirs))
                #expect(!events.text.contains("B2 secret"))
                #expect(
                    try await s.call(
                        .POST, "/v1/projects/\(p1)/tasks/\(theirs)/actions/accept", token: agency.token, json: "{}"
                    ).status == 404)
            }
            let list = try await s.call(.GET, "/v1/projects", token: b2.token)
            #expect(!list.text.contains(p1))
            let agencyList = try await s.call(.GET, "/v1/projects", token: a1.token)
            #expect((agencyList["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [p1])
            let b2Events = try await s.call(.GET, "/v1/events", token: b2.token)
            #expect(!b2Events.text.contains(p1))
        }
    }

    @Test("cursor pagination over projects and events")
    func pagination() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            var ids: [String] = []
            for i in 0..<7 { ids.append(try await s.project(brand, title: "P\(i)")) }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let r = try await s.call(
                    .GET, "/v1/projects?limit=3" + (cursor.map { "&starting_after=\($0)" } ?? ""), token: brand.token)
                let data = r["data"] as? [[String: Any]] ?? []
                seen += data.compactMap { $0["id"] as? String }
                cursor = (r["has_more"] as? Bool == true) ? seen.last : nil
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == ids)
            #expect(pages == 3)
            let firstTwo = try await s.call(.GET, "/v1/events?limit=2", token: brand.token)
            #expect(firstTwo["has_more"] as? Bool == true)
            let next = firstTwo["next_cursor"] as? Int ?? -1
            let rest = try await s.call(.GET, "/v1/events?after=\(next)&limit=100", token: brand.token)
            #expect((rest["data"] as? [Any])?.count == 5)
            let strategyOnly = try await s.call(.GET, "/v1/projects?state=brief", token: brand.token)
            #expect((strategyOnly["data"] as? [Any])?.count == 0)
        }
    }
}

@Suite("Rate limiting")
struct RateLimitTests {
    @Test("a key past its limit gets 429 rate_limited with Retry-After; other keys are unaffected")
    func limited() async throws {
        // One token per 10 s and a burst of 5: how fast this machine is does not matter.
        try await withServer(rateLimiter: RateLimiter(rate: 0.1, burst: 5)) { s in
            let brand = try await s.organization("Velo", "brand")
            let other = try await s.organization("Other", "brand")
            var statuses: [Int] = []
            for _ in 0..<8 {
                statuses.append(try await s.call(.GET, "/v1/organizations/me", token: brand.token).status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == 200 })
            #expect(statuses.contains(429))
            let limited = try await s.call(.GET, "/v1/organizations/me", token: brand.token)
            #expect(limited.status == 429 && limited.code == "rate_limited")
            #expect(Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
            #expect(try await s.call(.GET, "/v1/organizations/me", token: other.token).status == 200)
        }
    }

    @Test("the bucket refills at the rate, up to the burst")
    func bucket() {
        let limiter = RateLimiter(rate: 10, burst: 3)
        let key = UUID()
        let t0 = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in limiter.take(key, now: t0) == nil })
        let wait = limiter.take(key, now: t0)
        #expect(wait != nil && abs(wait! - 0.1) < 1e-9)
        #expect(limiter.take(key, now: t0 + .milliseconds(100)) == nil)
        #expect(limiter.take(key, now: t0 + .seconds(10)) == nil)
        #expect(limiter.take(UUID(), now: t0) == nil)
    }
}
