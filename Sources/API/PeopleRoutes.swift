import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Workflow

/// People (docs/people.md): sessions, the caller's own profile, invitations and members.
struct PeopleRoutes: Sendable {
    let accounts: Accounts
    var people: PeopleStore { accounts.people }
    var invitations: InvitationStore { accounts.invitations }
    let publicAddress: PublicAddress
    let routes: Routes
    var notifications: NotificationStore { accounts.notifications }

    func register(on router: Router<BriefdContext>, v1: RouterGroup<BriefdContext>) {
        router.post("/v1/sessions", use: signIn)
        router.post("/v1/invitations/accept", use: acceptInvitation)
        v1.delete("/sessions/current", use: signOut)
        v1.get("/me", use: me)
        v1.patch("/me", use: updateMe)
        v1.post("/invitations", use: invite)
        v1.get("/invitations", use: listInvitations)
        v1.delete("/invitations/{id}", use: revokeInvitation)
        v1.get("/members", use: members)
        v1.patch("/members/{user_id}", use: changeRole)
        v1.delete("/members/{user_id}", use: removeMember)
    }

    // MARK: Sessions

    @Sendable func signIn(_ request: Request, context: BriefdContext) async throws -> Response {
        let address = try AuthFailures.admit(context, routes.failures)
        let body = try await routes.readBody(request, context)
        var r = try FieldReader(body: body)
        let email = r.string("email", max: 254)
        let password = r.string("password", max: PasswordHasher.maximumLength, allowEmpty: true)
        let organization = r.string("organization_id", max: 36, required: false)
        let organizationID = organization.flatMap(UUID.init(uuidString:))
        if organization != nil, organizationID == nil { r.fail("organization_id", "must be an id") }
        let (e, pw) = try r.finish(email, password)
        do {
            switch try await accounts.signIn(email: e, password: pw, organizationID: organizationID) {
            case .signedIn(let session, let user, let membership):
                return try APIResponse.json(Self.sessionAnswer(session, user, membership), status: .created).response
            case .chooseOrganization(_, let memberships):
                throw Problem(
                    .organizationRequired, "you are a member of several organizations: send organization_id",
                    extra: ["organizations": .array(memberships.map(Self.membership))])
            }
        } catch let wrong as Accounts.WrongCredentials {
            _ = AuthFailures.refuse(address, routes.failures)
            throw wrong
        }
    }

    static func sessionAnswer(_ session: PersonSession, _ user: User, _ membership: Membership) -> JSONValue {
        .object([
            "session": .object(["token": .string(session.token), "expires_at": Views.date(session.expiresAt)]),
            "user": Self.user(user), "membership": Self.membership(membership),
        ])
    }

    static func user(_ u: User) -> JSONValue {
        .object([
            "id": .id(u.id), "email": .string(u.email), "name": .string(u.name), "locale": .string(u.locale),
            "time_zone": .string(u.timeZone), "created_at": Views.date(u.createdAt),
        ])
    }

    static func membership(_ m: Membership) -> JSONValue {
        .object([
            "organization": .object([
                "id": .id(m.organization.id), "name": .string(m.organization.name),
                "kind": .string(m.organization.kind.rawValue),
            ]),
            "role": .string(m.role.rawValue),
        ])
    }

    @Sendable func signOut(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        guard case .person(_, let hash) = p.credential else {
            throw APIError.malformed("an API key has no session to end; revoke the key instead")
        }
        try await people.endSession(hash: hash)
        return Response(status: .noContent)
    }

    // MARK: The caller

    @Sendable func me(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        guard let user = p.user, case .object(var o) = Self.me(p) else {
            return try APIResponse.json(Self.me(p)).response
        }
        o["notifications"] = try await notificationSettings(user)
        return try APIResponse.json(JSONValue.object(o)).response
    }

    /// `{"email": "immediate" | "daily" | "off"}`.
    func notificationSettings(_ user: User) async throws -> JSONValue {
        .object(["email": .string(try await notifications.emailPreference(userID: user.id).rawValue)])
    }

    /// Who is calling: the person and their membership, or the key; and the organization.
    static func me(_ p: Principal) -> JSONValue {
        var o: [String: JSONValue] = [
            "kind": .string(p.user != nil ? "user" : "api_key"), "organization": Views.organization(p.organization),
            "role": .string(p.role.rawValue),
        ]
        if let user = p.user {
            o["user"] = Self.user(user)
            o["membership"] = Self.membership(Membership(organization: p.organization, role: p.role, joinedAt: Date()))
        }
        if let key = p.key { o["api_key"] = Views.apiKey(key) }
        return .object(o)
    }

    @Sendable func updateMe(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        guard let user = p.user, case .person(_, let sessionHash) = p.credential else {
            throw APIError.forbidden("an API key has no profile; sign in as a person (POST /v1/sessions)")
        }
        let body = try await routes.readBody(request, context)
        var r = try FieldReader(body: body)
        let name = r.string("name", max: 200, required: false)
        let locale = r.string("locale", max: 8, required: false)
        let timeZone = r.string("time_zone", max: 64, required: false)
        let password = r.string("password", max: PasswordHasher.maximumLength, allowEmpty: true, required: false)
        let current = r.string(
            "current_password", max: PasswordHasher.maximumLength, allowEmpty: true, required: false)
        if let locale, !["en", "fr"].contains(locale) { r.fail("locale", "must be one of en, fr") }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            r.fail("time_zone", "must be an IANA time zone such as Europe/Paris")
        }
        if let password, let problem = PasswordHasher.problem(with: password) { r.fail("password", problem) }
        if password != nil, current == nil { r.fail("current_password", "is required to change the password") }
        var email: EmailNotifications?
        if r.has("notifications") {
            email = r.nested("notifications") { inner in inner.enumValue("email", EmailNotifications.self) } ?? nil
        }
        try r.finish()
        if let password, let current {
            try await accounts.changePassword(user, current: current, new: password, keeping: sessionHash)
        }
        let updated = try await people.updateProfile(
            userID: user.id, name: name?.trimmingCharacters(in: .whitespaces), locale: locale, timeZone: timeZone)
        if let email { try await notifications.setEmailPreference(userID: user.id, email) }
        guard case .object(var o) = Self.user(updated) else { return try APIResponse.json(Self.user(updated)).response }
        o["notifications"] = try await notificationSettings(updated)
        return try APIResponse.json(JSONValue.object(o)).response
    }

    // MARK: Invitations

    @Sendable func invite(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let body = try await routes.readBody(request, context)
        return try await routes.idempotent(
            request, context, scope: p.idempotencyScope, body: body, sealing: routes.secretBox
        ) { _ in
            var r = try FieldReader(body: body)
            let (email, role) = try r.finish(r.string("email", max: 254), r.enumValue("role", Role.self))
            guard let normalized = PeopleStore.normalize(email: email) else {
                throw APIError.invalid("email", "must be an email address")
            }
            let (invitation, token) = try await invitations.invite(
                organizationID: p.organization.id, email: normalized, role: role, by: p.actor)
            return try .json(
                JSONValue.object(["invitation": invitationView(invitation, token: token)]), status: .created)
        }.response
    }

    /// An invitation; with its token (only in the answer that creates it), its `accept_url`.
    func invitationView(_ i: Invitation, token: String? = nil) -> JSONValue {
        Views.invitation(i, acceptURL: token.map { publicAddress.invitationURL(token: $0) })
    }

    @Sendable func listInvitations(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let list = try await invitations.list(organizationID: p.organization.id)
        return try APIResponse.json(JSONValue.object(["data": .array(list.map { invitationView($0) })])).response
    }

    @Sendable func revokeInvitation(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "id")
        guard let invitation = try await invitations.revoke(organizationID: p.organization.id, id: id) else {
            throw APIError.notFound("no such invitation")
        }
        return try APIResponse.json(JSONValue.object(["invitation": invitationView(invitation)])).response
    }

    @Sendable func acceptInvitation(_ request: Request, context: BriefdContext) async throws -> Response {
        let address = try AuthFailures.admit(context, routes.failures)
        let body = try await routes.readBody(request, context)
        var r = try FieldReader(body: body)
        let token = r.string("token", max: 128)
        let name = r.string("name", max: 200, required: false)
        let password = r.string("password", max: PasswordHasher.maximumLength, allowEmpty: true, required: false)
        try r.finish()
        guard let token else { throw APIError.malformed("token is required") }
        // A person with an account accepts under their own session; a new one gives a name and a password.
        var existing: User?
        if let bearer = bearerToken(request) {
            guard bearer.hasPrefix(PeopleStore.sessionPrefix), bearer.utf8.count <= 128,
                let (caller, _, _) = try await people.authenticate(sessionHash: Tokens.hash(bearer)),
                let user = caller.user
            else { throw AuthFailures.refuse(address, routes.failures) }
            existing = user
        }
        let answer = try await accept(token: token, existing: existing, name: name, password: password)
        return try APIResponse.json(answer, status: .created).response
    }

    func accept(token: String, existing: User?, name: String?, password: String?) async throws -> JSONValue {
        let (session, user, membership) = try await accounts.accept(
            token: token, existing: existing, name: name, password: password)
        return Self.sessionAnswer(session, user, membership)
    }

    // MARK: Members

    @Sendable func members(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let list = try await people.members(organizationID: p.organization.id)
        return try APIResponse.json(JSONValue.object(["data": .array(list.map(Self.member))])).response
    }

    static func member(_ m: Member) -> JSONValue {
        .object([
            "id": .id(m.user.id), "name": .string(m.user.name), "email": .string(m.user.email),
            "role": .string(m.role.rawValue), "joined_at": Views.date(m.joinedAt),
        ])
    }

    @Sendable func changeRole(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "user_id")
        let body = try await routes.readBody(request, context)
        var r = try FieldReader(body: body)
        let role = try r.finish(r.enumValue("role", Role.self))
        guard let member = try await people.changeRole(organizationID: p.organization.id, userID: id, role: role) else {
            throw APIError.notFound("no such member")
        }
        return try APIResponse.json(Self.member(member)).response
    }

    @Sendable func removeMember(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "user_id")
        guard try await people.remove(organizationID: p.organization.id, userID: id) else {
            throw APIError.notFound("no such member")
        }
        return Response(status: .noContent)
    }
}
