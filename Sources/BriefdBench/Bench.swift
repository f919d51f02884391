// briefd-bench: drives a running briefd with many projects walking their whole lifecycle, with a
// webhook endpoint per organization pointing at its own receiver, and prints one JSON summary.
// Used by scripts/bench (throughput, latency, webhook latency) and scripts/faults (what was
// acknowledged and what arrived, to prove nothing is lost).
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

struct Options {
    var url = "http://127.0.0.1:8080"
    var operatorToken = ""
    var clients = 8
    var seconds = 10.0
    var rate: Double = 0  // total transitions per second; 0 = as fast as possible
    var brands = 8
    var drainSeconds = 30.0
    var drainQuiet = 1.0  // stop draining after this long without a new arrival
    var ackFile: String?  // where acknowledged transitions are written (one per line)
    var receivedFile: String?  // where received webhook ids are written
    var webhooks = true
    var tolerateErrors = false  // fault runs: connection errors are expected while the daemon restarts
    var loop: String?  // "update_strategy": each client repeats one transition on its own project
    var urls: [String] = []  // more daemons: clients spread over them (--urls a,b,c)
    var extraEndpoints: [String] = []  // every brand also subscribes these URLs (misbehaving receivers)
    var receiverDelayMs = 0  // the receiver holds each call this long (widens the window for overlaps)
    var replayDrain = false  // after the run: replay every endpoint's events at once and time the backlog's delivery

    static func parse() -> Options {
        var o = Options()
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            let v = { args.next() ?? "" }
            switch a {
            case "--url": o.url = v()
            case "--operator-token": o.operatorToken = v()
            case "--clients": o.clients = Int(v()) ?? 8
            case "--seconds": o.seconds = Double(v()) ?? 10
            case "--rate": o.rate = Double(v()) ?? 0
            case "--brands": o.brands = Int(v()) ?? 8
            case "--drain-seconds": o.drainSeconds = Double(v()) ?? 30
            case "--drain-quiet": o.drainQuiet = Double(v()) ?? 1
            case "--ack-file": o.ackFile = v()
            case "--received-file": o.receivedFile = v()
            case "--no-webhooks": o.webhooks = false
            case "--tolerate-errors": o.tolerateErrors = true
            case "--loop": o.loop = v()
            case "--urls": o.urls = v().split(separator: ",").map(String.init)
            case "--extra-endpoint": o.extraEndpoints.append(v())
            case "--receiver-delay-ms": o.receiverDelayMs = Int(v()) ?? 0
            case "--replay-drain": o.replayDrain = true
            default:
                FileHandle.standardError.write(Data("briefd-bench: unknown option \(a)\n".utf8))
                exit(2)
            }
        }
        if o.urls.isEmpty { o.urls = [o.url] } else { o.url = o.urls[0] }
        return o
    }
}

/// Thread-safe collection of measurements.
final class Stats: Sendable {
    struct State {
        var latencies: [Double] = []  // seconds, applied transitions
        var statuses: [Int: Int] = [:]
        var errors = 0
        /// The longest any request waited for its answer, whatever the status.
        var slowestAnswer: Double = 0
        var acknowledged: [String] = []  // "project_id version action"
        var transitions = 0  // applied, counting automatic ones
        var webhookLatencies: [Double] = []
        var received: Set<String> = []
        var receivedTotal = 0
        var inFlight: [String: Int] = [:]  // "endpoint webhook-id" → calls in flight now
        var concurrentDuplicates = 0  // a call arrived while the same delivery was still in flight
    }
    let state = Mutex(State())
}

/// Spreads requests evenly when a total rate is asked for.
final class Pacer: Sendable {
    let interval: Double
    let next = Mutex(0.0)
    let start = Date()
    init(rate: Double) { interval = rate > 0 ? 1 / rate : 0 }
    func wait() async {
        guard interval > 0 else { return }
        let slot = next.withLock { n -> Double in
            let s = n
            n += interval
            return s
        }
        let delay = slot - Date().timeIntervalSince(start)
        if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
    }
}

struct Client: Sendable {
    let http: HTTPClient
    let base: String

    func call(_ method: HTTPMethod, _ path: String, token: String, body: String = "{}") async throws -> (
        Int, [String: Any]
    ) {
        var r = HTTPClientRequest(url: base + path)
        r.method = method
        r.headers.add(name: "Authorization", value: "Bearer \(token)")
        if method == .POST {
            r.body = .bytes(ByteBuffer(string: body))
            r.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await http.execute(r, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }
}

struct Org: Sendable {
    var id: String
    var token: String
}

let strategy =
    #"{"objectives":["Grow sign-ups"],"audience":"Cyclists","channels":["social"],"#
    + #""budget":{"amount_minor":5000000,"currency":"EUR"},"#
    + #""kpis":[{"key":"signups","name":"Sign-ups","target":1000,"unit":"count","comparator":"gte"}]}"#

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}

@main
struct Bench {
    static func main() async throws {
        let o = Options.parse()
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let stats = Stats()
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(64, o.clients * 2))
        config.timeout = .init(connect: .seconds(2))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        let client = Client(http: http, base: o.url)
        let clients = o.urls.map { Client(http: http, base: $0) }

        // The receiver: records arrival latency (from the event's timestamp) and webhook ids.
        let router = Router()
        @Sendable func receive(_ request: Request, tag: String) async throws -> Response {
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let now = Date()
            let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
            let key = "\(tag) \(id)"
            stats.state.withLock { s in
                if s.inFlight[key, default: 0] > 0 { s.concurrentDuplicates += 1 }
                s.inFlight[key, default: 0] += 1
            }
            if o.receiverDelayMs > 0 { try? await Task.sleep(for: .milliseconds(o.receiverDelayMs)) }
            stats.state.withLock { s in
                s.inFlight[key, default: 1] -= 1
                if s.inFlight[key] == 0 { s.inFlight[key] = nil }
            }
            var latency: Double?
            if let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                let ts = json["timestamp"] as? String,
                let t = try? Date(ts, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            {
                latency = now.timeIntervalSince(t)
            }
            stats.state.withLock { s in
                s.receivedTotal += 1
                s.received.insert(id)
                if let latency { s.webhookLatencies.append(latency) }
            }
            return Response(status: .noContent)
        }
        router.post("/hook") { request, _ in try await receive(request, tag: "") }
        router.post("/hook/{tag}") { request, context in
            try await receive(request, tag: context.parameters.get("tag") ?? "")
        }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let receiver = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) }, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await receiver.run() }
            var it = ports.makeAsyncIterator()
            let rport = await it.next() ?? 0

            // Organizations: brands, each with two agencies; every organization has an endpoint.
            func org(_ name: String, _ kind: String) async throws -> Org {
                for _ in 0..<50 {
                    if let (s, j) = try? await client.call(
                        .POST, "/v1/organizations", token: o.operatorToken,
                        body: #"{"name":"\#(name)","kind":"\#(kind)"}"#), s == 201,
                        let org = j["organization"] as? [String: Any], let key = j["api_key"] as? [String: Any]
                    {
                        let made = Org(id: org["id"] as! String, token: key["token"] as! String)
                        if o.webhooks {
                            _ = try await client.call(
                                .POST, "/v1/webhook-endpoints", token: made.token,
                                body: #"{"url":"http://127.0.0.1:\#(rport)/hook/\#(made.id)"}"#)
                            for extra in o.extraEndpoints where kind == "brand" {
                                _ = try await client.call(
                                    .POST, "/v1/webhook-endpoints", token: made.token, body: #"{"url":"\#(extra)"}"#)
                            }
                        }
                        return made
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
                throw CancellationError()
            }
            // Each agency joins its brand's roster (the brand invites, the agency accepts); a build without a
            // roster answers 404 and needs none (bench-ab runs earlier builds too).
            func roster(_ brand: Org, _ agency: Org) async throws {
                let (status, answer) = try await client.call(
                    .POST, "/v1/agency-relationships", token: brand.token, body: #"{"agency_id":"\#(agency.id)"}"#)
                guard status == 201, let r = answer["relationship"] as? [String: Any], let id = r["id"] as? String
                else { return }
                if r["state"] as? String != "active" {
                    _ = try await client.call(.POST, "/v1/agency-relationships/\(id)/accept", token: agency.token)
                }
            }
            var teams: [(Org, Org, Org)] = []
            for b in 0..<o.brands {
                let team = (
                    try await org("Brand \(b)", "brand"), try await org("Agency \(b)a", "agency"),
                    try await org("Agency \(b)b", "agency")
                )
                try await roster(team.0, team.1)
                try await roster(team.0, team.2)
                teams.append(team)
            }
            let pacer = Pacer(rate: o.rate)
            let deadline = Date().addingTimeInterval(o.seconds)
            let started = Date()

            // One step: send until applied (or refused by a state it already reached: a retry after a lost answer).
            func step(_ client: Client, _ token: String, _ path: String, _ body: String, _ action: String) async
                -> [String: Any]?
            {
                while Date() < deadline.addingTimeInterval(o.tolerateErrors ? 30 : 0) {
                    await pacer.wait()
                    let t0 = Date()
                    do {
                        let (status, json) = try await client.call(.POST, path, token: token, body: body)
                        let dt = Date().timeIntervalSince(t0)
                        stats.state.withLock { s in
                            s.slowestAnswer = max(s.slowestAnswer, dt)
                            s.statuses[status, default: 0] += 1
                            if status / 100 == 2 {
                                s.latencies.append(dt)
                                s.transitions += 1
                                s.acknowledged.append(
                                    "\(json["id"] as? String ?? "") \(json["version"] as? Int ?? 0) \(action)")
                            }
                        }
                        if status / 100 == 2 { return json }
                        if status == 409 || status == 422 || status == 404 { return nil }  // state already moved on
                        try? await Task.sleep(for: .milliseconds(100))
                    } catch {
                        stats.state.withLock { $0.errors += 1 }
                        if !o.tolerateErrors { return nil }
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                }
                return nil
            }

            await withTaskGroup(of: Void.self) { workers in
                for w in 0..<o.clients {
                    let (brand, a1, a2) = teams[w % teams.count]
                    let client = clients[w % clients.count]
                    workers.addTask {
                        if o.loop == "update_strategy" {
                            // The ceiling workload: one transition repeated on the client's own project.
                            guard
                                let (status, p) = try? await client.call(
                                    .POST, "/v1/projects", token: brand.token,
                                    body: #"{"title":"Loop","strategy":\#(strategy)}"#),
                                status == 201, let pid = p["id"] as? String
                            else { return }
                            while Date() < deadline {
                                _ = await step(
                                    client, brand.token, "/v1/projects/\(pid)/actions/update_strategy",
                                    #"{"strategy":\#(strategy)}"#, "update_strategy")
                            }
                            return
                        }
                        while Date() < deadline {
                            guard
                                let p = await step(
                                    client, brand.token, "/v1/projects", #"{"title":"Bench","strategy":\#(strategy)}"#,
                                    "create"),
                                let pid = p["id"] as? String
                            else { continue }
                            let base = "/v1/projects/\(pid)"
                            guard
                                let t1p = await step(
                                    client, brand.token, base + "/actions/add_task",
                                    #"{"agency_id":"\#(a1.id)","title":"Video","description":""}"#, "add_task"),
                                let t1 = (t1p["tasks"] as? [[String: Any]])?.last?["id"] as? String,
                                let t2p = await step(
                                    client, brand.token, base + "/actions/add_task",
                                    #"{"agency_id":"\#(a2.id)","title":"Media","description":""}"#, "add_task"),
                                let t2 = (t2p["tasks"] as? [[String: Any]])?.last?["id"] as? String
                            else { continue }
                            _ = await step(client, brand.token, base + "/actions/issue_brief", "{}", "issue_brief")
                            _ = await step(client, a1.token, base + "/tasks/\(t1)/actions/accept", "{}", "accept")
                            if await step(client, a2.token, base + "/tasks/\(t2)/actions/accept", "{}", "accept") != nil
                            {
                                stats.state.withLock { $0.transitions += 1 }  // start_delivery, by the system
                            }
                            let delivery = #"{"summary":"Done","links":["https://cdn.example.com/x"]}"#
                            _ = await step(
                                client, a1.token, base + "/tasks/\(t1)/actions/submit_delivery", delivery,
                                "submit_delivery")
                            _ = await step(
                                client, a2.token, base + "/tasks/\(t2)/actions/submit_delivery", delivery,
                                "submit_delivery")
                            _ = await step(client, brand.token, base + "/tasks/\(t1)/actions/approve", "{}", "approve")
                            _ = await step(client, brand.token, base + "/tasks/\(t2)/actions/approve", "{}", "approve")
                            _ = await step(
                                client, brand.token, base + "/actions/start_kpi_review", "{}", "start_kpi_review")
                            _ = await step(
                                client, brand.token, base + "/actions/record_kpi_results",
                                #"{"results":{"signups":1200},"spend_minor":100,"revenue_minor":300}"#,
                                "record_kpi_results")
                            _ = await step(client, brand.token, base + "/actions/close", "{}", "close")
                        }
                    }
                }
            }
            let elapsed = Date().timeIntervalSince(started)

            // Let the outbox drain: wait until arrivals stop growing.
            var last = -1
            var quietSince = Date()
            let drainUntil = Date().addingTimeInterval(o.drainSeconds)
            while Date() < drainUntil {
                try await Task.sleep(for: .milliseconds(250))
                let n = stats.state.withLock { $0.receivedTotal }
                if n != last {
                    last = n
                    quietSince = Date()
                }
                if n > 0 && Date().timeIntervalSince(quietSince) >= o.drainQuiet { break }
            }
            // The dispatcher's sustained rate: queue a replay of every event on every endpoint at once, and
            // time the arrivals at the receiver (it answers at once).
            var replay: [String: Any] = [:]
            if o.replayDrain {
                let before = stats.state.withLock { $0.receivedTotal }
                let window = #"{"since":"2000-01-01T00:00:00Z","until":"2100-01-01T00:00:00Z"}"#
                var queued = 0
                let t0 = Date()
                for (b, a1, a2) in teams {
                    for org in [b, a1, a2] {
                        let (_, list) = try await client.call(.GET, "/v1/webhook-endpoints", token: org.token)
                        for e in list["data"] as? [[String: Any]] ?? [] {
                            let (_, r) = try await client.call(
                                .POST, "/v1/webhook-endpoints/\(e["id"] as? String ?? "")/replay", token: org.token,
                                body: window)
                            queued += r["queued"] as? Int ?? 0
                        }
                    }
                }
                var arrived = 0
                while arrived < queued && Date().timeIntervalSince(t0) < 300 {
                    try await Task.sleep(for: .milliseconds(50))
                    arrived = stats.state.withLock { $0.receivedTotal } - before
                }
                let seconds = Date().timeIntervalSince(t0)
                replay = [
                    "replay_queued": queued, "replay_arrived": arrived, "replay_seconds": seconds,
                    "replay_deliveries_per_second": Double(arrived) / max(seconds, 0.001),
                ]
            }
            let s = stats.state.withLock { $0 }
            if let f = o.ackFile {
                try s.acknowledged.joined(separator: "\n").appending("\n").write(
                    toFile: f, atomically: true, encoding: .utf8)
            }
            if let f = o.receivedFile {
                try s.received.sorted().joined(separator: "\n").appending("\n").write(
                    toFile: f, atomically: true, encoding: .utf8)
            }
            let summary: [String: Any] = [
                "clients": o.clients, "seconds": elapsed, "requests_applied": s.latencies.count,
                "transitions": s.transitions,
                "transitions_per_second": Double(s.transitions) / elapsed,
                "requests_per_second": Double(s.latencies.count) / elapsed,
                "p50_ms": percentile(s.latencies, 0.5) * 1000, "p99_ms": percentile(s.latencies, 0.99) * 1000,
                "statuses": Dictionary(uniqueKeysWithValues: s.statuses.map { (String($0.key), $0.value) }),
                "errors": s.errors, "slowest_answer_ms": s.slowestAnswer * 1000,
                "webhooks_received": s.receivedTotal, "webhook_ids": s.received.count,
                "concurrent_duplicates": s.concurrentDuplicates,
                "webhook_p50_ms": percentile(s.webhookLatencies, 0.5) * 1000,
                "webhook_p99_ms": percentile(s.webhookLatencies, 0.99) * 1000,
            ]
            let data = try JSONSerialization.data(
                withJSONObject: summary.merging(replay) { a, _ in a }, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            group.cancelAll()
        }
        try await http.shutdown()
    }
}
