import Foundation
import Testing

/// A real SMTP server for a test (scripts/smtp_server.py: aiosmtpd with STARTTLS and AUTH, run by the project's
/// .venv): each message it accepts is parsed by Python's email package and kept as JSON, one file per recipient.
final class SMTPServer: @unchecked Sendable {
    let folder: URL
    private(set) var port: Int
    private var process: Process?
    static let user = "briefd"
    static let password = "mail-secret"

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Starts a server on a free port (or `port`, to start one again where it was).
    init(port: Int = 0) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("briefd-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.port = port
        try start()
    }

    /// The daemon's BRIEFD_SMTP_URL for this server: STARTTLS to `localhost`, trusting its certificate.
    var url: String {
        let ca = folder.appendingPathComponent("cert.pem").path
        return "smtp://\(Self.user):\(Self.password)@localhost:\(port)?ca_file=\(ca)"
    }

    func start() throws {
        let python = Self.root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("the SMTP tests need .venv with aiosmtpd: run scripts/venv")
            throw CancellationError()
        }
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("ready"))
        let p = Process()
        p.executableURL = python
        p.arguments = [
            Self.root.appendingPathComponent("scripts/smtp_server.py").path, "--dir", folder.path, "--port", "\(port)",
            "--user", Self.user, "--password", Self.password,
        ]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        process = p
        for _ in 0..<200 {
            if let text = try? String(contentsOf: folder.appendingPathComponent("ready"), encoding: .utf8),
                let bound = Int(text)
            {
                port = bound
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the SMTP server did not start in 10 s")
        throw CancellationError()
    }

    /// Stops the server at once (SIGKILL: a server that vanishes), then up to 5 s for it to exit (`waitUntilExit`
    /// can wait for ever off the main thread on Linux).
    func stop() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        for _ in 0..<100 where p.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        process = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The messages received so far, in order.
    func messages() -> [[String: Any]] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).flatMap {
                try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
            }
        }
    }

    /// The messages to `address`.
    func messages(to address: String) -> [[String: Any]] {
        messages().filter { ($0["rcpt_to"] as? String) == address }
    }

    /// Waits until `count` messages satisfy `match` (at most `seconds`), and answers them.
    func wait(
        for count: Int = 1, seconds: Double = 20, _ match: @escaping ([String: Any]) -> Bool = { _ in true }
    ) async throws -> [[String: Any]] {
        let deadline = Date() + seconds
        while Date() < deadline {
            let got = messages().filter(match)
            if got.count >= count { return got }
            try await Task.sleep(for: .milliseconds(100))
        }
        return messages().filter(match)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A received message's header.
    func header(_ name: String) -> String? { (self["headers"] as? [String: String])?[name.lowercased()] }
    var subject: String { header("subject") ?? "" }
    var text: String { self["text"] as? String ?? "" }
    var html: String { self["html"] as? String ?? "" }
}
