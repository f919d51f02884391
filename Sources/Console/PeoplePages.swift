import API
import Foundation
import HTTPTypes
import Hummingbird
import Storage
import Workflow

/// The console's pages for people (docs/people.md): accepting an invitation, the organization's members and
/// invitations, the brand's roster of agencies (or an agency's brands), and one's own profile. Each acts through
/// the same stores as the API's routes (`Accounts`, `PeopleStore`, `InvitationStore`, `RosterStore`).
extension Console {
    func registerPeople(on router: Router<BriefdContext>) {
        router.get("/console/invitations/{token}") { request, context in
            await respondSignedInOrNot(request, context) { session in
                try await invitationPage(
                    request, token: context.parameters.get("token") ?? "", session: session, error: nil)
            }
        }
        router.post("/console/invitations/{token}") { request, context in
            await acceptInvitation(request, context, token: context.parameters.get("token") ?? "")
        }
        router.get("/console/members") { request, context in
            await respond(request, context) { session in
                try await membersPage(session, notice: request.uri.queryParameters.get("notice").map { String($0) })
            }
        }
        router.post("/console/members/invite") { request, context in
            await post(request, context, allow: Self.admin) { session, form in try await invite(session, form) }
        }
        router.post("/console/members/{id}/role") { request, context in
            await post(request, context, allow: Self.admin) { session, form in
                let role = try Role(rawValue: form.text("role") ?? "").orThrow(
                    ConsoleError.invalid("members.choose_role"))
                guard
                    try await accounts.people.changeRole(
                        organizationID: session.principal.organization.id, userID: try pathID(context, "id"), role: role
                    )
                        != nil
                else { throw ConsoleError.notFound("members.no_member") }
                return HTML.seeOther("/console/members?notice=role")
            }
        }
        router.post("/console/members/{id}/remove") { request, context in
            await post(request, context, allow: Self.admin) { session, form in
                guard
                    try await accounts.people.remove(
                        organizationID: session.principal.organization.id, userID: try pathID(context, "id"))
                else { throw ConsoleError.notFound("members.no_member") }
                return HTML.seeOther("/console/members?notice=removed")
            }
        }
        router.post("/console/members/invitations/{id}/revoke") { request, context in
            await post(request, context, allow: Self.admin) { session, form in
                _ = try await accounts.invitations.revoke(
                    organizationID: session.principal.organization.id, id: try pathID(context, "id"))
                return HTML.seeOther("/console/members?notice=revoked")
            }
        }
        router.get("/console/roster") { request, context in
            await respond(request, context) { session in
                try await rosterPage(session, notice: request.uri.queryParameters.get("notice").map { String($0) })
            }
        }
        router.post("/console/roster/invite") { request, context in
            await post(request, context, allow: Self.admin) { session, form in try await inviteAgency(session, form) }
        }
        router.post("/console/roster/{id}/{answer}") { request, context in
            await post(request, context, allow: Self.admin) { session, form in
                let id = try pathID(context, "id")
                let p = session.principal
                let changed: AgencyRelationship?
                switch context.parameters.get("answer") ?? "" {
                case "accept":
                    changed = try await roster.answer(id: id, agencyID: p.organization.id, accept: true, by: p.actor)
                case "decline":
                    changed = try await roster.answer(id: id, agencyID: p.organization.id, accept: false, by: p.actor)
                case "end": changed = try await roster.end(id: id, organizationID: p.organization.id, by: p.actor)
                default: throw ConsoleError.notFound("error.no_page")
                }
                guard let changed else { throw ConsoleError.notFound("roster.no_relationship") }
                return HTML.seeOther("/console/roster?notice=\(changed.state.rawValue)")
            }
        }
        router.get("/console/profile") { request, context in
            await respond(request, context) { session in
                try await profilePage(session, notice: request.uri.queryParameters.get("notice").map { String($0) })
            }
        }
        router.post("/console/profile") { request, context in
            await post(request, context) { session, form in try await updateProfile(session, form) }
        }
        router.post("/console/profile/password") { request, context in
            await post(request, context) { session, form in try await changePassword(session, form) }
        }
        router.post("/console/switch") { request, context in
            await post(request, context) { session, form in
                guard let user = session.principal.user, case .person(_, let hash) = session.principal.credential,
                    let id = form.text("organization_id").flatMap(UUID.init(uuidString:))
                else { throw ConsoleError.notFound("profile.no_organization") }
                let (next, _) = try await accounts.switchOrganization(user, from: hash, to: id)
                var response = HTML.seeOther("/console")
                cookie.set(next.token, lifetime: Self.sessionLifetime, on: &response)
                return response
            }
        }
    }

    // MARK: Invitations

    /// `GET /console/invitations/<token>`: who invites, to what; a new person sets a name and a password, a person
    /// signed in with that email accepts as themselves.
    func invitationPage(
        _ request: Request, token: String, session: ConsoleSession?, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        struct View {
            var chrome: Chrome
            var token: String
            var heading: String
            var lead: String
            var acceptAs: String
            var elsewhere: String
            var email: String
            var asYourself: Bool
            var signedInElsewhere: Bool
            var error: String?
        }
        guard let invitation = try await accounts.invitations.find(token: token) else {
            throw ConsoleError(.notFound, title: "invitation.not_found_title", "invitation.not_found")
        }
        let language = session?.t.language ?? Language.of(request)
        let t = Catalogue.of(language)
        guard invitation.state() == "pending" else {
            throw ConsoleError(
                .gone, title: "invitation.gone_title", "invitation.gone",
                ["state": t.say("invitation_state.\(invitation.state())")])
        }
        let me = session?.principal.user
        let title = t.say("invitation.title")
        let chrome =
            session.map { Chrome($0, title: title, section: "") }
            ?? Chrome.signedOut(title: title, language: language, path: "/console/invitations/\(token)")
        let names = [
            "organization": invitation.organizationName, "email": invitation.email,
            "role": t.say("role.\(invitation.role.rawValue)"), "person": session?.principal.name ?? "",
        ]
        return templates.page(
            .invitation,
            View(
                chrome: chrome, token: token, heading: t.say("invitation.join", names),
                lead: t.say(invitation.brandID != nil ? "invitation.agency_lead" : "invitation.member_lead", names),
                acceptAs: t.say("invitation.accept_as", names), elsewhere: t.say("invitation.elsewhere", names),
                email: invitation.email, asYourself: me?.email == invitation.email,
                signedInElsewhere: session != nil && me?.email != invitation.email, error: error),
            status: status)
    }

    /// `POST /console/invitations/<token>`: accepts and signs in (the session cookie is the API's session).
    func acceptInvitation(_ request: Request, _ context: BriefdContext, token: String) async -> Response {
        var session: ConsoleSession?
        do {
            if ForgeryCheck.isCrossSite(request) {
                throw ConsoleError(.forbidden, title: "error.refused", "error.cross_site")
            }
            session = try await currentSession(request, context)
            let language = session?.t.language ?? Language.of(request)
            let t = Catalogue.of(language)
            let form = try await readForm(request, context)
            var existing: User?
            if let session, let user = session.principal.user, form.text("as") == "me" {
                guard form["csrf"] == session.csrfToken else {
                    throw ConsoleError(.forbidden, title: "error.refused", "invitation.reload")
                }
                existing = user
            }
            do {
                let (next, _, _) = try await accounts.accept(
                    token: token, existing: existing, name: form.text("name"), password: form["password"],
                    locale: language.rawValue)
                var response = HTML.seeOther("/console")
                cookie.set(next.token, lifetime: Self.sessionLifetime, on: &response)
                return response
            } catch let problem as Problem where problem.code == .validationFailed || problem.code == .conflict {
                let message =
                    problem.code == .conflict
                    ? t.say("invitation.conflict")
                    : problem.fieldErrors.map {
                        t.say(
                            "invitation.field_invalid",
                            [
                                "field": t.say("invitation.field.\($0.field)"),
                                "message": t.language == .en ? $0.message : t.say(Self.personFieldHint($0.field)),
                            ])
                    }.joined(separator: " ")
                return try await invitationPage(
                    request, token: token, session: session, error: message, status: .unprocessableContent)
            }
        } catch {
            return errorPage(error, session: session, request: request)
        }
    }

    /// What a refused field of the invitation form needs, in words of the catalogue.
    static func personFieldHint(_ field: String) -> String {
        switch field {
        case "name": "invitation.bad_name"
        case "password": "invitation.bad_password"
        default: "invitation.bad_field"
        }
    }

    // MARK: Members

    struct MemberRow {
        var id: String
        var name: String
        var email: String
        var role: String
        var joined: String
        var roles: [Option]
        var isYou: Bool
        var roleLabel: String
        var removeLabel: String
    }

    struct InvitationRow {
        var id: String
        var email: String
        var role: String
        var state: String
        var expires: String
        var pending: Bool
        var revokeLabel: String
    }

    /// `GET /console/members` (admins): members with their roles, invitations, and the invite form.
    func membersPage(_ session: ConsoleSession, notice: String?, invited: (String, String)? = nil) async throws
        -> Response
    {
        struct View {
            var chrome: Chrome
            var notice: String?
            var members: [MemberRow]
            var invitations: [InvitationRow]
            var hasInvitations: Bool
            var invitedText: String?
            var acceptURL: String?
            var roles: [Option]
            var caption: String
        }
        let p = session.principal
        let t = session.t
        try Self.admin(p)
        let zone = p.user?.timeZone ?? p.organization.serviceLevels.timezone
        let members = try await accounts.people.members(organizationID: p.organization.id).map { m in
            MemberRow(
                id: m.user.id.lowercased, name: m.user.name, email: m.user.email,
                role: t.say("role.\(m.role.rawValue)"),
                joined: t.date(m.joinedAt, in: zone), roles: Self.roles(m.role, t), isYou: m.user.id == p.user?.id,
                roleLabel: t.say("members.role_of", ["name": m.user.name]),
                removeLabel: t.say("members.remove", ["name": m.user.name]))
        }
        let invitations = try await accounts.invitations.list(organizationID: p.organization.id, limit: 50)
            .filter { $0.organizationID == p.organization.id }
            .map { i in
                InvitationRow(
                    id: i.id.lowercased, email: i.email, role: t.say("role.\(i.role.rawValue)"),
                    state: t.say("invitation_state.\(i.state())"), expires: t.date(i.expiresAt, in: zone),
                    pending: i.state() == "pending", revokeLabel: t.say("members.revoke", ["email": i.email]))
            }
        return templates.page(
            .members,
            View(
                chrome: Chrome(session, title: t.say("nav.members"), section: "members"),
                notice: notice.flatMap {
                    ["role", "removed", "revoked"].contains($0) ? t.say("members.notice.\($0)") : nil
                },
                members: members, invitations: invitations, hasInvitations: !invitations.isEmpty,
                invitedText: invited.map { t.say("members.invited", ["email": $0.0]) }, acceptURL: invited?.1,
                roles: Self.roles(.manager, t), caption: t.say("members.caption", ["organization": p.organization.name])
            ))
    }

    /// The roles to choose from, in the page's language.
    static func roles(_ selected: Role, _ t: Catalogue) -> [Option] {
        Role.allCases.map { Option(value: $0.rawValue, label: t.say("role.\($0.rawValue)"), selected: $0 == selected) }
    }

    func invite(_ session: ConsoleSession, _ form: Form) async throws -> Response {
        let p = session.principal
        guard let email = PeopleStore.normalize(email: form.text("email") ?? "") else {
            throw ConsoleError.invalid("members.enter_email")
        }
        let role = try Role(rawValue: form.text("role") ?? "").orThrow(ConsoleError.invalid("members.choose_role"))
        let (_, token) = try await accounts.invitations.invite(
            organizationID: p.organization.id, email: email, role: role, by: p.actor)
        return try await membersPage(
            session, notice: nil, invited: (email, publicAddress.invitationURL(token: token)))
    }

    // MARK: Roster

    struct RelationshipRow {
        var id: String
        var other: String
        var state: String
        var since: String
        var mayAnswer: Bool
        var mayEnd: Bool
        var acceptLabel: String
        var declineLabel: String
        var endLabel: String
    }

    /// `GET /console/roster`: a brand's agencies (invite one by its id or, when it is not in briefd yet, by email;
    /// end one), or an agency's brands (accept or decline an invitation, end).
    func rosterPage(_ session: ConsoleSession, notice: String?, invited: (String, String)? = nil) async throws
        -> Response
    {
        struct View {
            var chrome: Chrome
            var notice: String?
            var isBrand: Bool
            var isAdmin: Bool
            var rows: [RelationshipRow]
            var empty: Bool
            var invitedText: String?
            var acceptURL: String?
        }
        let p = session.principal
        let t = session.t
        let zone = p.user?.timeZone ?? p.organization.serviceLevels.timezone
        let isBrand = p.organization.kind == .brand
        let admin = p.role == .admin
        let rows = try await roster.list(organizationID: p.organization.id).map { r in
            let other = ["name": isBrand ? r.agencyName : r.brandName]
            return RelationshipRow(
                id: r.id.lowercased, other: other["name"] ?? "", state: t.say("roster.state.\(r.state.rawValue)"),
                since: t.date(r.updatedAt, in: zone), mayAnswer: admin && !isBrand && r.state == .invited,
                mayEnd: admin && r.state == .active, acceptLabel: t.say("roster.accept", other),
                declineLabel: t.say("roster.decline", other), endLabel: t.say("roster.end", other))
        }
        return templates.page(
            .roster,
            View(
                chrome: Chrome(
                    session, title: t.say(isBrand ? "roster.title_brand" : "roster.title_agency"), section: "roster"),
                notice: notice.flatMap {
                    ["active", "declined", "ended", "invited"].contains($0) ? t.say("roster.notice.\($0)") : nil
                }, isBrand: isBrand, isAdmin: admin, rows: rows, empty: rows.isEmpty,
                invitedText: invited.map { t.say("members.invited", ["email": $0.0]) }, acceptURL: invited?.1))
    }

    func inviteAgency(_ session: ConsoleSession, _ form: Form) async throws -> Response {
        let p = session.principal
        guard p.organization.kind == .brand else {
            throw ConsoleError.forbidden("roster.brands_choose")
        }
        if let raw = form.text("agency_id") {
            guard let id = UUID(uuidString: raw) else {
                throw ConsoleError.invalid("roster.bad_id")
            }
            let r = try await roster.invite(brandID: p.organization.id, agencyID: id, by: p.actor)
            return HTML.seeOther("/console/roster?notice=\(r.state.rawValue)")
        }
        guard let name = form.text("agency_name"),
            let email = PeopleStore.normalize(email: form.text("admin_email") ?? "")
        else {
            throw ConsoleError.invalid("roster.give_agency")
        }
        let (_, token) = try await accounts.invitations.inviteAgency(
            brandID: p.organization.id, agencyName: name, email: email, by: p.actor)
        return try await rosterPage(
            session, notice: nil, invited: (email, publicAddress.invitationURL(token: token)))
    }

    // MARK: Profile

    /// `GET /console/profile`: name, language, time zone, password, and the person's other organizations.
    func profilePage(_ session: ConsoleSession, notice: String?) async throws -> Response {
        struct View {
            var chrome: Chrome
            var notice: String?
            var name: String
            var email: String
            var signedInAs: String
            var locales: [Option]
            var timeZone: String
            var organizations: [Option]
            var hasOthers: Bool
        }
        let p = session.principal
        let t = session.t
        guard let user = p.user else { throw ConsoleError.forbidden("profile.no_profile") }
        let others = try await accounts.people.memberships(userID: user.id)
            .filter { $0.organization.id != p.organization.id }
            .map {
                Option(
                    value: $0.organization.id.lowercased,
                    label: t.say(
                        "profile.organization_option",
                        ["name": $0.organization.name, "role": t.say("role.\($0.role.rawValue)")]),
                    selected: false)
            }
        return templates.page(
            .profile,
            View(
                chrome: Chrome(session, title: t.say("nav.profile"), section: "profile"),
                notice: notice.flatMap { ["saved", "password"].contains($0) ? t.say("profile.notice.\($0)") : nil },
                name: user.name, email: user.email, signedInAs: t.say("profile.signed_in_as", ["email": user.email]),
                locales: Language.allCases.map {
                    Option(value: $0.rawValue, label: $0.name, selected: $0.rawValue == user.locale)
                },
                timeZone: user.timeZone, organizations: others, hasOthers: !others.isEmpty))
    }

    func updateProfile(_ session: ConsoleSession, _ form: Form) async throws -> Response {
        guard let user = session.principal.user else { throw ConsoleError.forbidden("profile.no_profile") }
        let name = form.text("name")?.trimmingCharacters(in: .whitespaces)
        let locale = form.text("locale")
        let zone = form.text("time_zone")
        if let name, name.isEmpty || name.count > 200 {
            throw ConsoleError.invalid("profile.bad_name")
        }
        if let locale, !["en", "fr"].contains(locale) {
            throw ConsoleError.invalid("profile.bad_locale")
        }
        if let zone, zone.count > 64 || TimeZone(identifier: zone) == nil {
            throw ConsoleError.invalid("profile.bad_zone")
        }
        _ = try await accounts.people.updateProfile(userID: user.id, name: name, locale: locale, timeZone: zone)
        return HTML.seeOther("/console/profile?notice=saved")
    }

    func changePassword(_ session: ConsoleSession, _ form: Form) async throws -> Response {
        guard let user = session.principal.user, case .person(_, let hash) = session.principal.credential else {
            throw ConsoleError.forbidden("profile.no_password")
        }
        do {
            try await accounts.changePassword(
                user, current: form["current_password"] ?? "", new: form["password"] ?? "", keeping: hash)
        } catch let problem as Problem where problem.code == .validationFailed {
            throw ConsoleError.invalid("profile.short_password", back: "/console/profile")
        } catch let problem as Problem where problem.code == .forbidden {
            throw ConsoleError(
                .forbidden, title: "error.not_accepted", "profile.wrong_password", back: "/console/profile")
        }
        return HTML.seeOther("/console/profile?notice=password")
    }
}

extension Optional {
    /// The value, or `error` thrown.
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}

extension String {
    /// Nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
