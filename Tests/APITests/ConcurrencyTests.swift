import Foundation
import Testing

@Suite("Racing real requests against a real database")
struct ConcurrencyTests {
    @Test("50 concurrent identical transitions: exactly one applies, the history has no gap and no duplicate")
    func fiftyAtOnce() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Studio", "agency")
            let p = try await s.project(brand)
            _ = try await s.addTask(brand, p, agency: agency, title: "Video")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await s.call(.POST, "/v1/projects/\(p)/actions/issue_brief", token: brand.token, json: "{}")
                            .status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 409 })
            let history = try await s.history(brand.token, p)
            #expect(history.compactMap { $0["sequence"] as? Int } == [1, 2, 3])
            #expect(history.filter { $0["action"] as? String == "issue_brief" }.count == 1)
            #expect(try await s.fingerprint(p) == [3, 3, 3])
        }
    }

    @Test("50 concurrent transitions with the same If-Match: one applies, the others get 412")
    func ifMatchRace() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let p = try await s.project(brand)
            // update_strategy is allowed again and again; only If-Match keeps the writers apart.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await s.call(
                            .POST, "/v1/projects/\(p)/actions/update_strategy", token: brand.token,
                            json: #"{"strategy":\#(TestServer.strategy)}"#, headers: [("If-Match", "\"1\"")]
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 412 }.count == 49)
            let history = try await s.history(brand.token, p)
            #expect(history.compactMap { $0["sequence"] as? Int } == [1, 2])
        }
    }

    @Test("concurrent accepts of every task: delivery starts exactly once")
    func concurrentAccepts() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agencies = try await [
                s.organization("A", "agency"), s.organization("B", "agency"), s.organization("C", "agency"),
            ]
            let p = try await s.project(brand)
            var tasks: [(Org, String)] = []
            for a in agencies {
                for i in 0..<3 { tasks.append((a, try await s.addTask(brand, p, agency: a, title: "T\(i)"))) }
            }
            try await s.act(brand.token, p, "issue_brief")
            let snapshot = tasks
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (a, t) in snapshot {
                    for _ in 0..<3 {
                        group.addTask {
                            try await s.call(
                                .POST, "/v1/projects/\(p)/tasks/\(t)/actions/accept", token: a.token, json: "{}"
                            ).status
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 9)
            let history = try await s.history(brand.token, p)
            let sequences = history.compactMap { $0["sequence"] as? Int }
            #expect(sequences == Array(1...sequences.count))
            #expect(history.filter { $0["action"] as? String == "start_delivery" }.count == 1)
            #expect(history.last?["action"] as? String == "start_delivery")
            // Every organization's event cursor increases, and the brand's feed holds each transition once.
            for org in [brand] + agencies {
                let events = try await s.call(.GET, "/v1/events?limit=100", token: org.token)
                let cursors = (events["data"] as? [[String: Any]] ?? []).compactMap { $0["cursor"] as? Int }
                #expect(!cursors.isEmpty && cursors == cursors.sorted() && Set(cursors).count == cursors.count)
                if org.token == brand.token { #expect(cursors.count == history.count) }
            }
        }
    }
}
