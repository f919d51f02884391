import API
import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Workflow

/// The person's notifications (docs/notifications.md): the same list as `GET /v1/me/notifications`, newest first,
/// each linking to the page where they act; "Mark all read" is `POST /v1/me/notifications/read` up to the newest.
/// And the signed-out pages that reset a forgotten password (`POST /v1/password-resets`, `…/complete`).
extension Console {
    /// Notifications a page lists.
    static let notificationsShown = 50

    func registerNotifications(on router: Router<BriefdContext>) {
        router.get("/console/notifications") { request, context in
            await respond(request, context) { session in try await notificationsPage(request, session) }
        }
        router.post("/console/notifications/read") { request, context in
            await post(request, context) { session, form in
                let (user, p) = try Self.person(session)
                guard let id = form.text("up_to").flatMap(UUID.init(uuidString:)),
                    try await accounts.notifications.markRead(
                        userID: user.id, organizationID: p.organization.id, upTo: id)
                        != nil
                else { throw ConsoleError.notFound("There is no such notification.") }
                return HTML.seeOther(ConsolePaths.notifications)
            }
        }
        router.get("/console/password-reset") { request, context in
            passwordResetPage(token: nil, sent: request.uri.queryParameters.get("sent") != nil, error: nil)
        }
        router.post("/console/password-reset") { request, context in
            await signedOutForm(request, context) { form in
                let email = form.text("email") ?? ""
                guard PeopleStore.normalize(email: email) != nil else {
                    return passwordResetPage(
                        token: nil, sent: false, error: "Enter the email address of your briefd account.",
                        status: .unprocessableContent)
                }
                try await resets.request(email: email)
                return HTML.seeOther("/console/password-reset?sent=1")
            }
        }
        router.get("/console/password-reset/{token}") { request, context in
            passwordResetPage(token: context.parameters.get("token") ?? "", sent: false, error: nil)
        }
        router.post("/console/password-reset/{token}") { request, context in
            await signedOutForm(request, context) { form in
                let token = context.parameters.get("token") ?? ""
                do {
                    try await resets.complete(token: token, password: form["password"] ?? "")
                } catch let problem as Problem where problem.code == .validationFailed {
                    return passwordResetPage(
                        token: token, sent: false, error: "The new password must be at least 12 characters.",
                        status: .unprocessableContent)
                } catch let problem as Problem where problem.code == .gone {
                    _ = failures?.take(context.clientAddress ?? "unknown")
                    throw ConsoleError(
                        .gone, "Link no longer valid",
                        "This reset link is unknown, used or more than an hour old. Ask for another.",
                        back: "/console/password-reset")
                }
                var response = signInPage(
                    nil, expired: false, notice: "Your password is changed, and every session ended. Sign in.")
                cookie.clear(on: &response)
                return response
            }
        }
    }

    /// The person behind a console session: a service account's key has no notifications.
    static func person(_ session: ConsoleSession) throws -> (User, Principal) {
        guard let user = session.principal.user else {
            throw ConsoleError.forbidden("An API key has no notifications. Sign in with your email to see yours.")
        }
        return (user, session.principal)
    }

    /// One notification as its row shows it.
    struct NotificationRow {
        var href: String
        var what: String
        var project: String
        var task: String?
        var actor: String?
        var excerpt: String?
        var when: String
        var unread: Bool
    }

    /// `GET /console/notifications`: newest first, unread marked; `?before=<position>` for older ones.
    func notificationsPage(_ request: Request, _ session: ConsoleSession) async throws -> Response {
        struct View {
            var chrome: Chrome
            var rows: [NotificationRow]
            var empty: Bool
            var unread: Int
            var hasUnread: Bool
            var newest: String?
            var older: String?
        }
        let (user, p) = try Self.person(session)
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }
        let (items, unread) = try await accounts.notifications.list(
            userID: user.id, organizationID: p.organization.id, before: before, limit: Self.notificationsShown + 1)
        let shown = items.prefix(Self.notificationsShown)
        let zone = user.timeZone
        let rows = shown.map { n in
            NotificationRow(
                href: ConsolePaths.project(n.projectID, task: n.taskID), what: Self.noticeLabel(n.kind),
                project: n.projectTitle, task: n.taskTitle, actor: n.actorName, excerpt: n.excerpt,
                when: Format.date(n.createdAt, in: zone), unread: n.readAt == nil)
        }
        return templates.page(
            .notifications,
            View(
                chrome: Chrome(session, title: "Notifications", section: "notifications"), rows: Array(rows),
                empty: rows.isEmpty, unread: unread, hasUnread: unread > 0 && before == nil,
                newest: before == nil ? shown.first?.id.lowercased : nil,
                older: items.count > Self.notificationsShown
                    ? shown.last.map { "\(ConsolePaths.notifications)?before=\($0.position)" } : nil))
    }

    /// What a notification says happened, in a few words.
    static func noticeLabel(_ kind: NoticeKind) -> String {
        switch kind {
        case .taskOffered: "A task is offered to you"
        case .deliveryDue: "A delivery is due from you"
        case .deliverySubmitted: "A delivery waits for your review"
        case .changesRequested: "Changes are requested"
        case .taskDeclined: "A task was declined: give it to another agency"
        case .projectStep: "The project waits on you"
        case .responseOverdue: "An answer to a task offer is overdue"
        case .dueSoon: "A task is due soon"
        case .overdue: "A task is overdue"
        case .escalated: "An overdue task was escalated"
        case .reviewOverdue: "A review is overdue"
        case .reminder: "A reminder"
        case .mention: "You were mentioned"
        }
    }

    /// Runs a signed-out form (password resets): refused from another site, counted against the address like a
    /// refused sign-in once it has spent its budget; errors render as pages.
    func signedOutForm(
        _ request: Request, _ context: BriefdContext, _ body: (Form) async throws -> Response
    ) async -> Response {
        do {
            if ForgeryCheck.isCrossSite(request) {
                throw ConsoleError(.forbidden, "Refused", "This form was sent from another site, so it was not run.")
            }
            if let wait = failures?.wait(context.clientAddress ?? "unknown") {
                throw ConsoleError.tooMany(
                    "Too many refused requests came from this address. Wait a minute, then try again.",
                    retryAfter: wait)
            }
            return try await body(try await readForm(request, context))
        } catch {
            return errorPage(error, session: nil, context: context)
        }
    }

    /// The reset pages: without a token, the form that asks for the email (or says the link is on its way); with
    /// one, the form that sets the new password.
    func passwordResetPage(token: String?, sent: Bool, error: String?, status: HTTPResponse.Status = .ok)
        -> Response
    {
        struct View {
            var chrome: Chrome
            var token: String?
            var ask: Bool
            var sent: Bool
            var error: String?
        }
        let token = token.flatMap { $0.count <= 64 ? $0 : nil }
        return templates.page(
            .passwordReset,
            View(
                chrome: Chrome.signedOut(title: "Reset your password"), token: token, ask: token == nil, sent: sent,
                error: error),
            status: status)
    }
}
