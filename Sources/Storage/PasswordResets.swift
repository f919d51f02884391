import Foundation
import PostgresNIO
import Workflow

/// Password resets (issue 32): a request writes a single-use token's hash and the email that carries the token, in
/// one transaction; completing it sets the password and ends every session of the person, in one transaction.
/// The request's answer is the same whether the address is known or not (no account enumeration).
public struct PasswordResets: Sendable {
    let db: Database
    let passwords: PasswordHasher

    public init(db: Database, passwords: PasswordHasher = PasswordHasher()) {
        self.db = db
        self.passwords = passwords
    }

    /// How long a reset link is valid.
    public static let lifetime: TimeInterval = 3600
    /// Reset emails per person per hour at most: more requests are answered the same and send nothing, so the
    /// endpoint cannot flood someone's mailbox.
    public static let perHour = 3

    /// Requests a reset for `email`: writes the reset and its email when the address is a person's (and fewer than
    /// `perHour` were requested in the last hour). Returns nothing either way.
    public func request(email raw: String) async throws {
        guard let email = PeopleStore.normalize(email: raw) else { return }
        let token = Tokens.random()
        try await db.transaction { [logger = db.logger] conn in
            let rows = try await conn.query(
                """
                SELECT u.id, u.name, u.locale FROM users u WHERE u.email = \(email)
                  AND (SELECT count(*) FROM password_resets r
                       WHERE r.user_id = u.id AND r.created_at > now() - interval '1 hour') < \(Self.perHour)
                FOR UPDATE OF u
                """, logger: logger
            ).collect()
            guard let (userID, name, locale) = try rows.first?.decode((UUID, String, String).self) else { return }
            try await conn.query(
                """
                INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at)
                VALUES (\(UUID.v7(now: Date())), \(userID), \(Tokens.hash(token)), now(),
                        now() + make_interval(secs => \(Self.lifetime)))
                """, logger: logger
            ).run()
            try await MailOutbox.insert(
                conn, kind: "password_reset", userID: userID, to: email, locale: locale,
                content: ["recipient": name, "secret_path": ConsolePaths.passwordReset(token: token)], logger: logger)
        }
    }

    /// Sets a new password with a reset token: valid, unexpired and unused, then used; every session of the person
    /// ends. Throws 410 `gone` for a token that is unknown, used or expired, 422 for a weak password.
    public func complete(token: String, password: String) async throws {
        if let problem = PasswordHasher.problem(with: password) { throw Problem.invalid("password", problem) }
        let hash = try await passwords.hash(password)
        try await db.transaction { [logger = db.logger] conn in
            let rows = try await conn.query(
                """
                UPDATE password_resets SET used_at = now()
                WHERE token_hash = \(Tokens.hash(token)) AND used_at IS NULL AND expires_at > now()
                RETURNING user_id
                """, logger: logger
            ).collect()
            guard let userID = try rows.first?.decode(UUID.self) else {
                throw Problem(.gone, "this reset link is unknown, used or expired: ask for another")
            }
            try await conn.query("UPDATE users SET password_hash = \(hash) WHERE id = \(userID)", logger: logger).run()
            try await conn.query("DELETE FROM person_sessions WHERE user_id = \(userID)", logger: logger).run()
            try await conn.query(
                "DELETE FROM sign_in_failures WHERE email = (SELECT email FROM users WHERE id = \(userID))",
                logger: logger
            ).run()
        }
    }
}
