import BriefdApp
import Crypto
import Foundation
import Storage
import Testing
import Webhooks

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

/// Changing `BRIEFD_SECRET_KEY` keeps every endpoint delivering: the previous key opens what it sealed, every
/// secret read is sealed again under the new key, and a rotated-out secret no key opens never stops delivery.
@Suite("The secret keyring")
struct KeyringTests {
    static let newKey = "new-secret-key-abcdefghijklmnopqrstuvwxyz0123"

    /// The endpoint's sealed secrets as stored.
    static func sealed(_ s: TestServer, _ id: String) async throws -> (secret: [UInt8], previous: [UInt8]?) {
        let rows = try await s.sql(
            "SELECT secret_sealed, previous_secret_sealed FROM webhook_endpoints WHERE id = \(UUID(uuidString: id)!)")
        let (secret, previous) = try rows[0].decode((Data, Data?).self)
        return (Array(secret), previous.map(Array.init))
    }

    @Test(
        "a new key with the old as previous: deliveries go on signed, secrets sealed again, then the old key can go"
    )
    func keyChangeAcrossRestarts() async throws {
        try await withReceiver { receiver, port in
            try await withFreshDatabase { url in
                let made = try await Self.underTheOldKey(url, port: port)
                try await Self.withBothKeys(url, made, receiver)
                try await Self.withTheNewKeyAlone(url, made, receiver)
                try await Self.resealing(url, made)
            }
        }
    }

    /// What the first daemon made: a brand, its endpoint, and the endpoint's current secret.
    struct Made: Sendable {
        var brand: Org
        var endpoint: String
        var secret: String
    }

    static let rotateKeys: @Sendable (inout DaemonConfiguration) -> Void = {
        $0.secretKey = newKey
        $0.previousSecretKeys = [testSecretKey]
    }

    /// Under the old key: an endpoint, rotated once (its previous secret still signs).
    static func underTheOldKey(_ url: String, port: Int) async throws -> Made {
        try await withServer(on: url) { s in
            let brand = try await s.organization("Velo", "brand")
            let endpoint = try await s.endpoint(brand, url: "http://127.0.0.1:\(port)/ok")
            let rotated = try await s.call(
                .POST, "/v1/webhook-endpoints/\(endpoint.id)/rotate-secret", token: brand.token, json: "{}")
            let secret = try #require(rotated["secret"] as? String)
            return Made(brand: brand, endpoint: endpoint.id, secret: secret)
        }
    }

    /// Restarted with the new key and the old one as previous: deliveries are signed, secrets sealed again.
    static func withBothKeys(_ url: String, _ made: Made, _ receiver: Receiver) async throws {
        let old = try SecretBox(secretKey: testSecretKey)
        let new = try SecretBox(secretKey: newKey)
        let both = try SecretBox(secretKey: newKey, previousKeys: [testSecretKey])
        try await withServer(on: url, configure: rotateKeys) { s in
            let before = try await sealed(s, made.endpoint)
            #expect(try both.openForReseal(before.secret).current == false)
            _ = try await s.project(made.brand, title: "After the key change")
            let got = try await receiver.wait { $0.count >= 1 }
            let verified = try signed(by: made.secret, got)
            #expect(!got.isEmpty && verified.count == got.count, "not signed by the endpoint's secret")
            var stored = try await sealed(s, made.endpoint)
            for _ in 0..<50 where (try? new.open(stored.secret)) == nil {
                try await Task.sleep(for: .milliseconds(100))
                stored = try await sealed(s, made.endpoint)
            }
            #expect((try? new.open(stored.secret)) != nil && (try? old.open(stored.secret)) == nil)
            let previousOpens = stored.previous.map { (try? new.open($0)) != nil }
            #expect(previousOpens == true)
        }
    }

    /// Restarted with the new key alone; then with a rotated-out secret no key opens: delivery goes on.
    static func withTheNewKeyAlone(_ url: String, _ made: Made, _ receiver: Receiver) async throws {
        let newOnly: @Sendable (inout DaemonConfiguration) -> Void = { $0.secretKey = newKey }
        try await withServer(on: url, configure: newOnly) { s in
            _ = try await s.project(made.brand, title: "The old key dropped")
            let got = try await receiver.wait { $0.count >= 2 }
            #expect(try signed(by: made.secret, got).count == 2, "\(got.count) deliveries")
            let garbage = Data((0..<40).map { UInt8($0) })
            _ = try await s.sql(
                """
                UPDATE webhook_endpoints SET previous_secret_sealed = \(garbage)
                WHERE id = \(UUID(uuidString: made.endpoint)!)
                """)
            _ = try await s.project(made.brand, title: "An unreadable previous secret")
            let more = try await receiver.wait { $0.count >= 3 }
            #expect(try signed(by: made.secret, more).count == 3)
            let failed = try await s.scalar(
                "SELECT count(*)::int FROM webhook_attempts WHERE error IS NOT NULL", as: Int.self)
            #expect(failed == 0)
        }
    }

    /// `briefd reseal`'s work, on a value sealed before key ids.
    static func resealing(_ url: String, _ made: Made) async throws {
        let new = try SecretBox(secretKey: newKey)
        let both = try SecretBox(secretKey: newKey, previousKeys: [testSecretKey])
        let key = try #require(WebhookSecret(made.secret))
        let box = try AES.GCM.seal(key.key, using: legacyKey(testSecretKey))
        let legacy = try #require(box.combined)
        try await withServer(on: url, configure: rotateKeys) { s in
            _ = try await s.sql(
                """
                UPDATE webhook_endpoints SET secret_sealed = \(legacy), previous_secret_sealed = NULL
                WHERE id = \(UUID(uuidString: made.endpoint)!)
                """)
            let counts = try await Resealer.run(EndpointStore(db: s.db), box: both)
            #expect(counts == Resealer.Counts(resealed: 1, current: 0, unreadable: 0))
            let stored = try await sealed(s, made.endpoint)
            #expect(try new.open(stored.secret).key == key.key)
            #expect(try await Resealer.run(EndpointStore(db: s.db), box: both).current == 1)
        }
    }

    /// The key the format before key ids sealed with (HKDF of the secret key, as `SecretBox` derives it).
    static func legacyKey(_ secretKey: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secretKey.utf8)), salt: Data("briefd".utf8),
            info: Data("webhook secrets v1".utf8), outputByteCount: 32)
    }

    @Test("sealed values: the current key seals with its id; previous keys open; an unknown key is refused")
    func sealedFormat() throws {
        let old = try SecretBox(secretKey: testSecretKey)
        let both = try SecretBox(secretKey: Self.newKey, previousKeys: [testSecretKey])
        let secret = WebhookSecret.generate()
        let byOld = try old.seal(secret)
        #expect(Array(byOld.prefix(3)) == Array("bk2".utf8))
        #expect(try both.openForReseal(byOld).current == false)
        #expect(try both.openForReseal(try both.seal(secret)).current == true)
        #expect(try both.open(byOld).key == secret.key)
        #expect(throws: (any Error).self) { try SecretBox(secretKey: Self.newKey).open(byOld) }
        #expect(try both.openResponse(try old.sealResponse([1, 2, 3])) == [1, 2, 3])
        #expect(throws: (any Error).self) { try SecretBox(secretKey: "short", previousKeys: []) }
    }
}
