import Foundation
import PostgresNIO
import Storage
import Testing

@Suite("A brand's roster of agencies: chosen by the brand, enforced by the engine and by the database")
struct RosterTests {
    @Test(
        "off the roster: add_task and reassign are 422; a direct UPDATE fails; end waits for open tasks"
    )
    func refusals() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let chosen = try await s.organization("Studio", "agency")
            let stranger = try await s.organization("Stranger", "agency", onRosters: false)
            let project = try await s.project(brand)
            let before = try await s.fingerprint(project)
            let refused = try await s.act(
                brand.token, project, "add_task",
                json: #"{"agency_id":"\#(stranger.id)","title":"Film","description":"d"}"#, expect: 422)
            #expect(refused.code == "agency_not_on_roster", "\(refused.text)")
            #expect(try await s.fingerprint(project) == before, "a refusal changes nothing")
            // The agency's pending invitation is not yet the roster.
            let invited = try await s.call(
                .POST, "/v1/agency-relationships", token: brand.token, json: #"{"agency_id":"\#(stranger.id)"}"#)
            #expect(
                invited.status == 201 && (invited["relationship"] as? [String: Any])?["state"] as? String == "invited")
            let again = try await s.call(
                .POST, "/v1/agency-relationships", token: brand.token, json: #"{"agency_id":"\#(stranger.id)"}"#)
            #expect(
                (again["relationship"] as? [String: Any])?["id"] as? String
                    == (invited["relationship"] as? [String: Any])?["id"] as? String, "inviting twice changes nothing")
            try await s.act(
                brand.token, project, "add_task",
                json: #"{"agency_id":"\#(stranger.id)","title":"Film","description":"d"}"#, expect: 422)
            // Only the agency answers, and only a brand invites.
            let relationship = (invited["relationship"] as? [String: Any])?["id"] as! String
            #expect(
                try await s.call(.POST, "/v1/agency-relationships/\(relationship)/accept", token: brand.token).status
                    == 403)
            let byAgency = try await s.call(
                .POST, "/v1/agency-relationships", token: chosen.token, json: #"{"agency_id":"\#(stranger.id)"}"#)
            #expect(byAgency.status == 403)
            // On the roster: a task for the chosen agency; reassigning it to the stranger is refused.
            let task = try await s.addTask(brand, project, agency: chosen, title: "Film")
            try await s.act(brand.token, project, "issue_brief")
            try await s.act(chosen.token, project, "decline", task: task, json: #"{"reason":"busy"}"#)
            let reassign = try await s.act(
                brand.token, project, "reassign", task: task, json: #"{"agency_id":"\#(stranger.id)"}"#, expect: 422)
            #expect(reassign.code == "agency_not_on_roster")
            // The database refuses it too, whatever sends the SQL.
            await #expect(throws: (any Error).self) {
                try await s.sql(
                    """
                    UPDATE tasks SET agency_id = \(UUID(uuidString: stranger.id)!), state = 'issued'
                    WHERE id = \(UUID(uuidString: task)!)
                    """)
            }
            // Ending a relationship waits for the agency's open tasks: reassign the declined task back first.
            let accepted = try await s.call(
                .POST, "/v1/agency-relationships/\(relationship)/accept", token: stranger.token)
            #expect(accepted.status == 200, "\(accepted.text)")
            try await s.act(brand.token, project, "reassign", task: task, json: #"{"agency_id":"\#(stranger.id)"}"#)
            let end = try await s.call(.POST, "/v1/agency-relationships/\(relationship)/end", token: brand.token)
            #expect(end.status == 409 && end.code == "open_tasks", "\(end.text)")
            try await s.act(brand.token, project, "cancel", json: #"{"reason":"off"}"#)
            let ended = try await s.call(.POST, "/v1/agency-relationships/\(relationship)/end", token: stranger.token)
            #expect(ended.status == 200 && (ended["relationship"] as? [String: Any])?["state"] as? String == "ended")
            let twice = try await s.call(.POST, "/v1/agency-relationships/\(relationship)/end", token: brand.token)
            #expect(twice.status == 409 && twice.code == "invalid_transition")
            // Each side lists its own; another brand sees none of them.
            let other = try await s.organization("Other brand", "brand")
            let list = try await s.call(.GET, "/v1/agency-relationships", token: other.token)
            #expect((list["data"] as? [Any])?.isEmpty == true)
            #expect(
                try await s.call(.POST, "/v1/agency-relationships/\(relationship)/end", token: other.token).status
                    == 404)
            let strangerList = try await s.call(.GET, "/v1/agency-relationships", token: stranger.token)
            #expect((strangerList["data"] as? [[String: Any]])?.first?["brand_name"] as? String == "Velo")
        }
    }

    @Test("ending a relationship while a task is given to the agency: one of the two wins, never both")
    func endRacesAddTask() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let list = try await s.call(.GET, "/v1/agency-relationships", token: brand.token)
            let relationship = try #require((list["data"] as? [[String: Any]])?.first?["id"] as? String)
            var projects: [String] = []
            for i in 0..<10 { projects.append(try await s.project(brand, title: "P\(i)")) }
            let statuses = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for project in projects {
                    group.addTask {
                        let r = try await s.call(
                            .POST, "/v1/projects/\(project)/actions/add_task", token: brand.token,
                            json: #"{"agency_id":"\#(agency.id)","title":"T","description":""}"#)
                        return ("add", r.status)
                    }
                }
                group.addTask {
                    let r = try await s.call(.POST, "/v1/agency-relationships/\(relationship)/end", token: brand.token)
                    return ("end", r.status)
                }
                var out: [(String, Int)] = []
                for try await r in group { out.append(r) }
                return out
            }
            let added = statuses.filter { $0 == ("add", 200) }.count
            let ended = statuses.contains { $0 == ("end", 200) }
            let tasks = try await s.scalar(
                "SELECT count(*)::int FROM tasks WHERE agency_id = \(UUID(uuidString: agency.id)!)", as: Int.self)
            #expect(tasks == added, "every task the database holds was answered 200")
            // A draft task holds its agency: either the end came first (every task refused) or a task did (the end
            // refused with open_tasks), never both.
            #expect(ended != (added > 0), "ended: \(ended), tasks added: \(added)")
            if ended {
                let after = try await s.scalar(
                    """
                    SELECT count(*)::int FROM tasks t JOIN agency_relationships r ON r.agency_id = t.agency_id
                    WHERE r.id = \(UUID(uuidString: relationship)!) AND r.state = 'ended'
                    """, as: Int.self)
                #expect(after == 0, "no task given to an agency whose relationship ended")
            }
            #expect(statuses.allSatisfy { [200, 409, 422].contains($0.1) }, "\(statuses)")
        }
    }

    @Test("an invitation accepted twice at once: one person, one membership, one 201")
    func acceptRace() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let token = try await s.invitation(brand.token, email: "maya@velo.example")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        try await s.call(
                            .POST, "/v1/invitations/accept",
                            json: #"{"token":"\#(token)","name":"Maya \#(i)","password":"\#(TestServer.password)"}"#
                        ).status
                    }
                }
                var out: [Int] = []
                for try await status in group { out.append(status) }
                return out
            }
            #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { [201, 409, 410].contains($0) }, "\(statuses)")
            #expect(try await s.scalar("SELECT count(*)::int FROM users", as: Int.self) == 1)
            #expect(try await s.scalar("SELECT count(*)::int FROM memberships", as: Int.self) == 1)
        }
    }

    @Test("migration 0017 puts every (brand, agency) pair that shares a task on the roster: running projects go on")
    func migrationBackfill() async throws {
        try await withFreshDatabase { url in
            try await withClient(url) { client in
                let all = try TestEnvironment.migrations()
                let before = all.filter { $0.version < 17 }
                try await Migrator(migrations: before, logger: TestEnvironment.logger).migrate(client)
                let brand = UUID()
                let agency = UUID()
                let loner = UUID()
                let project = UUID()
                let logger = TestEnvironment.logger
                for statement: PostgresQuery in [
                    "INSERT INTO organizations (id, name, kind) VALUES (\(brand), 'Brand', 'brand')",
                    "INSERT INTO organizations (id, name, kind) VALUES (\(agency), 'Agency', 'agency')",
                    "INSERT INTO organizations (id, name, kind) VALUES (\(loner), 'Loner', 'agency')",
                    """
                    INSERT INTO projects (id, brand_id, title, state, version, last_sequence, strategy, created_at,
                                          updated_at)
                    VALUES (\(project), \(brand), 'P', 'strategy', 1, 1, '{}', now(), now())
                    """,
                    """
                    INSERT INTO tasks (id, project_id, agency_id, position, title, description, state, created_at,
                                       updated_at, state_since)
                    VALUES (\(UUID()), \(project), \(agency), 1, 'T', '', 'draft', now(), now(), now())
                    """,
                ] {
                    try await client.query(statement, logger: logger).run()
                }
                try await Migrator(migrations: all, logger: logger).migrate(client)
                var pairs: [String] = []
                for try await (b, a, state) in try await client.query(
                    "SELECT brand_id, agency_id, state FROM agency_relationships", logger: logger
                ).decode((UUID, UUID, String).self) {
                    pairs.append("\(b == brand) \(a == agency) \(state)")
                }
                #expect(pairs == ["true true active"], "the pair that shares a task, and no other")
                // The project goes on: another task for that agency passes the new trigger.
                try await client.query(
                    """
                    INSERT INTO tasks (id, project_id, agency_id, position, title, description, state, created_at,
                                       updated_at, state_since)
                    VALUES (\(UUID()), \(project), \(agency), 2, 'T2', '', 'draft', now(), now(), now())
                    """, logger: logger
                ).run()
            }
        }
    }
}
