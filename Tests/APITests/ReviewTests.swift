import Foundation
import NIOHTTP1
import PostgresNIO
import Testing

/// A person: an API key of their own, named for them.
struct Person: Sendable {
    var id: String
    var token: String
}

extension TestServer {
    func person(_ org: Org, _ name: String, role: String = "manager") async throws -> Person {
        let r = try await call(
            .POST, "/v1/api-keys", token: org.token, json: #"{"name":"\#(name)","role":"\#(role)"}"#)
        try #require(r.status == 201, "\(r.text)")
        return Person(id: r["id"] as! String, token: r["token"] as! String)
    }

    /// A project of `brand` in delivery whose one task, held by `agency` with `approval` (JSON, or nil), has its
    /// first delivery waiting for review. Returns the project and the task.
    func delivered(_ brand: Org, _ agency: Org, approval: String? = nil, title: String = "Film") async throws -> (
        String, String
    ) {
        let project = try await project(brand)
        let extra = approval.map { #","approval":\#($0)"# } ?? ""
        let added = try await act(
            brand.token, project, "add_task",
            json: #"{"agency_id":"\#(agency.id)","title":"\#(title)","description":"Cut"\#(extra)}"#)
        let task = try #require((added["tasks"] as? [[String: Any]])?.last?["id"] as? String)
        try await act(brand.token, project, "issue_brief")
        try await act(agency.token, project, "accept", task: task)
        try await submit(agency, project, task)
        return (project, task)
    }

    func submit(_ agency: Org, _ project: String, _ task: String) async throws {
        try await act(
            agency.token, project, "submit_delivery", task: task,
            json: #"{"summary":"Cut","links":["https://cdn.example.com/cut.mp4"]}"#)
    }

    func task(_ token: String, _ project: String, _ task: String) async throws -> [String: Any] {
        let view = try await call(.GET, "/v1/projects/\(project)", token: token)
        return try #require((view["tasks"] as? [[String: Any]])?.first { $0["id"] as? String == task })
    }

    func comment(_ token: String, _ project: String, _ task: String, _ json: String, expect status: Int = 201)
        async throws -> Reply
    {
        let r = try await call(.POST, "/v1/projects/\(project)/tasks/\(task)/comments", token: token, json: json)
        #expect(r.status == status, "comment \(json.prefix(80)): \(r.text)")
        return r
    }

    func comments(_ token: String, _ project: String, _ task: String) async throws -> [[String: Any]] {
        let r = try await call(.GET, "/v1/projects/\(project)/tasks/\(task)/comments?limit=100", token: token)
        try #require(r.status == 200, "\(r.text)")
        return r["data"] as? [[String: Any]] ?? []
    }

    /// Everything `org` can read about the project by every path: the project, its history, its events feed.
    func everything(_ token: String, _ project: String) async throws -> String {
        let view = try await call(.GET, "/v1/projects/\(project)", token: token).text
        let history = try await call(.GET, "/v1/projects/\(project)/history?limit=100", token: token).text
        let events = try await call(.GET, "/v1/events?limit=100", token: token).text
        return view + history + events
    }
}

@Suite("Review: comment threads and approval by several approvers")
struct ReviewTests {
    @Test("three approvers, mode all: one request for changes settles the round at once, later decisions are refused")
    func allApprovers() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let ana = try await s.person(brand, "Ana")
            let ben = try await s.person(brand, "Ben")
            let cy = try await s.person(brand, "Cy")
            let dee = try await s.person(brand, "Dee")
            let policy = #"{"mode":"all","approvers":["\#(ana.id)","\#(ben.id)","\#(cy.id)"]}"#
            let (project, task) = try await s.delivered(brand, agency, approval: policy)
            let view = try await s.task(brand.token, project, task)
            #expect((view["approval"] as? [String: Any])?["mode"] as? String == "all")
            #expect(Set(view["pending_approvers"] as? [String] ?? []) == [ana.id, ben.id, cy.id])

            // Each person's inbox holds the round while they have not decided; a manager not listed never does.
            func waiting(_ p: Person) async throws -> Bool {
                let inbox = try await s.call(.GET, "/v1/inbox", token: p.token)
                return (inbox["data"] as? [[String: Any]] ?? []).contains { $0["task_id"] as? String == task }
            }
            for p in [ana, ben, cy] { #expect(try await waiting(p)) }
            #expect(try await waiting(dee) == false)

            // Ana approves: recorded, the task stays delivered, Ben and Cy pending.
            let etag = try await s.call(.GET, "/v1/projects/\(project)", token: ana.token)["version"] as? Int
            let first = try await s.act(ana.token, project, "approve", task: task)
            #expect(first["version"] as? Int == (etag ?? 0) + 1)
            let afterAna = try await s.task(brand.token, project, task)
            #expect(afterAna["state"] as? String == "delivered")
            #expect(Set(afterAna["pending_approvers"] as? [String] ?? []) == [ben.id, cy.id])
            #expect(try await waiting(ana) == false)
            #expect(try await waiting(ben))
            let history = try await s.history(brand.token, project)
            let recorded = try #require(history.last)
            #expect(recorded["action"] as? String == "record_decision")
            #expect(Set((recorded["data"] as? [String: Any])?["pending"] as? [String] ?? []) == [ben.id, cy.id])

            // A second decision by Ana in the round: 409. Keys not listed (Dee, the admin): 403.
            #expect(
                try await s.act(ana.token, project, "approve", task: task, expect: 409).code == "invalid_transition")
            #expect(try await s.act(dee.token, project, "approve", task: task, expect: 403).code == "forbidden")
            #expect(try await s.act(brand.token, project, "approve", task: task, expect: 403).code == "forbidden")

            // Ben requests changes: the round is settled at once; Cy's approval comes too late.
            try await s.act(ben.token, project, "request_changes", task: task, json: #"{"note":"Shorter"}"#)
            #expect(try await s.task(brand.token, project, task)["state"] as? String == "changes_requested")
            #expect(try await s.act(cy.token, project, "approve", task: task, expect: 409).code == "invalid_transition")
            let round = try #require(
                (try await s.task(agency.token, project, task)["deliveries"] as? [[String: Any]])?.first)
            let decisions = round["decisions"] as? [[String: Any]] ?? []
            #expect(decisions.compactMap { $0["api_key_id"] as? String } == [ana.id, ben.id])
            #expect(decisions.compactMap { $0["decision"] as? String } == ["approve", "request_changes"])

            // The database refuses what the machine refuses: a decision on the settled round, and a second one.
            let taskID = UUID(uuidString: task)!
            await #expect(throws: (any Error).self) {
                try await s.sql(
                    "INSERT INTO task_decisions VALUES (\(taskID), 1, \(UUID(uuidString: cy.id)!), 'approve', now())")
            }

            // Round 2: the brand sees the new round pending for all three again.
            try await s.submit(agency, project, task)
            #expect(
                Set(try await s.task(brand.token, project, task)["pending_approvers"] as? [String] ?? []) == [
                    ana.id, ben.id, cy.id,
                ])
            try await s.act(ana.token, project, "approve", task: task)
            await #expect(throws: (any Error).self) {
                try await s.sql(
                    "INSERT INTO task_decisions VALUES (\(taskID), 2, \(UUID(uuidString: ana.id)!), 'approve', now())")
            }
            // A task with mode all is approved only when every listed approver approved, whatever writes it.
            await #expect(throws: (any Error).self) {
                try await s.sql("UPDATE tasks SET state = 'approved' WHERE id = \(taskID)")
            }
        }
    }

    @Test("an all round approved by its three approvers at once moves on exactly once")
    func raceToApprove() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let people = [
                try await s.person(brand, "Ana"), try await s.person(brand, "Ben"), try await s.person(brand, "Cy"),
            ]
            let policy = #"{"mode":"all","approvers":[\#(people.map { "\"\($0.id)\"" }.joined(separator: ","))]}"#
            for attempt in 0..<4 {
                let (project, task) = try await s.delivered(brand, agency, approval: policy, title: "Film \(attempt)")
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for p in people {
                        group.addTask {
                            try await s.call(
                                .POST, "/v1/projects/\(project)/tasks/\(task)/actions/approve", token: p.token,
                                json: "{}"
                            ).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses == [200, 200, 200], "attempt \(attempt): \(statuses)")
                let history = try await s.history(brand.token, project)
                #expect(history.filter { $0["action"] as? String == "approve" }.count == 1)
                #expect(history.filter { $0["action"] as? String == "record_decision" }.count == 2)
                let view = try await s.task(brand.token, project, task)
                #expect(view["state"] as? String == "approved")
                #expect(((view["deliveries"] as? [[String: Any]])?.first?["decisions"] as? [Any])?.count == 3)
                let events = try await s.call(.GET, "/v1/events?limit=100", token: agency.token)
                let approvedEvents = (events["data"] as? [[String: Any]] ?? []).filter {
                    $0["type"] as? String == "task.approved"
                        && ($0["data"] as? [String: Any])?["project_id"] as? String == project
                }
                #expect(approvedEvents.count == 1)
            }
        }
    }

    @Test("internal comments never reach the agency: not by GET, the events feed, the history or a webhook")
    func internalComments() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let agency = try await s.organization("Studio", "agency")
                let brandHook = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok?brand")
                let agencyHook = try await s.endpoint(agency, url: "http://127.0.0.1:\(port)/ok?agency")
                let (project, task) = try await s.delivered(brand, agency)
                let version = try await s.call(.GET, "/v1/projects/\(project)", token: brand.token)["version"] as? Int

                let open = try await s.comment(
                    brand.token, project, task, #"{"body":"Logo too small on the **mobile** cut","round":1}"#)
                let secret = try await s.comment(
                    brand.token, project, task, #"{"body":"INTERNAL-7d1e: budget is tight, push back","internal":true}"#
                )
                let secretID = try #require(secret["id"] as? String)
                let innerReply = try await s.comment(
                    brand.token, project, task, #"{"body":"INTERNAL-7d1e agreed","parent_id":"\#(secretID)"}"#)
                #expect(innerReply["internal"] as? Bool == true, "a reply to an internal thread is internal")
                let openID = try #require(open["id"] as? String)
                let answer = try await s.comment(
                    agency.token, project, task, #"{"body":"Fixed in the next cut","parent_id":"\#(openID)"}"#)
                #expect((answer["author"] as? [String: Any])?["side"] as? String == "agency")

                // The agency cannot write internal comments, nor answer a thread it cannot see.
                let internalByAgency = try await s.comment(
                    agency.token, project, task, #"{"body":"x","internal":true}"#, expect: 422)
                #expect(internalByAgency.code == "guard_failed")
                try await s.comment(
                    agency.token, project, task, #"{"body":"x","parent_id":"\#(secretID)"}"#, expect: 422)

                // Comments leave the project's version as it was: an If-Match read before them still holds.
                try await s.act(
                    brand.token, project, "set_due_date", task: task, json: #"{"due_date":"2099-01-01"}"#,
                    headers: [("If-Match", "\"\(version ?? 0)\"")])

                // Brand: four comments; agency: its conversation without the internal ones.
                #expect(try await s.comments(brand.token, project, task).count == 4)
                let seen = try await s.comments(agency.token, project, task)
                #expect(seen.compactMap { $0["id"] as? String } == [openID, answer["id"] as? String])

                // Resolving: the agency resolves the open thread once; the internal one does not exist for it.
                let resolvePath = "/v1/projects/\(project)/tasks/\(task)/comments"
                let resolved = try await s.call(.POST, "\(resolvePath)/\(openID)/resolve", token: agency.token)
                #expect(resolved.status == 200 && resolved["resolved_at"] is String, "\(resolved.text)")
                #expect(try await s.call(.POST, "\(resolvePath)/\(openID)/resolve", token: brand.token).status == 409)
                #expect(
                    try await s.call(.POST, "\(resolvePath)/\(secretID)/resolve", token: agency.token).status == 404)
                let reply = try #require(answer["id"] as? String)
                #expect(try await s.call(.POST, "\(resolvePath)/\(reply)/resolve", token: brand.token).status == 422)
                #expect(try await s.call(.POST, "\(resolvePath)/\(secretID)/resolve", token: brand.token).status == 200)

                // Every path the agency reads: no internal word.
                let everything = try await s.everything(agency.token, project)
                #expect(!everything.contains("INTERNAL-7d1e"))
                #expect(everything.contains("Fixed in the next cut"))
                let brandSees = try await s.everything(brand.token, project)
                #expect(brandSees.contains("INTERNAL-7d1e"))

                // Webhooks: the brand gets every comment and resolution, the agency the open ones; all verify with
                // the reference library, and none of the agency's carries an internal word.
                let expectedBrand = 4 + 2
                _ = try await receiver.wait {
                    $0.filter { ($0.type ?? "").hasPrefix("task.comment") }.count >= expectedBrand + 3
                }
                try await Task.sleep(for: .milliseconds(300))
                let brandGot = try signed(by: brandHook.secret, receiver.all()).filter {
                    ($0.type ?? "").hasPrefix("task.comment")
                }
                let agencyGot = try signed(by: agencyHook.secret, receiver.all()).filter {
                    ($0.type ?? "").hasPrefix("task.comment")
                }
                #expect(brandGot.count == expectedBrand)
                #expect(
                    agencyGot.compactMap(\.type).sorted() == [
                        "task.comment_resolved", "task.commented", "task.commented",
                    ])
                #expect(!agencyGot.contains { $0.body.contains("INTERNAL-7d1e") })
                _ = try verifyWithReferenceLibrary(secret: brandHook.secret, deliveries: brandGot)
                _ = try verifyWithReferenceLibrary(secret: agencyHook.secret, deliveries: agencyGot)

                // The database keeps comments as written: never edited.
                await #expect(throws: (any Error).self) {
                    try await s.sql("UPDATE task_comments SET body = 'edited' WHERE id = \(UUID(uuidString: openID)!)")
                }
            }
        }
    }

    @Test("decisions arrive as verified webhooks naming who is still pending")
    func decisionWebhooks() async throws {
        try await withReceiver { receiver, port in
            try await withServer { s in
                let brand = try await s.organization("Velo", "brand")
                let agency = try await s.organization("Studio", "agency")
                let ana = try await s.person(brand, "Ana")
                let ben = try await s.person(brand, "Ben")
                let hook = try await s.endpoint(
                    agency, url: "http://127.0.0.1:\(port)/ok",
                    types: ["task.decision_recorded", "task.approved", "task.approval_set"])
                let project = try await s.project(brand)
                let task = try await s.addTask(brand, project, agency: agency, title: "Film")
                try await s.act(
                    brand.token, project, "set_approval", task: task,
                    json: #"{"approval":{"mode":"all","approvers":["\#(ana.id)","\#(ben.id)"]}}"#)
                try await s.act(brand.token, project, "issue_brief")
                try await s.act(agency.token, project, "accept", task: task)
                try await s.submit(agency, project, task)
                try await s.act(ben.token, project, "approve", task: task)
                try await s.act(ana.token, project, "approve", task: task)
                let got = try await receiver.wait { $0.count >= 2 }
                let verified = try signed(by: hook.secret, got)
                #expect(verified.compactMap(\.type) == ["task.decision_recorded", "task.approved"])
                let recorded = try #require(verified.first?.json["data"] as? [String: Any])
                #expect((recorded["details"] as? [String: Any])?["pending"] as? [String] == [ana.id])
                #expect((recorded["actor"] as? [String: Any])?["api_key_id"] as? String == ben.id)
                let approved = try #require(verified.last?.json["data"] as? [String: Any])
                #expect(((approved["details"] as? [String: Any])?["decisions"] as? [Any])?.count == 2)
                _ = try verifyWithReferenceLibrary(secret: hook.secret, deliveries: verified)
            }
        }
    }

    @Test("bad input: a clear 4xx and nothing written")
    func badInput() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let other = try await s.organization("Other brand", "brand")
            let stranger = try await s.person(other, "Stranger")
            let viewer = try await s.person(brand, "Vi", role: "viewer")
            let gone = try await s.person(brand, "Gone")
            #expect(try await s.call(.DELETE, "/v1/api-keys/\(gone.id)", token: brand.token).status == 200)
            let (project, task) = try await s.delivered(brand, agency)
            let project2 = try await s.project(brand)
            let otherTask = try await s.addTask(brand, project2, agency: agency, title: "Other")
            let foreign = try await s.comment(brand.token, project2, otherTask, #"{"body":"elsewhere"}"#)
            let foreignID = try #require(foreign["id"] as? String)
            let before = try await s.fingerprint(project)
            let count = { try await s.scalar("SELECT count(*)::int FROM task_comments", as: Int.self) }
            let comments = try await count()

            let tooLong = String(repeating: "€", count: 3_334)  // 3,334 characters, 10,002 bytes
            let cases: [(String, Int, String)] = [
                (#"{"body":"\#(tooLong)"}"#, 422, "validation_failed"),
                (#"{"body":"   "}"#, 422, "validation_failed"),
                (#"{"body":"x","parent_id":"\#(foreignID)"}"#, 422, "guard_failed"),
                (#"{"body":"x","round":5}"#, 422, "guard_failed"),
                (#"{"body":"x","round":0}"#, 422, "validation_failed"),
                (#"{"body":"x","round":"one"}"#, 400, "malformed_request"),
                (#"{"body":"x","internal":"yes"}"#, 400, "malformed_request"),
                (#"{"body":"x","edit":true}"#, 422, "validation_failed"),
            ]
            for (json, status, code) in cases {
                let r = try await s.comment(brand.token, project, task, json, expect: status)
                #expect(r.code == code, "\(json.prefix(60)): \(r.text)")
            }
            #expect(try await s.comment(viewer.token, project, task, #"{"body":"x"}"#, expect: 403).code == "forbidden")

            for (approvers, mode) in [
                ("[\"\(stranger.id)\"]", "all"), ("[\"\(gone.id)\"]", "all"), ("[\"\(viewer.id)\"]", "any"),
                ("[\"\(UUID().uuidString)\"]", "any"), ("[]", "all"),
            ] {
                let json = #"{"approval":{"mode":"\#(mode)","approvers":\#(approvers)}}"#
                let r = try await s.act(brand.token, project2, "set_approval", task: otherTask, json: json, expect: 422)
                #expect(r.code == "guard_failed" || r.code == "validation_failed", "\(json): \(r.text)")
            }
            #expect(try await s.fingerprint(project) == before)
            #expect(try await count() == comments)
            // Approvers are chosen before a round is under review: not on a delivered task.
            let late = try await s.act(
                brand.token, project, "set_approval", task: task, json: #"{"approval":{"mode":"any"}}"#, expect: 409)
            #expect(late.code == "invalid_transition")
        }
    }
}
