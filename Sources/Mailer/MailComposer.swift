import Foundation
import Mail
import Storage

/// An outbox row as an email (pure: no I/O): the subject, a text part and an HTML part in the recipient's language,
/// the link to the page where they act, the project's thread, and the one-click unsubscribe link of notifications.
///
/// What an email can say is what its row holds (`briefd_notify` writes titles and names, never a fee or a budget, and
/// an internal note's mention only to the brand's members), so the composer cannot leak what the row does not carry.
public struct MailComposer: Sendable {
    /// The sender (`BRIEFD_MAIL_FROM`).
    public var from: MailMessage.Mailbox
    /// The base of the links (`BRIEFD_PUBLIC_URL`).
    public var publicAddress: PublicAddress
    public var unsubscribe: UnsubscribeTokens

    public init(from: MailMessage.Mailbox, publicAddress: PublicAddress, unsubscribe: UnsubscribeTokens) {
        self.from = from
        self.publicAddress = publicAddress
        self.unsubscribe = unsubscribe
    }

    /// The right side of Message-IDs: the sender's domain.
    var domain: String { from.address.split(separator: "@").last.map(String.init) ?? "briefd.invalid" }

    /// The email of `row`, sent at `now`. Its Message-ID is the row's id, so a message sent again is the same one.
    public func compose(_ row: OutgoingEmail, now: Date) -> MailMessage {
        let c = row.content
        let text = MailCatalogue.texts(row.locale)
        let words = text.email(row.kind, c)
        let link = publicAddress.url(path: c["secret_path"] ?? c["path"] ?? Self.path(c))
        let unsubscribeURL: String? =
            row.kind == "notification" || row.kind == "digest"
            ? row.userID.map { publicAddress.url(path: "/v1/unsubscribe/\(unsubscribe.token(for: $0))") } : nil
        var plain = text.greeting(c["recipient"]) + "\n\n" + words.body.joined(separator: "\n\n")
        var html = "<!doctype html><html lang=\"\(row.locale)\"><body style=\"font-family:sans-serif;line-height:1.5\">"
        html += "<p>\(Self.escape(text.greeting(c["recipient"])))</p>"
        for paragraph in words.body { html += "<p>\(Self.escape(paragraph))</p>" }
        if row.kind == "digest" {
            let listed = min(Int(c["listed"] ?? "") ?? 0, DigestStore.itemsListed)
            html += "<ul>"
            for i in 0..<listed {
                let line = text.digestItem(c, i)
                let itemLink = publicAddress.url(path: c["item_\(i)_path"] ?? "/console")
                plain += "\n- \(line)\n  \(itemLink)"
                html += "<li><a href=\"\(Self.escape(itemLink))\">\(Self.escape(line))</a></li>"
            }
            html += "</ul>"
        }
        plain += "\n\n\(words.button): \(link)\n"
        html += "<p><a href=\"\(Self.escape(link))\">\(Self.escape(words.button))</a></p>"
        if let unsubscribeURL {
            plain += "\n--\n\(text.footer)\n\(text.unsubscribe): \(unsubscribeURL)\n"
            html += "<hr><p style=\"color:#666;font-size:smaller\">\(Self.escape(text.footer)) "
            html += "<a href=\"\(Self.escape(unsubscribeURL))\">\(Self.escape(text.unsubscribe))</a></p>"
        }
        html += "</body></html>"
        return MailMessage(
            from: from, to: MailMessage.Mailbox(row.to, name: c["recipient"]), subject: words.subject, date: now,
            messageID: "\(row.id.uuidString.lowercased())@\(domain)",
            thread: row.projectID.map { "project-\($0.uuidString.lowercased())@\(domain)" },
            unsubscribe: unsubscribeURL, text: plain, html: html)
    }

    /// The page where the person acts: the project's, at its task when there is one.
    static func path(_ c: [String: String]) -> String {
        guard let project = c["project_id"].flatMap(UUID.init(uuidString:)) else { return ConsolePaths.notifications }
        return ConsolePaths.project(project, task: c["task_id"].flatMap(UUID.init(uuidString:)))
    }

    static func escape(_ s: String) -> String { HTMLText.escape(s) }
}
