import Foundation

/// The emails' words, in English and French: one table per language, every kind in each (`MailCatalogueTests`
/// checks that both say something for every kind).
public struct MailCatalogue: Sendable {
    /// What one email says: its subject, its paragraphs, and the label of its link.
    public struct Words: Sendable, Hashable {
        public var subject: String
        public var body: [String]
        public var button: String
    }

    public var greeting: @Sendable (String?) -> String
    public var footer: String
    public var unsubscribe: String
    /// The words of an email of `kind` (`notification` with `content["kind"]` the notice's kind).
    public var email: @Sendable (_ kind: String, _ content: [String: String]) -> Words
    /// A digest's wait `i` (`item_<i>_…` of the content), as one line.
    public var digestItem: @Sendable (_ content: [String: String], _ i: Int) -> String

    /// The catalogue of `locale` (`fr`, else English).
    public static func texts(_ locale: String) -> MailCatalogue { locale == "fr" ? french : english }

    static let english = MailCatalogue(
        greeting: { name in name.map { "Hello \($0)," } ?? "Hello," },
        footer: "You receive this email because work waits on you in briefd.",
        unsubscribe: "Stop these emails",
        email: { kind, c in
            let project = c["project_title"] ?? "a project"
            let task = c["task_title"] ?? ""
            let org = c["organization"] ?? ""
            let open = "Open in briefd"
            switch (kind, c["kind"]) {
            case ("invitation", _):
                return Words(
                    subject: "You are invited to \(org) on briefd",
                    body: [
                        "\(c["inviter"] ?? "Someone") invites you to join \(org) on briefd "
                            + "as \(c["role"] ?? "a member").",
                        "The invitation is valid for 7 days and can be used once.",
                    ], button: "Accept the invitation")
            case ("digest", _):
                let count = Int(c["count"] ?? "") ?? 0
                let overdue = Int(c["overdue"] ?? "") ?? 0
                let steps = count == 1 ? "1 step waits" : "\(count) steps wait"
                return Words(
                    subject: "briefd: \(steps) on you" + (overdue > 0 ? " (\(overdue) overdue)" : ""),
                    body: [
                        "Here is what waits on you this morning, overdue and oldest first:"
                    ], button: "Open what waits on you")
            case ("password_reset", _):
                return Words(
                    subject: "Reset your briefd password",
                    body: [
                        "Someone asked to reset the password of this address. If it was you, choose a new password "
                            + "with the link below; it is valid for one hour and can be used once.",
                        "If it was not you, ignore this email: your password stays as it is.",
                    ], button: "Choose a new password")
            case (_, "task_offered"?):
                return Words(
                    subject: "[\(project)] A task is offered to you: \(task)",
                    body: ["The task “\(task)” of “\(project)” waits for \(org)'s answer: accept or decline it."],
                    button: open)
            case (_, "delivery_due"?):
                return Words(
                    subject: "[\(project)] Your delivery is due: \(task)",
                    body: ["“\(task)” of “\(project)” waits for \(org)'s delivery."], button: open)
            case (_, "delivery_submitted"?):
                return Words(
                    subject: "[\(project)] A delivery waits for your review: \(task)",
                    body: ["A delivery of “\(task)” waits for \(org)'s review: approve it or request changes."],
                    button: open)
            case (_, "changes_requested"?):
                return Words(
                    subject: "[\(project)] Changes requested: \(task)",
                    body: ["The brand asks for changes to “\(task)” of “\(project)”."], button: open)
            case (_, "task_declined"?):
                return Words(
                    subject: "[\(project)] A task was declined: \(task)",
                    body: ["“\(task)” was declined: give it to another agency of your roster, or remove it."],
                    button: open)
            case (_, "project_step"?):
                return Words(
                    subject: "[\(project)] The project waits on you",
                    body: ["“\(project)” waits on \(org): start the KPI review, record the results, or close it."],
                    button: open)
            case (_, "response_overdue"?):
                return Words(
                    subject: "[\(project)] Answer overdue: \(task)",
                    body: ["The answer to “\(task)” is past its service level."], button: open)
            case (_, "due_soon"?):
                return Words(
                    subject: "[\(project)] Due soon: \(task)", body: ["“\(task)” is due soon."], button: open)
            case (_, "overdue"?):
                return Words(
                    subject: "[\(project)] Overdue: \(task)", body: ["“\(task)” is past its due date."], button: open)
            case (_, "escalated"?):
                return Words(
                    subject: "[\(project)] Escalated: \(task)",
                    body: ["“\(task)” is well past its due date without a delivery."], button: open)
            case (_, "review_overdue"?):
                return Words(
                    subject: "[\(project)] Review overdue: \(task)",
                    body: ["The delivery of “\(task)” has waited for a review past its service level."], button: open)
            case (_, "reminder"?):
                return Words(
                    subject: "[\(project)] Reminder: \(task)", body: ["The brand reminds you of “\(task)”."],
                    button: open)
            case (_, "mention"?):
                return Words(
                    subject: "[\(project)] \(c["actor"] ?? "Someone") mentioned you",
                    body: ["\(c["actor"] ?? "Someone") mentioned you on “\(task)”:", "“\(c["excerpt"] ?? "")”"],
                    button: open)
            default:
                return Words(
                    subject: "[\(project)] Work waits on you", body: ["“\(project)” waits on you."],
                    button: open)
            }
        },
        digestItem: { c, i in
            let p = "item_\(i)_"
            var line = c[p + "task"].map { "“\($0)” of " } ?? ""
            line += "“\(c[p + "project"] ?? "")”"
            if (Int(c["organizations"] ?? "") ?? 1) > 1 { line += " (\(c[p + "organization"] ?? ""))" }
            if c[p + "overdue"] == "true" { line += ": overdue" }
            if let since = day(c[p + "since"], c, "en_GB") { line += ", waiting since \(since)" }
            if let due = day(c[p + "due"], c, "en_GB", endOfDay: true) { line += ", due \(due)" }
            return line
        })

    /// The roles as the French console names them.
    static let frenchRoles = ["admin": "administrateur", "manager": "responsable", "viewer": "lecteur"]

    static let french = MailCatalogue(
        greeting: { name in name.map { "Bonjour \($0)," } ?? "Bonjour," },
        footer: "Vous recevez cet e-mail parce qu’une action vous attend dans briefd.",
        unsubscribe: "Ne plus recevoir ces e-mails",
        email: { kind, c in
            let project = c["project_title"] ?? "un projet"
            let task = c["task_title"] ?? ""
            let org = c["organization"] ?? ""
            let open = "Ouvrir dans briefd"
            switch (kind, c["kind"]) {
            case ("invitation", _):
                return Words(
                    subject: "Vous êtes invité·e à rejoindre \(org) sur briefd",
                    body: [
                        "\(c["inviter"] ?? "Quelqu’un") vous invite à rejoindre \(org) sur briefd "
                            + "(rôle : \(frenchRoles[c["role"] ?? ""] ?? "membre")).",
                        "L’invitation est valable 7 jours et ne sert qu’une fois.",
                    ], button: "Accepter l’invitation")
            case ("digest", _):
                let count = Int(c["count"] ?? "") ?? 0
                let overdue = Int(c["overdue"] ?? "") ?? 0
                let steps = count <= 1 ? "\(count) étape vous attend" : "\(count) étapes vous attendent"
                return Words(
                    subject: "briefd : \(steps)"
                        + (overdue > 0 ? " (\(overdue) en retard)" : ""),
                    body: ["Voici ce qui vous attend ce matin, en retard et plus ancien d’abord :"],
                    button: "Ouvrir ce qui vous attend")
            case ("password_reset", _):
                return Words(
                    subject: "Réinitialisez votre mot de passe briefd",
                    body: [
                        "Une réinitialisation du mot de passe de cette adresse a été demandée. Si c’est vous, "
                            + "choisissez un nouveau mot de passe avec le lien ci-dessous ; il est valable une heure "
                            + "et ne sert qu’une fois.",
                        "Si ce n’est pas vous, ignorez cet e-mail : votre mot de passe ne change pas.",
                    ], button: "Choisir un nouveau mot de passe")
            case (_, "task_offered"?):
                return Words(
                    subject: "[\(project)] Une tâche vous est proposée : \(task)",
                    body: [
                        "La tâche « \(task) » de « \(project) » attend la réponse de \(org) : acceptez-la ou "
                            + "déclinez-la."
                    ],
                    button: open)
            case (_, "delivery_due"?):
                return Words(
                    subject: "[\(project)] Livraison attendue : \(task)",
                    body: ["« \(task) » de « \(project) » attend la livraison de \(org)."], button: open)
            case (_, "delivery_submitted"?):
                return Words(
                    subject: "[\(project)] Une livraison attend votre revue : \(task)",
                    body: [
                        "Une livraison de « \(task) » attend la revue de \(org) : approuvez-la ou demandez "
                            + "des modifications."
                    ],
                    button: open)
            case (_, "changes_requested"?):
                return Words(
                    subject: "[\(project)] Modifications demandées : \(task)",
                    body: ["L’annonceur demande des modifications de « \(task) » (« \(project) »)."], button: open)
            case (_, "task_declined"?):
                return Words(
                    subject: "[\(project)] Tâche déclinée : \(task)",
                    body: [
                        "« \(task) » a été déclinée : confiez-la à une autre agence de votre liste, ou "
                            + "retirez-la."
                    ],
                    button: open)
            case (_, "project_step"?):
                return Words(
                    subject: "[\(project)] Le projet vous attend",
                    body: [
                        "« \(project) » attend \(org) : lancez la revue des KPI, saisissez les résultats ou "
                            + "clôturez-le."
                    ],
                    button: open)
            case (_, "response_overdue"?):
                return Words(
                    subject: "[\(project)] Réponse en retard : \(task)",
                    body: ["La réponse à « \(task) » a dépassé son délai."], button: open)
            case (_, "due_soon"?):
                return Words(
                    subject: "[\(project)] Échéance proche : \(task)", body: ["« \(task) » arrive à échéance."],
                    button: open)
            case (_, "overdue"?):
                return Words(
                    subject: "[\(project)] En retard : \(task)", body: ["« \(task) » a dépassé son échéance."],
                    button: open)
            case (_, "escalated"?):
                return Words(
                    subject: "[\(project)] Escalade : \(task)",
                    body: ["« \(task) » a largement dépassé son échéance sans livraison."], button: open)
            case (_, "review_overdue"?):
                return Words(
                    subject: "[\(project)] Revue en retard : \(task)",
                    body: ["La livraison de « \(task) » attend une revue au-delà du délai prévu."], button: open)
            case (_, "reminder"?):
                return Words(
                    subject: "[\(project)] Relance : \(task)", body: ["L’annonceur vous relance sur « \(task) »."],
                    button: open)
            case (_, "mention"?):
                return Words(
                    subject: "[\(project)] \(c["actor"] ?? "Quelqu’un") vous a mentionné·e",
                    body: [
                        "\(c["actor"] ?? "Quelqu’un") vous a mentionné·e sur « \(task) » :",
                        "« \(c["excerpt"] ?? "") »",
                    ],
                    button: open)
            default:
                return Words(
                    subject: "[\(project)] Une action vous attend", body: ["« \(project) » vous attend."],
                    button: open)
            }
        },
        digestItem: { c, i in
            let p = "item_\(i)_"
            var line = c[p + "task"].map { "« \($0) » de " } ?? ""
            line += "« \(c[p + "project"] ?? "") »"
            if (Int(c["organizations"] ?? "") ?? 1) > 1 { line += " (\(c[p + "organization"] ?? ""))" }
            if c[p + "overdue"] == "true" { line += " : en retard" }
            if let since = day(c[p + "since"], c, "fr_FR") { line += ", en attente depuis le \(since)" }
            if let due = day(c[p + "due"], c, "fr_FR", endOfDay: true) { line += ", échéance le \(due)" }
            return line
        })

    /// An ISO 8601 instant of the content as a day in the recipient's time zone and language ("29 Nov", "29 nov.");
    /// a deadline at midnight is the end of the day before.
    static func day(_ iso: String?, _ c: [String: String], _ locale: String, endOfDay: Bool = false) -> String? {
        guard let iso, var date = ISO8601DateFormatter().date(from: iso) else { return nil }
        let zone = TimeZone(identifier: c["time_zone"] ?? "UTC") ?? .gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        if endOfDay, parts.hour == 0, parts.minute == 0, parts.second == 0 { date -= 1 }
        let f = DateFormatter()
        f.locale = Locale(identifier: locale)
        f.timeZone = zone
        f.setLocalizedDateFormatFromTemplate("dMMM")
        return f.string(from: date)
    }
}
