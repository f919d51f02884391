import Foundation

/// One reply of an SMTP server: its code and its lines' text (RFC 5321 §4.2).
public struct SMTPReply: Sendable, Hashable {
    public var code: Int
    public var lines: [String]

    /// The reply's text on one line, for logs and attempt records (at most 300 characters).
    public var text: String { String(lines.joined(separator: " ").prefix(300)) }
}

/// Reads a server's lines into replies: `250-first`, `250-second`, `250 last` is one reply. A line that is not a
/// reply, or a reply of more than 100 lines, is a protocol error (the connection is dropped).
struct SMTPReplyReader: Sendable {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private var code: Int?
    private var lines: [String] = []

    /// The reply `line` completes, or nil while it goes on.
    mutating func read(_ line: String) throws -> SMTPReply? {
        let chars = Array(line.utf8)
        guard chars.count >= 3, chars[0..<3].allSatisfy({ (0x30...0x39).contains($0) }),
            chars.count == 3
                || chars[3] == UInt8(ascii: " ") || chars[3] == UInt8(ascii: "-"),
            let code = Int(String(decoding: chars[0..<3], as: UTF8.self)), (200...599).contains(code)
        else { throw Malformed(description: "not an SMTP reply: \(line.prefix(80))") }
        if let current = self.code, current != code {
            throw Malformed(description: "a multi-line reply changed its code: \(line.prefix(80))")
        }
        guard lines.count < 100 else { throw Malformed(description: "a reply of more than 100 lines") }
        self.code = code
        lines.append(chars.count > 4 ? String(decoding: chars[4...], as: UTF8.self) : "")
        guard chars.count == 3 || chars[3] == UInt8(ascii: " ") else { return nil }
        defer {
            self.code = nil
            self.lines = []
        }
        return SMTPReply(code: code, lines: lines)
    }
}

/// What became of one message.
public enum SMTPOutcome: Sendable, Hashable {
    /// The server took it (250 after the data).
    case sent
    /// Refused for good (a 5xx to its recipient or its data): never tried again.
    case refused(String)
    /// Not sent this time (a 4xx, the connection, the server's set-up): tried again later.
    case deferred(String)

    /// Whether the message is done with, sent or refused.
    public var isFinal: Bool {
        if case .deferred = self { return false }
        return true
    }
}

/// One message to send: the envelope and the message's text (headers and body, lines ending in CRLF).
public struct SMTPEnvelope: Sendable, Hashable {
    public var from: String
    public var to: String
    public var data: [UInt8]

    public init(from: String, to: String, data: [UInt8]) {
        self.from = from
        self.to = to
        self.data = data
    }
}

/// The SMTP conversation as a pure state machine (no I/O, like PostgresNIO's `ListenStateMachine`): the client feeds
/// it the server's replies and TLS's arrival, and does the actions it returns. One connection sends a batch of
/// messages, one recipient each; each message ends `sent`, `refused` or `deferred` (`outcomes`).
///
/// Order: greeting, `EHLO`, `STARTTLS` and `EHLO` again (required unless the settings say `none` or TLS is
/// already on), `AUTH PLAIN` (or `LOGIN`) when credentials are set, then per message `MAIL FROM`, `RCPT TO`, `DATA`,
/// the data (dot-stuffed), and `RSET` after a refused recipient; `QUIT` last.
public struct SMTPConversation: Sendable {
    /// What the client does next.
    public enum Action: Sendable, Hashable {
        /// Send this command line (without its CRLF).
        case send(String)
        /// Send this message's data: dot-stuffed, then the final `.` line (`SMTPConversation.dataBytes`).
        case sendData(Int)
        /// Start TLS on the connection, then call `tlsEstablished()`.
        case startTLS
        /// Close the connection: every message has its outcome.
        case close
    }

    enum State: Sendable, Hashable {
        case greeting, ehlo, startTLS, ehloAfterTLS, authPlain, authLoginUser, authLoginPassword
        case mailFrom(Int)
        case rcptTo(Int)
        case data(Int)
        case dataSent(Int)
        case reset(Int)
        case quit, closed
    }

    private(set) var state = State.greeting
    /// Each message's outcome, nil until it has one.
    public private(set) var outcomes: [SMTPOutcome?]
    private let envelopes: [SMTPEnvelope]
    private let security: SMTPSettings.Security
    private let credentials: (user: String, password: String)?
    private let clientName: String
    private var tls: Bool
    private var capabilities: Set<String> = []
    private var authMechanisms: Set<String> = []

    /// - Parameters:
    ///   - tlsFromStart: the connection is TLS from its first byte (`smtps`).
    ///   - clientName: the name `EHLO` gives.
    public init(
        envelopes: [SMTPEnvelope], security: SMTPSettings.Security, username: String?, password: String?,
        clientName: String = "briefd"
    ) {
        self.envelopes = envelopes
        self.outcomes = Array(repeating: nil, count: envelopes.count)
        self.security = security
        self.credentials = username.flatMap { user in password.map { (user, $0) } }
        self.clientName = clientName
        self.tls = security == .implicitTLS
    }

    /// The server's reply to what was last sent (or its greeting).
    public mutating func received(_ reply: SMTPReply) -> Action {
        switch state {
        case .greeting:
            guard reply.code == 220 else { return giveUp("the server's greeting: \(reply.code) \(reply.text)") }
            state = .ehlo
            return .send("EHLO \(clientName)")
        case .ehlo, .ehloAfterTLS:
            guard reply.code == 250 else { return giveUp("EHLO: \(reply.code) \(reply.text)") }
            readCapabilities(reply)
            if !tls && security == .startTLS {
                guard capabilities.contains("STARTTLS") else {
                    return giveUp("the server does not offer STARTTLS, which BRIEFD_SMTP_URL requires")
                }
                state = .startTLS
                return .send("STARTTLS")
            }
            return authenticate()
        case .startTLS:
            guard reply.code == 220 else { return giveUp("STARTTLS: \(reply.code) \(reply.text)") }
            return .startTLS
        case .authPlain, .authLoginPassword:
            guard reply.code == 235 else { return giveUp("authentication: \(reply.code) \(reply.text)") }
            return nextMessage(from: 0)
        case .authLoginUser:
            guard reply.code == 334, let c = credentials else {
                return giveUp("authentication: \(reply.code) \(reply.text)")
            }
            state = .authLoginPassword
            return .send(Data(c.password.utf8).base64EncodedString())
        case .mailFrom(let i):
            // The sender is ours: its refusal is the set-up's, not the recipient's, so the message waits.
            guard reply.code == 250 else { return giveUp("MAIL FROM: \(reply.code) \(reply.text)") }
            state = .rcptTo(i)
            return .send("RCPT TO:<\(envelopes[i].to)>")
        case .rcptTo(let i):
            if reply.code == 250 || reply.code == 251 {
                state = .data(i)
                return .send("DATA")
            }
            outcomes[i] = Self.outcome(reply, "RCPT TO")
            state = .reset(i)
            return .send("RSET")
        case .data(let i):
            if reply.code == 354 {
                state = .dataSent(i)
                return .sendData(i)
            }
            outcomes[i] = Self.outcome(reply, "DATA")
            state = .reset(i)
            return .send("RSET")
        case .dataSent(let i):
            outcomes[i] = reply.code == 250 ? .sent : Self.outcome(reply, "the message")
            return nextMessage(from: i + 1)
        case .reset(let i):
            guard reply.code == 250 else { return giveUp("RSET: \(reply.code) \(reply.text)") }
            return nextMessage(from: i + 1)
        case .quit, .closed:
            state = .closed
            return .close
        }
    }

    /// TLS is up after `STARTTLS`: the server forgets what it said before, so `EHLO` again.
    public mutating func tlsEstablished() -> Action {
        tls = true
        capabilities = []
        authMechanisms = []
        state = .ehloAfterTLS
        return .send("EHLO \(clientName)")
    }

    /// The connection failed or timed out: every message without an outcome is deferred.
    public mutating func connectionFailed(_ reason: String) {
        for i in outcomes.indices where outcomes[i] == nil { outcomes[i] = .deferred(reason) }
        state = .closed
    }

    /// Message `i`'s data as sent after `354`: lines beginning with `.` get another (RFC 5321 §4.5.2), a bare LF or
    /// CR becomes CRLF, and the final `.` line ends it.
    public func dataBytes(_ i: Int) -> [UInt8] { Self.dotStuffed(envelopes[i].data) }

    static func dotStuffed(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + data.count / 64 + 5)
        var lineStart = true
        var i = 0
        while i < data.count {
            let b = data[i]
            if b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n") {
                out += [13, 10]
                i += b == UInt8(ascii: "\r") && i + 1 < data.count && data[i + 1] == UInt8(ascii: "\n") ? 2 : 1
                lineStart = true
                continue
            }
            if lineStart && b == UInt8(ascii: ".") { out.append(b) }
            out.append(b)
            lineStart = false
            i += 1
        }
        if !lineStart { out += [13, 10] }
        return out + Array(".\r\n".utf8)
    }

    private mutating func readCapabilities(_ reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            let words = line.uppercased().split(separator: " ").map(String.init)
            guard let keyword = words.first else { continue }
            capabilities.insert(keyword)
            if keyword == "AUTH" { authMechanisms.formUnion(words.dropFirst()) }
        }
    }

    private mutating func authenticate() -> Action {
        guard let c = credentials else { return nextMessage(from: 0) }
        if authMechanisms.contains("PLAIN") {
            state = .authPlain
            return .send(
                "AUTH PLAIN " + Data(([0] + Array(c.user.utf8) + [0] + Array(c.password.utf8))).base64EncodedString())
        }
        if authMechanisms.contains("LOGIN") {
            state = .authLoginUser
            return .send("AUTH LOGIN " + Data(c.user.utf8).base64EncodedString())
        }
        return giveUp("the server offers neither AUTH PLAIN nor AUTH LOGIN")
    }

    /// `MAIL FROM` for the next message that has no outcome, or `QUIT`.
    private mutating func nextMessage(from start: Int) -> Action {
        var i = start
        while i < envelopes.count {
            let e = envelopes[i]
            let ascii = e.from.utf8.allSatisfy { $0 < 0x80 } && e.to.utf8.allSatisfy { $0 < 0x80 }
            if ascii || capabilities.contains("SMTPUTF8") {
                state = .mailFrom(i)
                return .send("MAIL FROM:<\(e.from)>" + (ascii ? "" : " SMTPUTF8"))
            }
            outcomes[i] = .refused("the address is not ASCII and the server does not offer SMTPUTF8")
            i += 1
        }
        state = .quit
        return .send("QUIT")
    }

    /// Ends the conversation: the messages still without an outcome wait for the next attempt.
    private mutating func giveUp(_ reason: String) -> Action {
        connectionFailed(reason)
        return .close
    }

    /// A refusal's meaning: 5xx for good, anything else later.
    static func outcome(_ reply: SMTPReply, _ step: String) -> SMTPOutcome {
        let text = "\(step): \(reply.code) \(reply.text)"
        return reply.code >= 500 ? .refused(text) : .deferred(text)
    }
}
