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
                try await invitationPage(token: context.parameters.get("token") ?? "", session: session, error: nil)
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
                    ConsoleError(.validationFailed, "Not accepted", "Choose a role: admin, manager or viewer."))
                guard
                    try await accounts.people.changeRole(
                        organizationID: session.principal.organization.id, userID: try pathID(context, "id"), role: role
                    )
                        != nil
                else { throw ConsoleError.notFound("There is no such member.") }
                return HTML.seeOther("/console/members?notice=role")
            }
        }
        router.post("/console/members/{id}/remove") { request, context in
            await post(request, context, allow: Self.admin) { session, form in
                guard
                    try await accounts.people.remove(
                        organizationID: session.principal.organization.id, userID: try pathID(context, "id"))
                else { throw ConsoleError.notFound("There is no such member.") }
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
                default: throw ConsoleError.notFound("There is no such page.")
                }
                guard let changed else { throw ConsoleError.notFound("There is no such relationship.") }
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
                else { throw ConsoleError.notFound("There is no such organization.") }
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
    func invitationPage(token: String, session: ConsoleSession?, error: String?, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        struct View {
            var chrome: Chrome
            var token: String
            var organization: String
            var role: String
            var email: String
            var isAgency: Bool
            var asYourself: Bool
            var signedInElsewhere: Bool
            var error: String?
        }
        guard let invitation = try await accounts.invitations.find(token: token) else {
            throw ConsoleError(.notFound, "Invitation not found", "This invitation link is not known. Check the link.")
        }
        guard invitation.state() == "pending" else {
            throw ConsoleError(
                .gone, "Invitation no longer valid",
                "This invitation was \(invitation.state()). Ask whoever invited you for a new one.")
        }
        let me = session?.principal.user
        let chrome =
            session.map { Chrome($0, title: "Invitation", section: "") } ?? Chrome.signedOut(title: "Invitation")
        return templates.page(
            .invitation,
            View(
                chrome: chrome, token: token, organization: invitation.organizationName, role: invitation.role.rawValue,
                email: invitation.email, isAgency: invitation.brandID != nil, asYourself: me?.email == invitation.email,
                signedInElsewhere: session != nil && me?.email != invitation.email, error: error),
            status: status)
    }

    /// `POST /console/invitations/<token>`: accepts and signs in (the session cookie is the API's session).
    func acceptInvitation(_ request: Request, _ context: BriefdContext, token: String) async -> Response {
        var session: ConsoleSession?
        do {
            if ForgeryCheck.isCrossSite(request) {
                throw ConsoleError(.forbidden, "Refused", "This form was sent from another site, so it was not run.")
            }
            session = try await currentSession(request, context)
            let form = try await readForm(request, context)
            var existing: User?
            if let session, let user = session.principal.user, form.text("as") == "me" {
                guard form["csrf"] == session.csrfToken else {
                    throw ConsoleError(.forbidden, "Refused", "Reload the invitation page and accept again.")
                }
                existing = user
            }
            do {
                let (next, _, _) = try await accounts.accept(
                    token: token, existing: existing, name: form.text("name"), password: form["password"])
                var response = HTML.seeOther("/console")
                cookie.set(next.token, lifetime: Self.sessionLifetime, on: &response)
                return response
            } catch let problem as Problem where problem.code == .validationFailed || problem.code == .conflict {
                let message =
                    problem.code == .conflict
                    ? problem.detail.prefix(1).uppercased() + problem.detail.dropFirst() + "."
                    : problem.fieldErrors.map { "\(Self.personFieldLabel($0.field)) \($0.message)." }.joined(
                        separator: " ")
                return try await invitationPage(
                    token: token, session: session, error: message, status: .unprocessableContent)
            }
        } catch {
            return errorPage(error, session: session, context: context)
        }
    }

    static func personFieldLabel(_ field: String) -> String {
        switch field {
        case "name": "Your name"
        case "password": "The password"
        case "email": "The email"
        default: field
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
    }

    struct InvitationRow {
        var id: String
        var email: String
        var role: String
        var state: String
        var expires: String
        var pending: Bool
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
            var invitedEmail: String?
            var acceptURL: String?
            var roles: [Option]
        }
        let p = session.principal
        try Self.admin(p)
        let zone = p.user?.timeZone ?? p.organization.serviceLevels.timezone
        let members = try await accounts.people.members(organizationID: p.organization.id).map { m in
            MemberRow(
                id: m.user.id.lowercased, name: m.user.name, email: m.user.email, role: m.role.rawValue,
                joined: Format.date(m.joinedAt, in: zone),
                roles: Role.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == m.role) },
                isYou: m.user.id == p.user?.id)
        }
        let invitations = try await accounts.invitations.list(organizationID: p.organization.id, limit: 50)
            .filter { $0.organizationID == p.organization.id }
            .map { i in
                InvitationRow(
                    id: i.id.lowercased, email: i.email, role: i.role.rawValue, state: i.state(),
                    expires: Format.date(i.expiresAt, in: zone), pending: i.state() == "pending")
            }
        let notices = [
            "role": "The role was changed.", "removed": "The member was removed; their sessions and keys ended.",
            "revoked": "The invitation was revoked.",
        ]
        return templates.page(
            .members,
            View(
                chrome: Chrome(session, title: "Members", section: "members"), notice: notice.flatMap { notices[$0] },
                members: members, invitations: invitations, hasInvitations: !invitations.isEmpty,
                invitedEmail: invited?.0, acceptURL: invited?.1,
                roles: Role.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == .manager) }))
    }

    func invite(_ session: ConsoleSession, _ form: Form) async throws -> Response {
        let p = session.principal
        guard let email = PeopleStore.normalize(email: form.text("email") ?? "") else {
            throw ConsoleError(.validationFailed, "Not accepted", "Enter the email address of the person to invite.")
        }
        let role = try Role(rawValue: form.text("role") ?? "").orThrow(
            ConsoleError(.validationFailed, "Not accepted", "Choose a role: admin, manager or viewer."))
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
            var invitedEmail: String?
            var acceptURL: String?
        }
        let p = session.principal
        let zone = p.user?.timeZone ?? p.organization.serviceLevels.timezone
        let isBrand = p.organization.kind == .brand
        let admin = p.role == .admin
        let rows = try await roster.list(organizationID: p.organization.id).map { r in
            RelationshipRow(
                id: r.id.lowercased, other: isBrand ? r.agencyName : r.brandName, state: r.state.rawValue,
                since: Format.date(r.updatedAt, in: zone), mayAnswer: admin && !isBrand && r.state == .invited,
                mayEnd: admin && r.state == .active)
        }
        let notices = [
            "active": "The relationship is active.", "declined": "The invitation was declined.",
            "ended": "The relationship has ended.", "invited": "The agency is invited; it appears once it accepts.",
        ]
        return templates.page(
            .roster,
            View(
                chrome: Chrome(session, title: isBrand ? "Your agencies" : "Your brands", section: "roster"),
                notice: notice.flatMap { notices[$0] }, isBrand: isBrand, isAdmin: admin, rows: rows,
                empty: rows.isEmpty, invitedEmail: invited?.0, acceptURL: invited?.1))
    }

    func inviteAgency(_ session: ConsoleSession, _ form: Form) async throws -> Response {
        let p = session.principal
        guard p.organization.kind == .brand else {
            throw ConsoleError.forbidden("A brand chooses its agencies; an agency accepts or declines.")
        }
        if let raw = form.text("agency_id") {
            guard let id = UUID(uuidString: raw) else {
                throw ConsoleError(.validationFailed, "Not accepted", "An agency's id looks like 01234567-89ab-….")
            }
            let r = try await roster.invite(brandID: p.organization.id, agencyID: id, by: p.actor)
            return HTML.seeOther("/console/roster?notice=\(r.state.rawValue)")
        }
        guard let name = form.text("agency_name"),
            let email = PeopleStore.normalize(email: form.text("admin_email") ?? "")
        else {
            throw ConsoleError(
                .validationFailed, "Not accepted",
                "Give the agency's id, or its name and the email address of the person who will run it.")
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
            var locales: [Option]
            var timeZone: String
            var organizations: [Option]
            var hasOthers: Bool
        }
        let p = session.principal
        guard let user = p.user else {
            throw ConsoleError.forbidden("An API key has no profile. Sign in with your email to see yours.")
        }
        let others = try await accounts.people.memberships(userID: user.id)
            .filter { $0.organization.id != p.organization.id }
            .map {
                Option(
                    value: $0.organization.id.lowercased, label: "\($0.organization.name) (\($0.role.rawValue))",
                    selected: false)
            }
        let notices = [
            "saved": "Your profile is saved.", "password": "Your password is changed; your other sessions ended.",
        ]
        return templates.page(
            .profile,
            View(
                chrome: Chrome(session, title: "Profile", section: "profile"), notice: notice.flatMap { notices[$0] },
                name: user.name, email: user.email,
                locales: [("en", "English"), ("fr", "Français")].map {
                    Option(value: $0.0, label: $0.1, selected: $0.0 == user.locale)
                },
                timeZone: user.timeZone, organizations: others, hasOthers: !others.isEmpty))
    }

    func updateProfile(_ session: ConsoleSession, _ form: Form) async throws -> Response {
        guard let user = session.principal.user else { throw ConsoleError.forbidden("An API key has no profile.") }
        let name = form.text("name")?.trimmingCharacters(in: .whitespaces)
        let locale = form.text("locale")
        let zone = form.text("time_zone")
        if let name, name.isEmpty || name.count > 200 {
            throw ConsoleError(.validationFailed, "Not accepted", "Your name must be 1 to 200 characters.")
        }
        if let locale, !["en", "fr"].contains(locale) {
            throw ConsoleError(.validationFailed, "Not accepted", "Choose English or Français.")
        }
        if let zone, zone.count > 64 || TimeZone(identifier: zone) == nil {
            throw ConsoleError(
                .validationFailed, "Not accepted", "The time zone must be an IANA name such as Europe/Paris.")
        }
        _ = try await accounts.people.updateProfile(userID: user.id, name: name, locale: locale, timeZone: zone)
        return HTML.seeOther("/console/profile?notice=saved")
    }

    func changePassword(_ session: ConsoleSession, _ form: Form) async throws -> Response {
        guard let user = session.principal.user, case .person(_, let hash) = session.principal.credential else {
            throw ConsoleError.forbidden("An API key has no password.")
        }
        do {
            try await accounts.changePassword(
                user, current: form["current_password"] ?? "", new: form["password"] ?? "", keeping: hash)
        } catch let problem as Problem where problem.code == .validationFailed {
            throw ConsoleError(
                .validationFailed, "Not accepted", "The new password must be at least 12 characters.",
                back: "/console/profile")
        } catch let problem as Problem where problem.code == .forbidden {
            throw ConsoleError(
                .forbidden, "Not accepted", "Your current password was not right.", back: "/console/profile")
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
