import BriefdClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

// docs/api.md's walk-through through the generated Swift client: a brand, two agencies, one project from strategy
// to close, and a webhook receiver that verifies every delivery with `WebhookVerifier`.
//
//     swift run --package-path clients/swift briefd-walkthrough URL OPERATOR_TOKEN
//
// Exits non-zero at the first step that does not go as documented.

struct Failed: Error, CustomStringConvertible {
    var description: String
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw Failed(description: message()) }
}

func step(_ message: String) { print("  swift   \(message)") }

/// A webhook receiver on loopback: each POST is verified and kept (payload), or answered 400.
final class Receiver: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    static let verifier = Mutex<WebhookVerifier?>(nil)
    static let received = Mutex<[Components.Schemas.WebhookPayload]>([])
    static let refused = Mutex(0)
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var b): body += b.readBytes(length: b.readableBytes) ?? []
        case .end:
            let headers = Dictionary(
                (head?.headers ?? [:]).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            var status = HTTPResponseStatus.badRequest
            if let verifier = Self.verifier.withLock({ $0 }),
                let payload = try? verifier.verify(headers: headers, body: body)
            {
                Self.received.withLock { $0.append(payload) }
                status = .noContent
            } else {
                Self.refused.withLock { $0 += 1 }
            }
            let response = HTTPResponseHead(version: .http1_1, status: status, headers: ["content-length": "0"])
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    static func start() async throws -> (Channel, Int) {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(Receiver()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, channel.localAddress?.port ?? 0)
    }
}

let strategy = Components.Schemas.Strategy(
    objectives: ["Grow sign-ups in Lyon"], audience: "Urban cyclists 25-40", channels: ["social", "outdoor"],
    budget: .init(amountMinor: 5_000_000, currency: "EUR"),
    kpis: [
        .init(key: "signups", name: "Sign-ups", target: 1000, unit: "count", comparator: .gte),
        .init(key: "cpa", name: "Cost per acquisition", target: 20, unit: "EUR", comparator: .lte),
    ])

func walkthrough(url: URL, operatorToken: String) async throws {
    let op = Briefd.client(url: url, key: operatorToken)
    func organization(_ name: String, _ kind: Components.Schemas.BodyCreateOrganization.KindPayload) async throws
        -> (id: String, client: Client, token: String)
    {
        let created = try await op.createOrganization(body: .json(.init(name: name, kind: kind))).created.body.json
        let token = created.apiKey.token ?? ""
        return (created.organization.id, Briefd.client(url: url, key: token), token)
    }
    let (brandID, brandAdmin, _) = try await organization("Velo", .brand)
    let (a1, agency1, _) = try await organization("Northwind Studio", .agency)
    let (_, agency2, _) = try await organization("Blue Harbor", .agency)
    let a2 = try await agency2.getMe().ok.body.json.organization.id
    // The brand chooses its agencies: each accepts its place on the brand's roster before any task.
    for (agencyID, agency) in [(a1, agency1), (a2, agency2)] {
        let invited = try await brandAdmin.createRelationship(body: .json(.init(agencyId: agencyID))).created.body.json
        let relationship = try invited.relationship.orThrow("the roster answered no relationship")
        _ = try await agency.acceptRelationship(path: .init(id: relationship.id)).ok
    }
    let manager = try await brandAdmin.createApiKey(body: .json(.init(name: "Maya", role: .manager))).created.body.json
    let brand = Briefd.client(url: url, key: manager.token ?? "")
    step("organizations: the brand \(brandID), two agencies on its roster, a manager key")

    // The brand's webhook endpoint; this process receives and verifies every delivery.
    let (server, port) = try await Receiver.start()
    let endpoint = try await brandAdmin.createWebhookEndpoint(
        body: .json(.init(url: "http://127.0.0.1:\(port)/hooks"))
    ).created.body.json
    Receiver.verifier.withLock { $0 = try? WebhookVerifier(secret: endpoint.secret ?? "") }

    let project = try await brand.createProject(body: .json(.init(title: "Spring launch", strategy: strategy)))
        .created.body.json
    let pid = project.id
    let film = try await brand.addTask(
        path: .init(id: pid),
        body: .json(
            .init(agencyId: a1, title: "Launch film", description: "30 s", feeMinor: 1_200_000, currency: "EUR"))
    ).ok.body.json
    let posters = try await brand.addTask(
        path: .init(id: pid), body: .json(.init(agencyId: a2, title: "Posters", description: "A1 and A3"))
    ).ok.body.json
    let (t1, t2) = (film.tasks[0].id, posters.tasks[1].id)
    try expect(posters.version == 3, "version \(posters.version)")

    // A stale If-Match is a typed 412; the current version issues the brief.
    do {
        _ = try await brand.issueBrief(path: .init(id: pid), headers: .init(ifMatch: Briefd.ifMatch(1)))
        throw Failed(description: "a stale If-Match was accepted")
    } catch let error where Briefd.problem(error) != nil {
        let problem = Briefd.problem(error)!
        try expect(problem.status == 412 && problem.code == "version_mismatch", "\(problem)")
    }
    let issued = try await brand.issueBrief(
        path: .init(id: pid), headers: .init(ifMatch: Briefd.ifMatch(posters.version))
    ).ok.body.json
    try expect(issued.state == .brief, "state \(issued.state)")
    step("brief issued under If-Match; a stale version was a typed 412 version_mismatch")

    // Agency 2 declines; the brand reassigns to agency 1, which accepts both: delivery starts.
    _ = try await agency2.decline(path: .init(id: pid, taskId: t2), body: .json(.init(reason: "No capacity in May")))
        .ok
    _ = try await brand.reassign(path: .init(id: pid, taskId: t2), body: .json(.init(agencyId: a1))).ok
    _ = try await agency1.accept(path: .init(id: pid, taskId: t1)).ok
    let started = try await agency1.accept(path: .init(id: pid, taskId: t2)).ok.body.json
    try expect(started.state == .delivery, "state \(started.state)")
    step("declined, reassigned, accepted: the project is in delivery")

    // A refused transition names what the caller may do instead.
    do {
        _ = try await brand.close(path: .init(id: pid))
        throw Failed(description: "close was accepted in delivery")
    } catch let error where Briefd.problem(error) != nil {
        let problem = Briefd.problem(error)!
        try expect(
            problem.status == 409 && problem.code == "invalid_transition" && problem.allowedActions.contains("cancel"),
            "\(problem)")
        step("close in delivery: 409 invalid_transition, allowed \(problem.allowedActions)")
    }

    // Deliveries, a comment thread, a change request, a second round, approvals.
    for task in [t1, t2] {
        _ = try await agency1.submitDelivery(
            path: .init(id: pid, taskId: task),
            body: .json(.init(summary: "First cut", links: ["https://files.example/cut-1"]))
        ).ok
    }
    _ = try await brand.addComment(
        path: .init(id: pid, taskId: t1), body: .json(.init(body: "Hook comes late", round: 1))
    ).created
    _ = try await brand.addComment(
        path: .init(id: pid, taskId: t1), body: .json(.init(body: "Legal note", _internal: true))
    ).created
    let seen = try await agency1.listComments(path: .init(id: pid, taskId: t1)).ok.body.json
    try expect(seen.data.map(\.body) == ["Hook comes late"], "the agency read \(seen.data.map(\.body))")
    _ = try await brand.requestChanges(path: .init(id: pid, taskId: t1), body: .json(.init(note: "Shorter"))).ok
    _ = try await agency1.submitDelivery(
        path: .init(id: pid, taskId: t1),
        body: .json(.init(summary: "Second cut", links: ["https://files.example/cut-2"]))
    ).ok
    for task in [t1, t2] { _ = try await brand.approve(path: .init(id: pid, taskId: task)).ok }
    step("two rounds on the film, a thread the agency reads without the internal note, both tasks approved")

    // KPI review, results, close: the outcome with ROI; the agency never reads the economics.
    _ = try await brand.startKpiReview(path: .init(id: pid)).ok
    _ = try await brand.recordKpiResults(
        path: .init(id: pid),
        body: .json(
            .init(
                results: .init(additionalProperties: ["signups": 1240, "cpa": 18.5]), spendMinor: 4_600_000,
                revenueMinor: 9_200_000))
    ).ok
    let closed = try await brand.close(path: .init(id: pid)).ok.body.json
    let outcome = try require(closed.outcome, "an outcome at close")
    try expect(closed.state == .closed && outcome.allMet && abs((outcome.roi ?? 0) - 1) < 1e-9, "\(outcome)")
    let agencyView = try await agency1.getProject(path: .init(id: pid)).ok.body.json
    try expect(agencyView.outcome == nil && agencyView.kpiResults == nil, "an agency read the brand's economics")
    step("closed: all KPIs met, ROI \(Int((outcome.roi ?? 0) * 100)) %; the agency's view has no economics")

    // Each transition once, however often a throttled request was sent again (with its Idempotency-Key).
    let history = try await brand.getHistory(path: .init(id: pid)).ok.body.json
    try expect(history.data.count == 20, "\(history.data.count) transitions, 20 expected")
    if ProcessInfo.processInfo.environment["BRIEFD_EXPECT_RETRIES"] != nil {
        try expect(Briefd.retriesSent > 0, "the daemon's rate limit never answered 429")
    }
    step("20 transitions in the history, each once; \(Briefd.retriesSent) requests sent again after a 429 or 503")

    // Every transition reached the receiver, verified; the last one is project.closed.
    let deadline = Date().addingTimeInterval(15)
    func hasClosed() -> Bool {
        Receiver.received.withLock { r in
            r.contains { if case .project_closed = $0 { true } else { false } }
        }
    }
    while Date() < deadline && !hasClosed() { try await Task.sleep(for: .milliseconds(100)) }
    let received = Receiver.received.withLock { $0 }
    try expect(hasClosed(), "project.closed did not arrive (\(received.count) deliveries)")
    try expect(Receiver.refused.withLock { $0 } == 0, "a delivery failed verification")
    // A tampered body is refused by the verifier.
    let verifier = try WebhookVerifier(secret: endpoint.secret ?? "")
    let headers = ["webhook-id": "msg_1", "webhook-timestamp": "\(Int(Date().timeIntervalSince1970))"]
    let signatureOfOther = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    try expect(
        (try? verifier.verify(headers: headers.merging(["webhook-signature": signatureOfOther]) { $1 }, body: [1]))
            == nil, "a forged signature was accepted")
    try await server.close()
    step("\(received.count) webhooks received and verified, the last project.closed; a forged one refused")
}

extension Optional {
    fileprivate func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw Failed(description: message) }
        return self
    }
}

func require<T>(_ value: T?, _ message: String) throws -> T { try value.orThrow(message) }

let arguments = CommandLine.arguments
guard arguments.count == 3, let url = URL(string: arguments[1]) else {
    print("usage: briefd-walkthrough URL OPERATOR_TOKEN")
    exit(2)
}
do {
    try await walkthrough(url: url, operatorToken: arguments[2])
    print("swift client walk-through: passed")
} catch {
    print("swift client walk-through: FAILED: \(Briefd.problem(error).map { "\($0)" } ?? "\(error)")")
    exit(1)
}
