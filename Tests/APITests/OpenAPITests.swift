import API
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Storage
import Testing
import Webhooks
import Workflow

/// Runs a Python tool from the project's virtual environment.
func runVenvTool(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let path = TestEnvironment.repositoryRoot.appendingPathComponent(".venv/bin/\(tool)").path
    try #require(
        FileManager.default.isExecutableFile(atPath: path), "run scripts/venv (scripts/test does) to install \(tool)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

@Suite("The OpenAPI document")
struct OpenAPITests {
    static var documentPath: String {
        TestEnvironment.repositoryRoot.appendingPathComponent("Sources/API/Resources/openapi.json").path
    }

    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: documentPath))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("the document validates as OpenAPI 3.1")
    func validates() throws {
        let (status, output) = try runVenvTool("python", ["-m", "openapi_spec_validator", Self.documentPath])
        #expect(status == 0, "\(output)")
        #expect(output.contains("OK"))
        // Every example validates against the schema that carries it; every schema has one (but the union of the
        // webhook payloads, whose variants each have theirs).
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/check_examples.py").path
        let (examplesStatus, examples) = try runVenvTool("python", [script, Self.documentPath])
        #expect(examplesStatus == 0, "\(examples)")
        let schemas = try #require((try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        for (name, schema) in schemas where (schema as? [String: Any])?["oneOf"] == nil {
            #expect(((schema as? [String: Any])?["examples"] as? [Any])?.isEmpty == false, "\(name) has an example")
        }
    }

    @Test("the router's routes and the document's operations are the same set")
    func routesMatchDocument() throws {
        let client = PostgresClient(
            configuration: .init(host: "127.0.0.1", username: "unused", password: nil, database: nil, tls: .disable))
        let db = Database(client: client, logger: TestEnvironment.logger)
        let readiness = ReadinessMonitor(db: db, migrator: Migrator(migrations: [], logger: TestEnvironment.logger))
        let router = BriefdRouter.build(
            AppDependencies(
                db: db, readiness: readiness, adminToken: nil, secretBox: try SecretBox(secretKey: testSecretKey),
                addressPolicy: AddressPolicy(allowPrivate: false), logger: TestEnvironment.logger))
        // The router has one route per scope for the actions (`…/actions/{action}`); the document one operation per
        // action, so a generated client has a method and a body type for each: the route stands for every action
        // of its scope requested by name (comments have routes of their own).
        var registered = Set<String>()
        for route in router.routes {
            let path = "\(route.path)"
            guard path.hasSuffix("/actions/{action}") || path.hasSuffix("/actions/:action") else {
                registered.insert("\(route.method.rawValue) \(Self.normalize(path))")
                continue
            }
            let scope: ActionScope = path.contains("task_id") ? .task : .project
            for spec in WorkflowDefinition.actions
            where spec.requestable && !spec.isConversation && spec.action != .create && spec.scope == scope {
                let concrete = path.replacingOccurrences(of: "{action}", with: spec.action.rawValue)
                    .replacingOccurrences(of: ":action", with: spec.action.rawValue)
                registered.insert("\(route.method.rawValue) \(Self.normalize(concrete))")
            }
        }
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, operations) in paths {
            for method in operations.keys { documented.insert("\(method.uppercased()) \(Self.normalize(path))") }
        }
        #expect(registered.subtracting(documented).sorted() == [], "routes missing from the document")
        #expect(documented.subtracting(registered).sorted() == [], "documented operations the router does not have")
        #expect(registered.count >= 25)
    }

    @Test("each action is its own operation, with its own body schema; events carry a discriminator on type")
    func operationPerAction() throws {
        let doc = try Self.document()
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
        var ids = Set<String>()
        for spec in WorkflowDefinition.actions
        where spec.requestable && !spec.isConversation && spec.action != .create {
            let path =
                spec.scope == .task
                ? "/v1/projects/{id}/tasks/{task_id}/actions/\(spec.action.rawValue)"
                : "/v1/projects/{id}/actions/\(spec.action.rawValue)"
            let op = try #require(paths[path]?["post"] as? [String: Any], "\(path) is documented")
            let id = try #require(op["operationId"] as? String)
            #expect(ids.insert(id).inserted, "\(id) is unique")
            let body = (op["requestBody"] as? [String: Any]).flatMap {
                (($0["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
            }
            let ref = try #require(body?["$ref"] as? String, "\(path) names one body schema, not a oneOf")
            #expect(schemas[String(ref.split(separator: "/").last ?? "")] != nil, "\(ref) exists")
        }
        let payload = try #require(schemas["WebhookPayload"] as? [String: Any])
        let discriminator = try #require(payload["discriminator"] as? [String: Any])
        #expect(discriminator["propertyName"] as? String == "type")
        let mapped = Set((discriminator["mapping"] as? [String: String] ?? [:]).keys)
        #expect(mapped == Set(WorkflowDefinition.eventTypes))
        for body in ["Body_CreateWebhookEndpoint", "Body_UpdateWebhookEndpoint"] {
            let types =
                (((schemas[body] as? [String: Any])?["properties"] as? [String: Any])?["event_types"]
                as? [String: Any])?["items"] as? [String: Any]
            #expect(Set(types?["enum"] as? [String] ?? []) == mapped, "\(body) subscribes to every event type")
        }
        let event = try #require((schemas["Event"] as? [String: Any])?["properties"] as? [String: Any])
        let feedTypes = Set(((event["type"] as? [String: Any])?["enum"] as? [String]) ?? [])
        #expect(feedTypes == mapped, "the feed's event types are every type the engine emits")
    }

    /// `/v1/projects/{id}` and `/v1/projects/:id` both become `/v1/projects/{}`.
    static func normalize(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { part -> String in
            part.hasPrefix("{") || part.hasPrefix(":") ? "{}" : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    @Test("every problem code the API uses is in the document, and every event type has a webhook")
    func codesAndWebhooks() throws {
        let doc = try Self.document()
        let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let problem = try #require(schemas["Problem"] as? [String: Any])
        let codes = Set(
            ((problem["properties"] as? [String: Any])?["code"] as? [String: Any])?["enum"] as? [String] ?? [])
        // Every code the daemon can answer (one enum: Problem.Code), and no other.
        #expect(codes == Set(Problem.Code.allCases.map(\.rawValue)))
        let webhooks = Set((doc["webhooks"] as? [String: Any])?.keys.map { $0 } ?? [])
        #expect(webhooks == Set(Workflow.WorkflowDefinition.eventTypes))
    }

    @Test("the daemon serves the same document")
    func served() async throws {
        try await withServer { s in
            let r = try await s.call(.GET, "/openapi.json")
            #expect(r.status == 200)
            #expect(r.body == Array(try Data(contentsOf: URL(fileURLWithPath: Self.documentPath))))
        }
    }
}
