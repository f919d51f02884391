import Foundation
import Testing

/// No secret is at rest in clear: answers kept for an `Idempotency-Key` that carry an API key's token or a webhook
/// signing secret are sealed, so a `pg_dump` of the database holds none of them, and a replay still returns them.
@Suite("Secrets at rest")
struct SecretsAtRestTests {
    @Test("after keys, endpoints and rotations made with idempotency keys, pg_dump holds no token and no secret")
    func dumpHoldsNoSecret() async throws {
        try await withServer { s in
            var secrets: [String] = []
            func post(_ path: String, _ token: String, _ json: String, key: String) async throws -> Reply {
                let first = try await s.call(.POST, path, token: token, json: json, headers: [("Idempotency-Key", key)])
                try #require((200..<300).contains(first.status), "\(path): \(first.text)")
                // The replay opens the sealed answer: the same secret comes back.
                let again = try await s.call(.POST, path, token: token, json: json, headers: [("Idempotency-Key", key)])
                #expect(again.status == first.status && again.text == first.text, "\(path) replay: \(again.text)")
                #expect(again.headers["Idempotent-Replayed"].first == "true")
                return first
            }
            let created = try await post(
                "/v1/organizations", TestEnvironment.operatorToken, #"{"name":"Velo","kind":"brand"}"#, key: "org-1")
            let admin = try #require((created["api_key"] as? [String: Any])?["token"] as? String)
            secrets.append(admin)
            let key = try await post("/v1/api-keys", admin, #"{"name":"Ops","role":"manager"}"#, key: "key-1")
            secrets.append(try #require(key["token"] as? String))
            let endpoint = try await post(
                "/v1/webhook-endpoints", admin, #"{"url":"http://127.0.0.1:9/hook"}"#, key: "endpoint-1")
            secrets.append(try #require(endpoint["secret"] as? String))
            let id = try #require(endpoint["id"] as? String)
            let rotated = try await post("/v1/webhook-endpoints/\(id)/rotate-secret", admin, "{}", key: "rotate-1")
            secrets.append(try #require(rotated["secret"] as? String))
            #expect(secrets.count == 4 && secrets.allSatisfy { $0.count >= 24 })

            let dump = try pgDump(s.url)
            #expect(dump.contains("idempotency_keys"), "the dump is not of this database")
            for secret in secrets {
                let inClear = dump.contains(secret)
                #expect(!inClear, "a secret is in the dump in clear")
                // Nor in a bytea column, which pg_dump writes as hex.
                let hex = secret.utf8.map { String(format: "%02x", $0) }.joined()
                let inHex = dump.contains(hex)
                #expect(!inHex, "a secret is in the dump in hex")
            }

            // A sealed answer that cannot be opened (the secret key changed) is a clear 409, not a 500.
            _ = try await s.sql("UPDATE idempotency_keys SET body = '\\x00' WHERE key = 'key-1'")
            let lost = try await s.call(
                .POST, "/v1/api-keys", token: admin, json: #"{"name":"Ops","role":"manager"}"#,
                headers: [("Idempotency-Key", "key-1")])
            #expect(lost.status == 409 && lost.code == "idempotency_replay_unavailable", "\(lost.text)")
        }
    }

    /// The database as `pg_dump --data-only` writes it.
    func pgDump(_ url: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pg_dump", "--data-only", "--no-owner", url]
        let out = Pipe()
        let errors = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "pg_dump failed: \(problem)")
        return String(decoding: data, as: UTF8.self)
    }
}
