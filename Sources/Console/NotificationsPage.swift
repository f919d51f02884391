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
                else { throw ConsoleError.notFound("notifications.no_notification") }
                return HTML.seeOther(ConsolePaths.notifications)
            }
        }
        router.get("/console/password-reset") { request, context in
            passwordResetPage(request, token: nil, sent: request.uri.queryParameters.get("sent") != nil, error: nil)
        }
        router.post("/console/password-reset") { request, context in
            await signedOutForm(request, context) { form in
                let email = form.text("email") ?? ""
                guard PeopleStore.normalize(email: email) != nil else {
                    return passwordResetPage(
                        request, token: nil, sent: false, error: "reset.enter_email", status: .unprocessableContent)
                }
                try await resets.request(email: email)
                return HTML.seeOther("/console/password-reset?sent=1")
            }
        }
        router.get("/console/password-reset/{token}") { request, context in
            passwordResetPage(request, token: context.parameters.get("token") ?? "", sent: false, error: nil)
        }
        router.post("/console/password-reset/{token}") { request, context in
            await signedOutForm(request, context) { form in
                let token = context.parameters.get("token") ?? ""
                do {
                    try await resets.complete(token: token, password: form["password"] ?? "")
                } catch let problem as Problem where problem.code == .validationFailed {
                    return passwordResetPage(
                        request, token: token, sent: false, error: "profile.short_password",
                        status: .unprocessableContent)
                } catch let problem as Problem where problem.code == .gone {
                    _ = failures?.take(context.clientAddress ?? "unknown")
                    throw ConsoleError(
                        .gone, title: "reset.gone_title", "reset.gone", back: "/console/password-reset")
                }
                var response = signInPage(request, expired: false, notice: "signin.password_changed")
                cookie.clear(on: &response)
                return response
            }
        }
    }

    /// The person behind a console session: a service account's key has no notifications.
    static func person(_ session: ConsoleSession) throws -> (User, Principal) {
        guard let user = session.principal.user else {
            throw ConsoleError.forbidden("notifications.no_person")
        }
        return (user, session.principal)
    }

    /// One notification as its row shows it.
    struct NotificationRow {
        var href: String
        var what: String
        var project: String
        var task: String?
        /// "by Maya Dupont".
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
            var unreadText: String
        }
        let (user, p) = try Self.person(session)
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }
        let (items, unread) = try await accounts.notifications.list(
            userID: user.id, organizationID: p.organization.id, before: before, limit: Self.notificationsShown + 1)
        let shown = items.prefix(Self.notificationsShown)
        let zone = user.timeZone
        let t = session.t
        let rows = shown.map { n in
            NotificationRow(
                href: ConsolePaths.project(n.projectID, task: n.taskID), what: t.say("notice.\(n.kind.rawValue)"),
                project: n.projectTitle, task: n.taskTitle, actor: n.actorName.map { t.say("project.by", ["who": $0]) },
                excerpt: n.excerpt, when: t.date(n.createdAt, in: zone), unread: n.readAt == nil)
        }
        return templates.page(
            .notifications,
            View(
                chrome: Chrome(session, title: t.say("nav.notifications"), section: "notifications"), rows: Array(rows),
                empty: rows.isEmpty, unread: unread, hasUnread: unread > 0 && before == nil,
                newest: before == nil ? shown.first?.id.lowercased : nil,
                older: items.count > Self.notificationsShown
                    ? shown.last.map { "\(ConsolePaths.notifications)?before=\($0.position)" } : nil,
                unreadText: t.plural("notifications.unread", unread)))
    }

    /// Runs a signed-out form (password resets): refused from another site, counted against the address like a
    /// refused sign-in once it has spent its budget; errors render as pages.
    func signedOutForm(
        _ request: Request, _ context: BriefdContext, _ body: (Form) async throws -> Response
    ) async -> Response {
        do {
            if ForgeryCheck.isCrossSite(request) {
                throw ConsoleError(.forbidden, title: "error.refused", "error.cross_site")
            }
            if let wait = failures?.wait(context.clientAddress ?? "unknown") {
                throw ConsoleError.tooMany("error.too_many_address", retryAfter: wait)
            }
            return try await body(try await readForm(request, context))
        } catch {
            return errorPage(error, session: nil, request: request)
        }
    }

    /// The reset pages: without a token, the form that asks for the email (or says the link is on its way); with
    /// one, the form that sets the new password.
    func passwordResetPage(
        _ request: Request, token: String?, sent: Bool, error: String?, status: HTTPResponse.Status = .ok
    ) -> Response {
        struct View {
            var chrome: Chrome
            var token: String?
            var ask: Bool
            var sent: Bool
            var error: String?
        }
        let token = token.flatMap { $0.count <= 64 ? $0 : nil }
        let language = Language.of(request)
        let t = Catalogue.of(language)
        var response = templates.page(
            .passwordReset,
            View(
                chrome: Chrome.signedOut(title: t.say("reset.title"), language: language, path: request.uri.path),
                token: token, ask: token == nil, sent: sent, error: error.map { t.say($0) }),
            status: status)
        Self.keepLanguage(request, on: &response)
        return response
    }
}
