import Foundation

/// An email as text (RFC 5322 with MIME, RFC 2045–2047): a plain-text part and an HTML part in
/// `multipart/alternative`, both UTF-8 in base64, so every line stays short and 7-bit whatever the content.
///
/// Header values never carry a line break (a project's title with a newline cannot add a header); non-ASCII ones are
/// encoded words (`=?utf-8?b?…?=`).
public struct MailMessage: Sendable, Hashable {
    /// `Name <address>` or an address.
    public struct Mailbox: Sendable, Hashable {
        public var name: String?
        public var address: String
        public init(_ address: String, name: String? = nil) {
            self.address = address
            self.name = name
        }

        /// `address` or `Name <address>`; nil when there is no single `@` address.
        public init?(parsing text: String) {
            let t = text.trimmingCharacters(in: .whitespaces)
            if let open = t.lastIndex(of: "<"), t.hasSuffix(">") {
                let name = t[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
                self.init(
                    String(t[t.index(after: open)..<t.index(before: t.endIndex)]), name: name.isEmpty ? nil : name)
            } else {
                self.init(t)
            }
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
                !address.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0.isNewline })
            else { return nil }
        }
    }

    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var date: Date
    /// Without the angle brackets: `<id>` is written.
    public var messageID: String
    /// The thread this message belongs to (`In-Reply-To` and `References`), without angle brackets.
    public var thread: String?
    /// `List-Unsubscribe` (RFC 2369) with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
    public var unsubscribe: String?
    public var text: String
    public var html: String

    public init(
        from: Mailbox, to: Mailbox, subject: String, date: Date, messageID: String, thread: String? = nil,
        unsubscribe: String? = nil, text: String, html: String
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.thread = thread
        self.unsubscribe = unsubscribe
        self.text = text
        self.html = html
    }

    /// The message's bytes, lines ending in CRLF. `boundary` separates the parts; it cannot occur in base64.
    public func rendered(boundary: String = "briefd-" + UUID().uuidString) -> [UInt8] {
        var h: [String] = [
            "From: \(Self.mailbox(from))",
            "To: \(Self.mailbox(to))",
            "Subject: \(Self.encoded(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(Self.clean(messageID))>",
        ]
        if let thread {
            h += ["In-Reply-To: <\(Self.clean(thread))>", "References: <\(Self.clean(thread))>"]
        }
        if let unsubscribe {
            h += [
                "List-Unsubscribe: <\(Self.clean(unsubscribe))>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            ]
        }
        h += [
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        var out = h.joined(separator: "\r\n") + "\r\n\r\n"
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            out += "--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            out += Self.base64Lines(body) + "\r\n"
        }
        out += "--\(boundary)--\r\n"
        return Array(out.utf8)
    }

    /// A header value without CR, LF or other control characters.
    static func clean(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// `s` as is when it is printable ASCII, else as encoded words of at most 45 bytes of UTF-8 each (a line of 76).
    static func encoded(_ s: String) -> String {
        let value = clean(s)
        guard value.utf8.contains(where: { $0 >= 0x80 }) || value.contains("=?") else { return value }
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in value {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?utf-8?b?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?b?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static func mailbox(_ m: Mailbox) -> String {
        let address = clean(m.address)
        guard let name = m.name.map(clean), !name.isEmpty else { return address }
        let ascii = !name.utf8.contains(where: { $0 >= 0x80 })
        if ascii {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(address)>"
        }
        return "\(encoded(name)) <\(address)>"
    }

    static func base64Lines(_ s: String) -> String {
        let encoded = Array(Data(s.utf8).base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map {
            String(decoding: encoded[$0..<min($0 + 76, encoded.count)], as: UTF8.self)
        }.joined(separator: "\r\n")
    }

    /// `Wed, 02 Dec 2026 08:00:00 +0000`.
    static func rfc5322(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: date)
    }
}
