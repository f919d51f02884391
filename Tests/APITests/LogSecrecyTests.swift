import Foundation
import Logging
import Synchronization
import Testing

/// Keeps every log line (message and metadata) of a daemon.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(
            level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
            file: String, function: String, line: UInt
        ) {
            let all = metadata.merging(explicit ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(level) \(message) \(all)") }
        }
    }

    var logger: Logger { Logger(label: "briefd.capture") { _ in Handler(capture: self) } }
}

@Suite("Secrets never reach the logs")
struct LogSecrecyTests {
    @Test("a whole lifecycle logged at trace level contains no token, key or webhook secret")
    func noSecretsLogged() async throws {
        let capture = LogCapture()
        let secrets = try await withReceiver { receiver, port in
            try await withServer(logger: capture.logger) { s in
                let brand = try await s.organization("Velo", "brand")
                let agency = try await s.organization("Studio", "agency")
                let manager = try await s.key(brand, role: "manager")
                let hook = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok")
                let rotated = try await s.call(
                    .POST, "/v1/webhook-endpoints/\(hook.id)/rotate-secret", token: brand.token, json: "{}")
                let p = try await s.project(Org(id: brand.id, token: manager))
                let t = try await s.addTask(brand, p, agency: agency, title: "Video")
                try await s.act(manager, p, "issue_brief")
                try await s.act(agency.token, p, "accept", task: t)
                try await s.act(agency.token, p, "start_kpi_review", expect: 403)
                _ = try await s.call(.GET, "/v1/organizations/me", token: "bfd_not-a-real-key")
                _ = try await receiver.wait { $0.count >= 5 }
                return [
                    brand.token, agency.token, manager, hook.secret, rotated["secret"] as? String ?? "missing",
                    TestEnvironment.operatorToken, testSecretKey,
                ]
            }
        }
        let lines = capture.lines.withLock { $0 }
        #expect(lines.count > 50, "the capture saw the daemon's logs")
        for secret in secrets {
            let key = String(secret.dropFirst(secret.hasPrefix("whsec_") ? 6 : 0))
            #expect(!lines.contains { $0.contains(key) }, "a secret appears in the logs")
        }
    }
}
