import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Workflow

/// A person's notifications, their email preference's one-click way out, their calendar feed, and password resets
/// (docs/notifications.md).
struct NotificationRoutes: Sendable {
    let notifications: NotificationStore
    let resets: PasswordResets
    let unsubscribe: UnsubscribeTokens
    let calendars: CalendarStore
    let projects: ProjectStore
    let publicAddress: PublicAddress
    let routes: Routes

    func register(on router: Router<BriefdContext>, v1: RouterGroup<BriefdContext>) {
        v1.get("/me/notifications", use: list)
        v1.post("/me/notifications/read", use: markRead)
        router.get("/v1/unsubscribe/{token}", use: unsubscribePage)
        router.post("/v1/unsubscribe/{token}", use: unsubscribeNow)
        v1.post("/me/calendar", use: createCalendar)
        v1.delete("/me/calendar", use: revokeCalendar)
        router.get("/v1/calendar/{token}", use: calendar)
        router.post("/v1/password-resets", use: requestReset)
        router.post("/v1/password-resets/complete", use: completeReset)
    }

    /// The person behind a session; an API key has no notifications.
    static func person(_ context: BriefdContext) throws -> (User, Principal) {
        let p = try context.caller()
        guard let user = p.user else {
            throw APIError.forbidden("an API key has no notifications; sign in as a person (POST /v1/sessions)")
        }
        return (user, p)
    }

    @Sendable func list(_ request: Request, context: BriefdContext) async throws -> Response {
        let (user, p) = try Self.person(context)
        let limit = try routes.limitParameter(request)
        var before: Int64?
        if let s = request.uri.queryParameters.get("cursor") {
            guard let n = Int64(s), n > 0 else { throw APIError.malformed("cursor must be a next_cursor of a page") }
            before = n
        }
        let (items, unread) = try await notifications.list(
            userID: user.id, organizationID: p.organization.id, before: before, limit: limit + 1)
        let page = items.prefix(limit)
        return try APIResponse.json(
            JSONValue.object([
                "data": .array(page.map(Self.view)), "unread": .number(Double(unread)),
                "has_more": .bool(items.count > limit),
                "next_cursor": items.count > limit ? Views.int64(page.last?.position ?? 0) : .null,
            ])
        ).response
    }

    static func view(_ n: PersonNotification) -> JSONValue {
        .object([
            "id": .id(n.id), "kind": .string(n.kind.rawValue),
            "project": .object(["id": .id(n.projectID), "title": .string(n.projectTitle)]),
            "task": n.taskID.map { .object(["id": .id($0), "title": .optional(n.taskTitle)]) } ?? .null,
            "actor_name": .optional(n.actorName), "excerpt": .optional(n.excerpt),
            "url": .string(ConsolePaths.project(n.projectID, task: n.taskID)),
            "created_at": Views.date(n.createdAt), "read_at": n.readAt.map(Views.date) ?? .null,
        ])
    }

    @Sendable func markRead(_ request: Request, context: BriefdContext) async throws -> Response {
        let (user, p) = try Self.person(context)
        let body = try await routes.readBody(request, context)
        var r = try FieldReader(body: body)
        let upTo = try r.finish(r.string("up_to", max: 36))
        guard let id = UUID(uuidString: upTo) else { throw APIError.invalid("up_to", "must be a notification's id") }
        guard
            let marked = try await notifications.markRead(userID: user.id, organizationID: p.organization.id, upTo: id)
        else { throw APIError.notFound("no notification \(upTo) of yours in this organization") }
        let unread = try await notifications.unread(userID: user.id, organizationID: p.organization.id)
        return try APIResponse.json(
            JSONValue.object(["marked": .number(Double(marked)), "unread": .number(Double(unread))])
        ).response
    }

    // MARK: Calendar (RFC 5545)

    /// `POST /v1/me/calendar`: a new secret feed URL for the person in the session's organization (the old one
    /// stops).
    @Sendable func createCalendar(_ request: Request, context: BriefdContext) async throws -> Response {
        let (user, p) = try Self.person(context)
        _ = try await routes.readBody(request, context)
        let token = try await calendars.create(userID: user.id, organizationID: p.organization.id)
        return try APIResponse.json(
            JSONValue.object(["url": .string(publicAddress.url(path: "/v1/calendar/\(token).ics"))]), status: .created
        ).response
    }

    /// `DELETE /v1/me/calendar`: the feed's URL stops answering.
    @Sendable func revokeCalendar(_ request: Request, context: BriefdContext) async throws -> Response {
        let (user, p) = try Self.person(context)
        guard try await calendars.revoke(userID: user.id, organizationID: p.organization.id) else {
            throw APIError.notFound("you have no calendar feed in this organization")
        }
        return Response(status: .noContent)
    }

    /// `GET /v1/calendar/{token}.ics`: the feed, for a calendar application (the URL is the credential).
    @Sendable func calendar(_ request: Request, context: BriefdContext) async throws -> Response {
        var token = context.parameters.get("token") ?? ""
        if token.hasSuffix(".ics") { token.removeLast(4) }
        guard let (actor, name, zone) = try await calendars.feed(token: token) else {
            throw APIError.notFound("this calendar link is unknown or was revoked")
        }
        let (records, sequences) = try await calendars.projects(for: actor, store: projects)
        let host = URL(string: publicAddress.value)?.host ?? "briefd"
        let entries = CalendarFeed.entries(
            projects: records, organization: actor.organizationID, kind: actor.kind,
            zone: TimeZone(identifier: zone) ?? .gmt, now: Date(), sequences: sequences, host: host,
            link: { publicAddress.url(path: ConsolePaths.project($0, task: $1)) })
        let body = CalendarFeed.render(name: "briefd · \(name)", entries: entries, now: Date())
        return Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=300"],
            body: .init(byteBuffer: .init(string: body)))
    }

    // MARK: Unsubscribe (RFC 8058)

    /// A person following the link: a page with one button (a GET changes nothing: mail scanners follow links).
    @Sendable func unsubscribePage(_ request: Request, context: BriefdContext) async throws -> Response {
        guard let token = context.parameters.get("token"), unsubscribe.userID(from: token) != nil else {
            throw APIError.notFound("this unsubscribe link is not one of ours")
        }
        let html = """
            <!doctype html><html lang="en"><meta charset="utf-8"><title>briefd: stop emails</title>
            <body style="font-family:sans-serif"><h1>Stop briefd's emails</h1>
            <p>Your notifications stay in briefd; only the emails stop. You can turn them on again in your profile.</p>
            <form method="post"><button type="submit">Stop the emails</button></form></body></html>
            """
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: .init(string: html)))
    }

    /// The one-click `POST` a mail client sends (`List-Unsubscribe=One-Click` in the body), or the page's button.
    @Sendable func unsubscribeNow(_ request: Request, context: BriefdContext) async throws -> Response {
        guard let token = context.parameters.get("token"), let userID = unsubscribe.userID(from: token) else {
            throw APIError.notFound("this unsubscribe link is not one of ours")
        }
        _ = try await routes.readBody(request, context)
        guard try await notifications.setEmailPreference(userID: userID, .off) else {
            throw APIError.notFound("this unsubscribe link is not one of ours")
        }
        return try APIResponse.json(JSONValue.object(["notifications": .object(["email": .string("off")])]))
            .response
    }

    // MARK: Password resets

    @Sendable func requestReset(_ request: Request, context: BriefdContext) async throws -> Response {
        _ = try AuthFailures.admit(context, routes.failures)
        let body = try await routes.readBody(request, context)
        var r = try FieldReader(body: body)
        let email = try r.finish(r.string("email", max: 254))
        guard PeopleStore.normalize(email: email) != nil else {
            throw APIError.invalid("email", "must be an email address")
        }
        try await resets.request(email: email)
        return try APIResponse.json(
            JSONValue.object(["status": .string("if this address is a person's, a reset link is on its way")]),
            status: .accepted
        ).response
    }

    @Sendable func completeReset(_ request: Request, context: BriefdContext) async throws -> Response {
        let address = try AuthFailures.admit(context, routes.failures)
        let body = try await routes.readBody(request, context)
        var r = try FieldReader(body: body)
        let (token, password) = try r.finish(
            r.string("token", max: 64), r.string("password", max: PasswordHasher.maximumLength, allowEmpty: true))
        do {
            try await resets.complete(token: token, password: password)
        } catch let problem as Problem where problem.code == .gone {
            // A wrong token counts as a failed authentication of the address: tokens cannot be guessed at speed.
            _ = AuthFailures.refuse(address, routes.failures)
            throw problem
        }
        return try APIResponse.json(
            JSONValue.object(["status": .string("the password is changed; every session was ended")])
        ).response
    }
}
