import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import Workflow

/// One probe: a route of the OpenAPI document with another organization's ids, and the body it needs.
struct Probe {
    var method: HTTPMethod
    var path: String
    var body: String?
}

/// The victim's resources the probes aim at, and the markers that must never appear in a probe's answer.
struct Victim {
    var project: String
    var task: String
    var endpoint: String
    var delivery: String
    var key: String
    var agency: String
    var comment: String
    var markers: [String]
}

@Suite("Probe matrix: every route, another organization's ids, every role")
struct ProbeMatrixTests {
    static let strategy = TestServer.strategy

    /// A valid body for each action, so that an answer can only be about visibility and permission.
    static func body(for action: Action, victim: Victim) -> String {
        switch action {
        case .updateStrategy: #"{"strategy":\#(strategy)}"#
        case .addTask: #"{"agency_id":"\#(victim.agency)","title":"Probe","description":"x"}"#
        case .removeTask: #"{"task_id":"\#(victim.task)"}"#
        case .decline, .cancel: #"{"reason":"probe"}"#
        case .reassign: #"{"agency_id":"\#(victim.agency)"}"#
        case .submitDelivery: #"{"summary":"probe","links":["https://example.com/probe"]}"#
        case .requestChanges: #"{"note":"probe"}"#
        case .recordKPIResults: #"{"results":{"signups":1}}"#
        case .setDueDate: #"{"due_at":"2100-01-01T00:00:00Z"}"#
        case .setApproval: #"{"approval":{"mode":"any","approvers":[]}}"#
        default: "{}"
        }
    }

    /// The action an operation's path ends with (`…/actions/issue_brief`).
    static func action(_ template: String) -> Action? {
        guard let r = template.range(of: "/actions/", options: .backwards) else { return nil }
        return Action(rawValue: String(template[r.upperBound...]))
    }

    /// Every operation of the served OpenAPI document that names an organization's resource, expanded
    /// with the victim's ids (and, for actions, every requestable action of that scope).
    static func probes(document: [String: Any], victim: Victim) -> [Probe] {
        var out: [Probe] = []
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        for (template, operations) in paths.sorted(by: { $0.key < $1.key }) where template.contains("{") {
            for method in operations.keys.sorted() {
                guard let m = ["get": HTTPMethod.GET, "post": .POST, "patch": .PATCH, "delete": .DELETE][method] else {
                    continue
                }
                let id =
                    template.hasPrefix("/v1/projects")
                    ? victim.project
                    : template.hasPrefix("/v1/webhook-endpoints")
                        ? victim.endpoint
                        : template.hasPrefix("/v1/webhook-deliveries") ? victim.delivery : victim.key
                let path = template.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(
                    of: "{task_id}", with: victim.task
                ).replacingOccurrences(of: "{comment_id}", with: victim.comment)
                let body: String? =
                    m == .POST || m == .PATCH
                    ? (template.hasSuffix("/replay")
                        ? #"{"since":"2020-01-01T00:00:00Z","until":"2100-01-01T00:00:00Z"}"#
                        : template.hasSuffix("/comments")
                            ? #"{"body":"probe"}"#
                            : Self.action(template).map { Self.body(for: $0, victim: victim) }
                                ?? (m == .PATCH ? #"{"description":"probe"}"# : "{}")) : nil
                guard template.contains("{action}") else {
                    out.append(Probe(method: m, path: path, body: body))
                    continue
                }
                let scope: ActionScope = template.contains("{task_id}") ? .task : .project
                for spec in WorkflowDefinition.actions
                where spec.requestable && !spec.isConversation && spec.scope == scope && spec.action != .create {
                    out.append(
                        Probe(
                            method: m, path: path.replacingOccurrences(of: "{action}", with: spec.action.rawValue),
                            body: Self.body(for: spec.action, victim: victim)))
                }
            }
        }
        return out
    }

    @Test(
        "another brand and an unrelated agency, each role, get 404 or 403 on every route, never the victim's data"
    )
    func matrix() async throws {
        try await withReceiver { receiver, port in
            try await withServer(dispatch: testDispatch()) { s in
                let victimBrand = try await s.organization("Victim brand VCTM-ORG-7f3a", "brand")
                let victimAgency = try await s.organization("Victim agency VCTM-AGENCY-91c2", "agency")
                let hook = try await s.endpoint(victimBrand, url: "http://127.0.0.1:\(port)/ok?marker=VCTM-URL-55d1")
                let project = try await s.project(victimBrand, title: "VCTM-TITLE-a81e")
                let task = try await s.addTask(victimBrand, project, agency: victimAgency, title: "VCTM-TASK-0b9d")
                try await s.act(victimBrand.token, project, "issue_brief")
                let comment = try await s.call(
                    .POST, "/v1/projects/\(project)/tasks/\(task)/comments", token: victimBrand.token,
                    json: #"{"body":"VCTM-COMMENT-3e7c"}"#)
                #expect(comment.status == 201, "\(comment.text)")
                let deliveries = try await s.waitDeliveries(victimBrand, hook.id) { $0.count >= 2 }
                let keys = try await s.call(.GET, "/v1/api-keys", token: victimBrand.token)
                let victim = Victim(
                    project: project, task: task, endpoint: hook.id,
                    delivery: try #require(deliveries.first?["id"] as? String),
                    key: try #require((keys["data"] as? [[String: Any]])?.first?["id"] as? String),
                    agency: victimAgency.id, comment: try #require(comment["id"] as? String),
                    markers: [
                        "VCTM-ORG-7f3a", "VCTM-AGENCY-91c2", "VCTM-URL-55d1", "VCTM-TITLE-a81e", "VCTM-TASK-0b9d",
                        "VCTM-COMMENT-3e7c",
                        victimBrand.id, victimAgency.id, hook.secret,
                    ])
                let before = try await s.fingerprint(project)

                let otherBrand = try await s.organization("Other brand", "brand")
                let otherAgency = try await s.organization("Other agency", "agency")
                var callers: [(String, String)] = [
                    ("brand admin", otherBrand.token), ("agency admin", otherAgency.token),
                ]
                for role in ["manager", "viewer"] {
                    callers.append(("brand \(role)", try await s.key(otherBrand, role: role)))
                    callers.append(("agency \(role)", try await s.key(otherAgency, role: role)))
                }
                let document = try await s.call(.GET, "/openapi.json").object
                let probes = Self.probes(document: document, victim: victim)
                #expect(probes.count >= 20, "the document's routes expanded to \(probes.count) probes")

                var calls = 0
                for (who, token) in callers {
                    for probe in probes {
                        let r = try await s.call(probe.method, probe.path, token: token, json: probe.body)
                        calls += 1
                        #expect(
                            r.status == 404 || r.status == 403,
                            "\(who) \(probe.method) \(probe.path): \(r.status) \(r.text)")
                        for marker in victim.markers where r.text.contains(marker) {
                            Issue.record("\(who) \(probe.method) \(probe.path) leaked \(marker)")
                        }
                    }
                    // The collections: only the caller's own, never the victim's.
                    for path in [
                        "/v1/projects", "/v1/events", "/v1/webhook-endpoints", "/v1/api-keys", "/v1/organizations/me",
                    ] {
                        let r = try await s.call(.GET, path, token: token)
                        calls += 1
                        #expect(r.status == 200 || r.status == 403, "\(who) GET \(path): \(r.status)")
                        for marker in victim.markers where r.text.contains(marker) {
                            Issue.record("\(who) GET \(path) leaked \(marker)")
                        }
                    }
                }
                // Nothing the probes sent changed the victim's project, endpoint or deliveries.
                #expect(try await s.fingerprint(project) == before)
                let after = try await s.call(.GET, "/v1/webhook-endpoints/\(hook.id)", token: victimBrand.token)
                #expect(after["enabled"] as? Bool == true && after["description"] as? String != "probe")
                #expect(
                    try await s.scalar(
                        """
                        SELECT count(*)::int FROM api_keys WHERE organization_id =
                        \(UUID(uuidString: victimBrand.id)!) AND revoked_at IS NULL
                        """,
                        as: Int.self) == 1)
                #expect(calls > 150)
                _ = receiver
            }
        }
    }
}
