import Foundation
import Workflow

/// Signing people in and letting them in by invitation: the rules the API (`POST /v1/sessions`,
/// `POST /v1/invitations/accept`) and the console's forms share, so each is written once (docs/people.md).
public struct Accounts: Sendable {
    public let people: PeopleStore
    public let invitations: InvitationStore
    public let passwords: PasswordHasher
    /// A person's notifications and how they hear of them.
    public let notifications: NotificationStore

    public init(db: Database, passwords: PasswordHasher = PasswordHasher()) {
        people = PeopleStore(db: db)
        notifications = NotificationStore(db: db)
        invitations = InvitationStore(db: db)
        self.passwords = passwords
    }

    /// A wrong password and an unknown email: one refusal, the same status, body and time (a dummy is hashed).
    public struct WrongCredentials: Error, ProblemConvertible, Sendable {
        public var problem: Problem {
            Problem(.unauthenticated, "the email or the password is wrong", headers: ["WWW-Authenticate": "Bearer"])
        }
    }

    /// What a right password leads to.
    public enum SignIn: Sendable {
        /// A session, as the membership chosen (or the only one).
        case signedIn(PersonSession, User, Membership)
        /// Several memberships and none chosen: the person picks one (422 `organization_required` in the API).
        case chooseOrganization(User, [Membership])
    }

    /// Signs a person in. Throws ``WrongCredentials`` (the caller counts it against the client's address), 429 past
    /// ten failures in a row for the email (one attempt per 30 s until a success), 403 for a person who is a member
    /// of nothing, 422 on `organization_id` for an organization that is not theirs.
    public func signIn(email raw: String, password: String, organizationID: UUID?) async throws -> SignIn {
        guard let email = PeopleStore.normalize(email: raw) else {
            throw Problem.invalid("email", "must be an email address")
        }
        if let wait = try await people.throttled(email: email) {
            throw Problem(
                .rateLimited, "too many failed sign-ins for this email; retry after the delay",
                headers: ["Retry-After": String(Int(wait.rounded(.up)))])
        }
        let found = try await people.credentials(email: email)
        guard try await passwords.verify(password, against: found?.1), let (user, stored) = found, let stored else {
            try await people.recordFailure(email: email)
            throw WrongCredentials()
        }
        let memberships = try await people.memberships(userID: user.id)
        let chosen: Membership
        if let organizationID {
            guard let m = memberships.first(where: { $0.organization.id == organizationID }) else {
                throw Problem.invalid("organization_id", "must be one of your organizations")
            }
            chosen = m
        } else if memberships.count == 1 {
            chosen = memberships[0]
        } else if memberships.isEmpty {
            try await people.clearFailures(email: email)
            throw Problem.forbidden("you are no longer a member of any organization; ask an admin to invite you")
        } else {
            try await people.clearFailures(email: email)
            return .chooseOrganization(user, memberships)
        }
        let session = try await people.startSession(
            user: user.id, organizationID: chosen.organization.id, email: email,
            rehash: passwords.needsRehash(stored) ? try await passwords.hash(password) : nil)
        return .signedIn(session, user, chosen)
    }

    /// A signed-in person moves to another of their organizations: a new session there, the current one ended.
    public func switchOrganization(_ user: User, from sessionHash: Data, to organizationID: UUID) async throws
        -> (PersonSession, Membership)
    {
        guard
            let m = try await people.memberships(userID: user.id).first(where: { $0.organization.id == organizationID })
        else { throw Problem.notFound("you are not a member of that organization") }
        let session = try await people.startSession(user: user.id, organizationID: organizationID)
        try await people.endSession(hash: sessionHash)
        return (session, m)
    }

    /// Accepts an invitation and signs the person in as that membership. A person signed in already (`existing`)
    /// joins as themselves; a new one gives a name and a password (checked before anything is written).
    /// `locale`: a new person's language (`en`, `fr`).
    public func accept(
        token: String, existing: User?, name: String?, password: String?, locale: String = "en"
    ) async throws -> (
        PersonSession, User, Membership
    ) {
        let acceptance: Acceptance
        if let existing {
            acceptance = .existing(existing)
        } else {
            var errors: [FieldError] = []
            let trimmed = name?.trimmingCharacters(in: .whitespaces) ?? ""
            if trimmed.isEmpty { errors.append(FieldError(field: "name", message: "is required")) }
            if let password {
                if let problem = PasswordHasher.problem(with: password) {
                    errors.append(FieldError(field: "password", message: problem))
                }
            } else {
                errors.append(FieldError(field: "password", message: "is required"))
            }
            guard errors.isEmpty, let password else { throw Problem.invalid(errors) }
            // The invitation is checked before the password is hashed: an unknown token costs nothing.
            guard let found = try await invitations.find(token: token) else {
                throw Problem.notFound("no such invitation")
            }
            guard found.state() == "pending" else {
                throw Problem(.gone, "this invitation is \(found.state()); ask for a new one")
            }
            acceptance = .newPerson(name: trimmed, passwordHash: try await passwords.hash(password), locale: locale)
        }
        let (user, membership) = try await invitations.accept(token: token, as: acceptance)
        let session = try await people.startSession(user: user.id, organizationID: membership.organization.id)
        return (session, user, membership)
    }

    /// Changes the person's password (the current one checked first) and ends their other sessions.
    public func changePassword(_ user: User, current: String, new: String, keeping sessionHash: Data?) async throws {
        if let problem = PasswordHasher.problem(with: new) { throw Problem.invalid("password", problem) }
        let stored = try await people.passwordHash(userID: user.id)
        guard try await passwords.verify(current, against: stored) else {
            throw Problem.forbidden("current_password is wrong")
        }
        try await people.setPassword(userID: user.id, hash: try await passwords.hash(new), keeping: sessionHash)
    }
}
