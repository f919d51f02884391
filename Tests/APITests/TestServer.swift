import API
import AsyncHTTPClient
import BriefdApp
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ServiceLifecycle
import Storage
import Synchronization
import Testing
import Webhooks
import Workflow

/// The PostgreSQL server the test command started (`scripts/test` exports it).
enum TestEnvironment {
    static var adminURL: String {
        ProcessInfo.processInfo.environment["BRIEFD_TEST_DATABASE_URL"]
            ?? "postgres://postgres@127.0.0.1:54329/postgres"
    }
    static let operatorToken = "test-operator-token-0123456789"
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
    /// The migrations the daemon carries, as `briefd serve` applies them.
    static func migrations() throws -> [Migration] { try Migration.bundled() }

    static var logger: Logger {
        var l = Logger(label: "briefd.test")
        l.logLevel =
            ProcessInfo.processInfo.environment["BRIEFD_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            ?? .critical
        return l
    }
}

/// Runs `body` with a PostgresClient that is running.
func withClient<T: Sendable>(
    _ url: String, maxConnections: Int = 4, _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let settings = try DatabaseSettings(url: url)
    let client = PostgresClient(
        configuration: settings.clientConfiguration(maxConnections: maxConnections),
        backgroundLogger: TestEnvironment.logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// A fresh database of its own, migrated, with a `Database` on it (30 s deadline); `url` serves a client of one's own.
func withMigratedDatabase<T: Sendable>(_ body: @Sendable (_ url: String, _ db: Database) async throws -> T)
    async throws -> T
{
    try await withFreshDatabase { url in
        try await withClient(url) { client in
            try await Migrator(migrations: try TestEnvironment.migrations(), logger: TestEnvironment.logger)
                .migrate(client)
            return try await body(url, Database(client: client, logger: TestEnvironment.logger, deadline: .seconds(30)))
        }
    }
}

/// A fresh, empty database of its own, dropped afterwards, so suites run in parallel.
func withFreshDatabase<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
    let name = "briefd_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    let admin = TestEnvironment.adminURL
    try await withClient(admin) { c in
        try await c.query("CREATE DATABASE \(unescaped: name)", logger: TestEnvironment.logger).run()
    }
    let url = admin.replacingOccurrences(of: #"/[^/?]*(\?.*)?$"#, with: "/\(name)$1", options: .regularExpression)
    do {
        let result = try await body(url)
        try? await withClient(admin) { c in
            try await c.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: TestEnvironment.logger)
                .run()
        }
        return result
    } catch {
        try? await withClient(admin) { c in
            try await c.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: TestEnvironment.logger)
                .run()
        }
        throw error
    }
}

/// A reply from the daemon, parsed.
struct Reply: @unchecked Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    subscript(key: String) -> Any? { object[key] }
    var code: String? { object["code"] as? String }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A live briefd (real sockets) on a fresh migrated database.
struct TestServer: Sendable {
    let port: Int
    let db: Database
    /// The database's URL, for tools run against it (pg_dump).
    var url = ""
    /// The brands `organization` made, whose rosters its agencies join (the fixture's brands chose them all).
    let brands = Brands()

    final class Brands: Sendable {
        private let made = Mutex<[Org]>([])
        func add(_ org: Org) { made.withLock { $0.append(org) } }
        var all: [Org] { made.withLock { $0 } }
    }

    /// The client of every test request: it does not follow redirects, so a test sees the console's 303s (and
    /// the cookie a 303 sets). It lives as long as the test process.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        // Tests race up to fifty requests at one daemon: twice the default connections, so fewer wait for one here.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends a request over HTTP.
    func call(
        _ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil, body: [UInt8]? = nil,
        headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (n, v) in headers { request.headers.add(name: n, value: v) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    /// Runs SQL directly against the server's database.
    @discardableResult
    func sql(_ query: PostgresQuery) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await db.client.query(query, logger: db.logger) { rows.append(row) }
        return rows
    }

    func scalar<T: PostgresDecodable>(_ query: PostgresQuery, as: T.Type = T.self) async throws -> T {
        let rows = try await sql(query)
        return try rows[0].decode(T.self)
    }
}

/// A dispatcher configuration for tests: private addresses allowed (receivers run on loopback), a compressed schedule.
func testDispatch(
    schedule: [Double] = [0.2, 0.2, 0.2], timeout: Duration = .seconds(3), pause: Duration = .milliseconds(200)
) -> DispatcherConfiguration {
    var c = DispatcherConfiguration()
    c.failurePause = pause
    c.addressPolicy = AddressPolicy(allowPrivate: true)
    c.retryPolicy = RetryPolicy(schedule: schedule, jitter: 0)
    c.requestTimeout = timeout
    c.pollInterval = .milliseconds(200)
    return c
}

/// The secret key tests seal webhook secrets with.
let testSecretKey = "test-secret-key-0123456789abcdefghijklmnop"

/// Starts briefd on port 0 over a fresh database — built by `buildApplication`, the function `briefd serve`
/// uses, so the tests run the daemon users run (migrate-on-start, housekeeper, dispatcher and all) — waits until
/// it is ready, and runs `body` against it. `TestServer.db` is a pool of the test's own on the same database.
func withServer<T: Sendable>(
    dispatch: DispatcherConfiguration = testDispatch(), logger: Logger = TestEnvironment.logger,
    rateLimiter: RateLimiter? = nil, authFailureLimiter: RateLimiter? = nil, console: Bool = true,
    configure: @Sendable (inout DaemonConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestServer) async throws -> T
) async throws -> T {
    try await withFreshDatabase { url in
        try await withServer(
            on: url, dispatch: dispatch, logger: logger, rateLimiter: rateLimiter,
            authFailureLimiter: authFailureLimiter, console: console, configure: configure, body)
    }
}

/// Starts briefd on the database at `url` (a restart: what an earlier daemon left there stays).
func withServer<T: Sendable>(
    on url: String, dispatch: DispatcherConfiguration = testDispatch(), logger: Logger = TestEnvironment.logger,
    rateLimiter: RateLimiter? = nil, authFailureLimiter: RateLimiter? = nil, console: Bool = true,
    configure: @Sendable (inout DaemonConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestServer) async throws -> T
) async throws -> T {
    var config = DaemonConfiguration(
        database: try DatabaseSettings(url: url), secretKey: testSecretKey,
        migrations: try TestEnvironment.migrations(),
        logger: logger)
    config.port = 0
    // A hundred servers run at once in the suite: each gets a smaller pool than a daemon's default 20, so
    // together they stay under the test server's max_connections.
    config.maxDBConnections = 8
    config.adminToken = TestEnvironment.operatorToken
    config.dispatch = dispatch
    config.rateLimiter = rateLimiter
    config.authFailureLimiter = authFailureLimiter
    config.console = console
    config.readinessInterval = .milliseconds(200)
    configure(&config)
    let app = try buildApplication(config)
    return try await app.test(.live) { client in
        let port = try #require(client.port)
        return try await withClient(url) { pg in
            let server = TestServer(port: port, db: Database(client: pg, logger: logger), url: url)
            try await server.waitUntilReady()
            return try await body(server)
        }
    }
}

extension TestServer {
    /// Waits for `GET /readyz` to answer 200 (migrations applied), as a load balancer would.
    func waitUntilReady() async throws {
        for _ in 0..<100 {
            if (try? await call(.GET, "/readyz"))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the daemon did not become ready in 10 s")
        throw CancellationError()
    }
}

/// An organization with its admin token.
struct Org: Sendable {
    var id: String
    var token: String
}

/// Helpers that drive the API as users would.
extension TestServer {
    /// An organization made by the operator. An agency joins the roster of every brand made before it (the brand
    /// invites, the agency accepts), unless `onRosters` is false: the fixture's brands chose their agencies.
    func organization(_ name: String, _ kind: String, onRosters: Bool = true) async throws -> Org {
        let r = try await call(
            .POST, "/v1/organizations", token: TestEnvironment.operatorToken,
            json: #"{"name":"\#(name)","kind":"\#(kind)"}"#)
        try #require(r.status == 201, "\(r.text)")
        let org = try #require(r["organization"] as? [String: Any])
        let key = try #require(r["api_key"] as? [String: Any])
        let made = Org(id: org["id"] as! String, token: key["token"] as! String)
        if kind == "brand" { brands.add(made) }
        if kind == "agency", onRosters {
            for brand in brands.all { try await roster(brand, made) }
        }
        return made
    }

    /// Puts `agency` on `brand`'s roster: the brand invites, the agency accepts.
    func roster(_ brand: Org, _ agency: Org) async throws {
        let invited = try await call(
            .POST, "/v1/agency-relationships", token: brand.token, json: #"{"agency_id":"\#(agency.id)"}"#)
        try #require(invited.status == 201, "\(invited.text)")
        let relationship = try #require(invited["relationship"] as? [String: Any])
        guard relationship["state"] as? String != "active" else { return }
        let accepted = try await call(
            .POST, "/v1/agency-relationships/\(relationship["id"] as! String)/accept", token: agency.token, json: "{}")
        try #require(accepted.status == 200, "\(accepted.text)")
    }

    func key(_ org: Org, role: String) async throws -> String {
        let r = try await call(
            .POST, "/v1/api-keys", token: org.token, json: #"{"name":"\#(role) key","role":"\#(role)"}"#)
        try #require(r.status == 201, "\(r.text)")
        return r["token"] as! String
    }

    static let strategy = """
        {"objectives":["Grow sign-ups in Lyon"],"audience":"Urban cyclists 25-40","channels":["social","outdoor"],
         "budget":{"amount_minor":5000000,"currency":"EUR"},
         "kpis":[{"key":"signups","name":"Sign-ups","target":1000,"unit":"count","comparator":"gte"},
                 {"key":"cpa","name":"Cost per acquisition","target":20,"unit":"EUR","comparator":"lte"}]}
        """

    func project(_ brand: Org, title: String = "Spring launch") async throws -> String {
        let r = try await call(
            .POST, "/v1/projects", token: brand.token, json: #"{"title":"\#(title)","strategy":\#(Self.strategy)}"#)
        try #require(r.status == 201, "\(r.text)")
        return r["id"] as! String
    }

    @discardableResult
    func act(
        _ token: String, _ project: String, _ action: String, task: String? = nil, json: String = "{}",
        headers: [(String, String)] = [], expect status: Int = 200
    ) async throws -> Reply {
        let path =
            task.map { "/v1/projects/\(project)/tasks/\($0)/actions/\(action)" }
            ?? "/v1/projects/\(project)/actions/\(action)"
        let r = try await call(.POST, path, token: token, json: json, headers: headers)
        #expect(r.status == status, "\(action): \(r.text)")
        return r
    }

    /// The brand measures a project whose tasks are approved and closes it: KPIs met, 43,210.00 spent,
    /// 98,765.00 earned (figures the visibility checks look for on an agency's pages).
    func measureAndClose(_ brand: Org, _ project: String) async throws {
        try await act(brand.token, project, "start_kpi_review")
        try await act(
            brand.token, project, "record_kpi_results",
            json: #"{"results":{"signups":1200,"cpa":18},"spend_minor":4321000,"revenue_minor":9876500}"#)
        try await act(brand.token, project, "close")
    }

    func addTask(_ brand: Org, _ project: String, agency: Org, title: String) async throws -> String {
        let r = try await act(
            brand.token, project, "add_task",
            json: #"{"agency_id":"\#(agency.id)","title":"\#(title)","description":"Details"}"#)
        let tasks = try #require(r["tasks"] as? [[String: Any]])
        return tasks.last!["id"] as! String
    }

    /// The project's version and history length, to check that a refusal changed nothing.
    func fingerprint(_ project: String) async throws -> [Int] {
        let rows = try await sql(
            """
            SELECT version, (SELECT count(*)::int FROM transitions WHERE project_id = p.id), (SELECT
            count(*)::int FROM events WHERE project_id = p.id) FROM projects p WHERE id = \(UUID(uuidString: project)!)
            """
        )
        let (v, h, e) = try rows[0].decode((Int, Int, Int).self)
        return [v, h, e]
    }

    /// The project's whole history as `token` sees it, read page by page (`limit` entries a page).
    func history(_ token: String, _ project: String, limit: Int = 100) async throws -> [[String: Any]] {
        var entries: [[String: Any]] = []
        var after = 0
        while true {
            let r = try await call(.GET, "/v1/projects/\(project)/history?limit=\(limit)&after=\(after)", token: token)
            try #require(r.status == 200, "\(r.text)")
            entries += r["data"] as? [[String: Any]] ?? []
            after = try #require(r["next_cursor"] as? Int)
            if r["has_more"] as? Bool != true { return entries }
        }
    }
}
