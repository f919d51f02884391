import API
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import Storage
import Synchronization
import Webhooks
import Workflow

/// The console: server-rendered pages for brand managers and agency people at `/console`, signed in by email and
/// password (the same sessions as `POST /v1/sessions`) or, for service accounts, with an API key; acting only
/// through Storage's and Workflow's public API (the same transition transaction as the API).
/// Pages are Mustache templates (resources of this module, HTML-escaped); forms are plain POSTs answered with 303.
public struct Console: Sendable {
    /// How long a session lasts.
    public static let sessionLifetime: TimeInterval = 12 * 3600

    let sessions: SessionStore
    let accounts: Accounts
    let roster: RosterStore
    let organizations: OrganizationStore
    let projects: ProjectStore
    let idempotency: IdempotencyStore
    let reports: ReportStore
    let reviewStore: ReviewStore
    let endpoints: EndpointStore
    let queue: DeliveryQueue
    let box: SecretBox
    let templates: Templates
    let logger: Logger
    let resets: PasswordResets
    /// Failed sign-ins and unknown session cookies per client address, shared with the API's failed
    /// authentications.
    let failures: RateLimiter?
    /// Requests per API key: a session spends its key's budget, as the key's own calls do.
    let limiter: RateLimiter?
    /// Heavy reads and replays per organization, shared with the API.
    let budget: WorkBudget
    /// Digests of session ids seen live, so an address out of failure budget still reaches its own session.
    let liveSessions = SeenSessions()
    /// The session cookie, `Secure` when the console is served over HTTPS.
    let cookie: SessionCookie

    /// Where invitations are accepted (`BRIEFD_PUBLIC_URL`, else the listen address), shared with the API.
    let publicAddress: PublicAddress

    /// Loads the templates; throws when one does not parse (a build that cannot render must not start). `mail`:
    /// whether the console's transitions mail their notifications (`BRIEFD_SMTP_URL` is set), as the API's do.
    public init(
        db: Database, secretBox: SecretBox, logger: Logger, failures: RateLimiter? = nil, limiter: RateLimiter? = nil,
        budget: WorkBudget = WorkBudget(), secureCookies: Bool = false, passwords: PasswordHasher = PasswordHasher(),
        publicAddress: PublicAddress = PublicAddress(), mail: Bool
    ) throws {
        accounts = Accounts(db: db, passwords: passwords)
        resets = PasswordResets(db: db, passwords: passwords)
        roster = RosterStore(db: db)
        self.publicAddress = publicAddress
        cookie = SessionCookie(secure: secureCookies)
        self.failures = failures
        self.limiter = limiter
        self.budget = budget
        sessions = SessionStore(db: db)
        organizations = OrganizationStore(db: db)
        projects = ProjectStore(db: db, mail: mail)
        idempotency = IdempotencyStore(db: db)
        reports = ReportStore(db: db)
        reviewStore = ReviewStore(db: db)
        endpoints = EndpointStore(db: db)
        queue = DeliveryQueue(db: db)
        box = secretBox
        templates = try Templates.load()
        self.logger = logger
    }

    /// Adds the console's routes to the daemon's router.
    public func register(on router: Router<BriefdContext>) {
        router.get("/console/style.css") { _, _ in Static.stylesheet() }
        router.get("/console/favicon.svg") { _, _ in Static.favicon() }
        router.get("/console") { request, context in
            await respondSignedInOrNot(request, context) { session in
                guard let session else { return signInPage(request, expired: false) }
                return try await inbox(request, session)
            }
        }
        router.post("/console/login") { request, context in await login(request, context) }
        router.post("/console/logout") { request, context in
            await post(request, context) { _, _ in
                if let id = cookie.value(of: request) { try await sessions.end(id: id) }
                var response = HTML.seeOther("/console")
                cookie.clear(on: &response)
                return response
            }
        }
        router.get("/console/projects") { request, context in
            await respond(request, context) { session in try await board(request, session) }
        }
        router.get("/console/projects/new") { request, context in
            await respond(request, context) { session in try newProjectPage(session, form: nil, errors: [:]) }
        }
        router.post("/console/projects") { request, context in
            await post(request, context, allow: Self.brandWriter) { session, form in
                try await createProject(request, session, form)
            }
        }
        router.get("/console/projects/{id}") { request, context in
            await respond(request, context) { session in
                let done = request.uri.queryParameters.get("done").flatMap { Action(rawValue: String($0)) }
                return try await projectPage(
                    session, id: try pathID(context, "id"),
                    notice: done.map { session.t.say("project.done", ["action": session.t.action($0)]) })
            }
        }
        router.get("/console/projects/{id}/strategy") { request, context in
            await respond(request, context) { session in try await strategyPage(session, id: try pathID(context, "id"))
            }
        }
        router.post("/console/projects/{id}/strategy") { request, context in
            await post(request, context, allow: Self.brandWriter) { session, form in
                try await updateStrategy(request, session, form, id: try pathID(context, "id"))
            }
        }
        router.post("/console/projects/{id}/actions/{action}") { request, context in
            await post(request, context, allow: Self.writer) { session, form in
                try await act(request, context, session, form, task: false)
            }
        }
        router.post("/console/projects/{id}/tasks/{task_id}/actions/{action}") { request, context in
            await post(request, context, allow: Self.writer) { session, form in
                try await act(request, context, session, form, task: true)
            }
        }
        router.post("/console/projects/{id}/tasks/{task_id}/comments") { request, context in
            await post(request, context, allow: Self.writer) { session, form in
                try await comment(request, context, session, form, resolve: false)
            }
        }
        router.post("/console/projects/{id}/tasks/{task_id}/comments/{comment_id}/resolve") { request, context in
            await post(request, context, allow: Self.writer) { session, form in
                try await comment(request, context, session, form, resolve: true)
            }
        }
        router.get("/console/agencies") { request, context in
            await respond(request, context) { session in
                try await budget.run(session.principal.organization.id) { try await agenciesPage(request, session) }
            }
        }
        router.get("/console/agencies.csv") { request, context in
            await respond(request, context) { session in
                try await budget.run(session.principal.organization.id) { try await agenciesCSV(request, session) }
            }
        }
        router.get("/console/webhooks") { request, context in
            await respond(request, context) { session in
                let q = request.uri.queryParameters
                let notice =
                    q.get("replayed").flatMap { Int($0) }.map { session.t.plural("webhooks.replayed", $0) }
                    ?? q.get("retried").map { _ in session.t.say("webhooks.retried") }
                return try await webhooksPage(request, session, secret: nil, notice: notice)
            }
        }
        router.post("/console/webhooks/{id}/rotate") { request, context in
            await post(request, context, allow: Self.admin) { session, form in
                try await rotateSecret(request, context, session)
            }
        }
        router.post("/console/webhooks/{id}/replay") { request, context in
            await post(request, context, allow: Self.admin) { session, form in
                try await replay(request, context, session, form)
            }
        }
        router.post("/console/webhooks/deliveries/{id}/retry") { request, context in
            await post(request, context, allow: Self.admin) { session, form in
                try await retry(request, context, session, form)
            }
        }
        registerPeople(on: router)
        registerNotifications(on: router)
        router.get("/console/**") { request, context in
            await respondSignedInOrNot(request, context) { session in
                throw ConsoleError.notFound("error.no_page")
            }
        }
    }

    // MARK: Sessions

    /// Runs a page for a signed-in person; without a live session, the sign-in page (saying the session ended
    /// when the browser still sent one). Errors render as pages.
    func respond(
        _ request: Request, _ context: BriefdContext, _ body: (ConsoleSession) async throws -> Response
    ) async -> Response {
        await respondSignedInOrNot(request, context) { session in
            guard let session else {
                return signInPage(request, expired: cookie.value(of: request) != nil, status: .unauthorized)
            }
            return try await body(session)
        }
    }

    /// Runs a page that also answers signed-out visitors (`/console`, unknown paths).
    func respondSignedInOrNot(
        _ request: Request, _ context: BriefdContext, _ body: (ConsoleSession?) async throws -> Response
    ) async -> Response {
        var session: ConsoleSession?
        do {
            session = try await currentSession(request, context)
            var response = try await body(session)
            if session == nil { Self.keepLanguage(request, on: &response) }
            return response
        } catch {
            return errorPage(error, session: session, request: request)
        }
    }

    /// Runs a form post: a live session, the browser's `Sec-Fetch-Site` and the session's token first; then the
    /// handler, which answers 303 to the page or renders it again with what went wrong.
    /// `allow` checks the caller's organization and role before the body is read: a key that may not send a
    /// form gets its 403 without the daemon parsing what it sent.
    func post(
        _ request: Request, _ context: BriefdContext, allow: (Principal) throws -> Void = { _ in },
        _ body: (ConsoleSession, Form) async throws -> Response
    ) async -> Response {
        var session: ConsoleSession?
        do {
            session = try await currentSession(request, context)
            guard let session else {
                return signInPage(request, expired: true, status: .unauthorized)
            }
            try allow(session.principal)
            let form = try await readForm(request, context)
            switch ForgeryCheck.check(
                secFetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!], formToken: form["csrf"],
                sessionToken: session.csrfToken)
            {
            case .passed: break
            case .crossSite: throw ConsoleError(.forbidden, title: "error.refused", "error.cross_site")
            case .badToken: throw ConsoleError(.forbidden, title: "error.refused", "error.bad_token")
            }
            return try await body(session, form)
        } catch {
            return errorPage(error, session: session, request: request)
        }
    }

    /// Brands' admins and managers: who opens projects and writes strategies.
    static func brandWriter(_ p: Principal) throws {
        guard p.organization.kind == .brand else {
            throw ConsoleError.forbidden("error.brands_open_projects")
        }
        try writer(p)
    }

    /// Admins and managers of either side: viewers read only.
    static func writer(_ p: Principal) throws {
        guard p.role.mayAct else { throw ConsoleError.forbidden("error.viewer_reads") }
    }

    /// Admins only: webhooks.
    static func admin(_ p: Principal) throws {
        guard p.role == .admin else { throw ConsoleError.forbidden("error.admin_only") }
    }

    /// The session the request's cookie names. A cookie that names no live session counts against the client
    /// address like a refused key (429 once it has spent its budget, before any lookup); a live session spends its
    /// key's request budget.
    func currentSession(_ request: Request, _ context: BriefdContext) async throws -> ConsoleSession? {
        guard let id = cookie.value(of: request), !id.isEmpty else { return nil }
        let address = context.clientAddress ?? "unknown"
        let digest = SeenSessions.digest(id)
        if !liveSessions.contains(digest), let wait = failures?.wait(address) {
            throw ConsoleError.tooMany("error.too_many_unknown", retryAfter: wait)
        }
        guard id.utf8.count <= 128, var session = try await sessions.find(id: id) else {
            liveSessions.forget(digest)
            _ = failures?.take(address)
            return nil
        }
        liveSessions.keep(digest)
        session.locale = session.principal.user?.locale ?? Language.of(request).rawValue
        if let wait = limiter?.take(session.principal.callerID) {
            throw ConsoleError.tooMany("error.too_many_key", retryAfter: wait)
        }
        if let user = session.principal.user {
            session.unread = try await accounts.notifications.unread(
                userID: user.id, organizationID: session.principal.organization.id)
        }
        return session
    }

    func readForm(_ request: Request, _ context: BriefdContext) async throws -> Form {
        var request = request
        let buffer = try await request.collectBody(upTo: Form.maxBytes)
        return Form(urlEncoded: Array(buffer.readableBytesView))
    }

    /// `POST /console/login`: a person's email and password (the API's `POST /v1/sessions`, the same session), or a
    /// service account's API key (checked like an API call's; the key is never written into a page or a cookie).
    func login(_ request: Request, _ context: BriefdContext) async -> Response {
        do {
            if ForgeryCheck.isCrossSite(request) {
                throw ConsoleError(.forbidden, title: "error.refused", "error.cross_site_signin")
            }
            let address = context.clientAddress ?? "unknown"
            let form = try await readForm(request, context)
            let withKey = form.text("api_key") != nil
            if failures?.wait(address) != nil {
                return signInPage(
                    request, expired: false, status: .tooManyRequests, withKey: withKey,
                    error: "signin.too_many_address")
            }
            if !withKey { return try await personLogin(request, form, address: address) }
            let token = form.text("api_key") ?? ""
            guard token.hasPrefix(Tokens.prefix), token.utf8.count <= 128,
                let principal = try await organizations.authenticate(token: token)
            else {
                _ = failures?.take(address)
                return signInPage(
                    request, expired: false, status: .unauthorized, withKey: true,
                    error: "signin.bad_key")
            }
            let (id, _) = try await sessions.start(principal, lifetime: Self.sessionLifetime)
            var response = HTML.seeOther("/console")
            cookie.set(id, lifetime: Self.sessionLifetime, on: &response)
            logger.info(
                "console sign-in",
                metadata: [
                    "organization_id": "\(principal.organization.id.lowercased)",
                    "api_key_id": "\(principal.callerID.lowercased)",
                ])
            return response
        } catch {
            return errorPage(error, session: nil, request: request)
        }
    }

    /// A person signs in by email and password; with several organizations, they choose one (the page asks again,
    /// with the list) and the session acts there.
    func personLogin(_ request: Request, _ form: Form, address: String) async throws -> Response {
        let email = form.text("email") ?? ""
        let organizationID = form.text("organization_id").flatMap(UUID.init(uuidString:))
        do {
            switch try await accounts.signIn(
                email: email, password: form.text("password") ?? "", organizationID: organizationID)
            {
            case .signedIn(let session, let user, let membership):
                var response = HTML.seeOther("/console")
                cookie.set(session.token, lifetime: Self.sessionLifetime, on: &response)
                logger.info(
                    "console sign-in",
                    metadata: [
                        "organization_id": "\(membership.organization.id.lowercased)",
                        "user_id": "\(user.id.lowercased)",
                    ])
                return response
            case .chooseOrganization(_, let memberships):
                let t = Catalogue.of(Language.of(request))
                return signInPage(
                    request, expired: false, email: email,
                    organizations: memberships.map {
                        Option(
                            value: $0.organization.id.lowercased,
                            label: t.say(
                                "signin.organization_option",
                                [
                                    "name": $0.organization.name,
                                    "kind": t.say("kind.\($0.organization.kind.rawValue)"),
                                    "role": t.say("role.\($0.role.rawValue)"),
                                ]),
                            selected: false)
                    },
                    error: "signin.choose")
            }
        } catch is Accounts.WrongCredentials {
            _ = failures?.take(address)
            return signInPage(
                request, expired: false, status: .unauthorized, email: email, error: "signin.wrong_credentials")
        } catch let problem as Problem where problem.code == .rateLimited || problem.code == .validationFailed {
            var response = signInPage(
                request, expired: false, status: HTTPResponse.Status(code: problem.status), email: email,
                error: problem.code == .rateLimited ? "signin.too_many_email" : "signin.enter_both")
            if let wait = problem.headers["Retry-After"] { response.headers[HTTPField.Name("Retry-After")!] = wait }
            return response
        }
    }

    /// The sign-in page, in the request's language; `error` and `notice` are catalogue keys.
    func signInPage(
        _ request: Request, expired: Bool, status: HTTPResponse.Status = .ok, withKey: Bool = false,
        email: String = "", organizations: [Option] = [], error: String? = nil, notice: String? = nil
    ) -> Response {
        struct SignIn {
            var chrome: Chrome
            var expired: Bool
            var error: String?
            var notice: String?
            var withKey: Bool
            var email: String
            var organizations: [Option]
            var choose: Bool
        }
        let language = Language.of(request)
        let t = Catalogue.of(language)
        let withKey = withKey || request.uri.queryParameters.get("with") == "key"
        var response = templates.page(
            .signin,
            SignIn(
                chrome: Chrome.signedOut(title: t.say("signin.title"), language: language), expired: expired,
                error: error.map { t.say($0) }, notice: notice.map { t.say($0) }, withKey: withKey, email: email,
                organizations: organizations, choose: !organizations.isEmpty),
            status: status)
        if expired { cookie.clear(on: &response) }
        Self.keepLanguage(request, on: &response)
        return response
    }

    /// A signed-out visitor who chose a language with `?lang=` keeps it, in a cookie, on the next pages.
    static func keepLanguage(_ request: Request, on response: inout Response) {
        guard let q = request.uri.queryParameters.get("lang"), let language = Language(rawValue: String(q)) else {
            return
        }
        response.setCookie(
            Cookie(
                name: Language.cookie, value: language.rawValue, maxAge: 365 * 86_400, path: "/console",
                httpOnly: true, sameSite: .lax))
    }

    // MARK: Errors

    /// The error page, in the session's language (else the request's): a ``ConsoleError`` as it is, any other error
    /// as the ``Problem`` the API answers for it (the same status, in people's words).
    func errorPage(_ error: any Error, session: ConsoleSession?, request: Request) -> Response {
        let e = (error as? ConsoleError) ?? ConsoleError(Problems.problemOrInternal(for: error, logger: logger))
        struct ErrorView {
            var chrome: Chrome
            var title: String
            var message: String
            var allowed: [String]
            var hasAllowed: Bool
            var back: String?
        }
        let language = session?.t.language ?? Language.of(request)
        let t = Catalogue.of(language)
        let title = t.say(e.title)
        // The API's own sentence is written in English for integrators: an English page may show it, a French one
        // says what its code means.
        let message = e.message.map { t.say($0, e.values) } ?? (language == .en ? e.problem.detail : nil)
        let chrome =
            session.map { Chrome($0, title: title, section: "") }
            ?? Chrome.signedOut(title: title, language: language, path: request.uri.path)
        var response = templates.page(
            .error,
            ErrorView(
                chrome: chrome, title: title, message: message ?? t.say("error.message.\(e.problem.code.rawValue)"),
                allowed: e.allowed.map(t.action), hasAllowed: !e.allowed.isEmpty, back: e.back),
            status: HTTPResponse.Status(code: e.problem.status))
        if let seconds = e.problem.headers["Retry-After"], let field = HTTPField.Name("Retry-After") {
            response.headers[field] = seconds
        }
        return response
    }

    func pathID(_ context: BriefdContext, _ name: String) throws -> UUID {
        guard let s = context.parameters.get(name), let id = UUID(uuidString: s) else {
            throw ConsoleError.notFound("error.no_page")
        }
        return id
    }
}

/// A refusal the console shows as a page: a ``Problem`` (its status and code, as the API has them), with a title and a
/// sentence for people, both catalogue keys (`values` fill the sentence's `{name}`s).
struct ConsoleError: Error, ProblemConvertible {
    var problem: Problem
    /// The title's key.
    var title: String
    /// The sentence's key; nil: the API's sentence (English pages), else the code's own sentence.
    var message: String?
    var values: [String: String] = [:]
    /// Where "back" leads.
    var back: String?

    /// What the caller may do now (on a project).
    var allowed: [Action] { problem.allowedActions }

    /// A refusal of the console's own: its problem's detail is the English sentence (for the log and the API).
    init(
        _ code: Problem.Code, title: String, _ message: String, _ values: [String: String] = [:],
        allowed: [Action] = [], back: String? = nil
    ) {
        self.problem = Problem(code, Catalogue.of(.en).say(message, values), allowedActions: allowed)
        self.title = title
        self.message = message
        self.values = values
        self.back = back
    }

    static func notFound(_ message: String, _ values: [String: String] = [:]) -> ConsoleError {
        ConsoleError(.notFound, title: "error.title.not_found", message, values)
    }
    static func forbidden(_ message: String) -> ConsoleError {
        ConsoleError(.forbidden, title: "error.title.forbidden", message)
    }
    static func invalid(_ message: String, back: String? = nil) -> ConsoleError {
        ConsoleError(.validationFailed, title: "error.not_accepted", message, back: back)
    }
    static func tooMany(_ message: String, retryAfter seconds: Double) -> ConsoleError {
        var e = ConsoleError(.rateLimited, title: "error.title.rate_limited", message)
        e.problem.headers["Retry-After"] = String(max(1, Int(min(seconds, 3600).rounded(.up))))
        return e
    }

    /// The page for a problem the API would answer: its status and headers, the code's title and, where the API's
    /// sentence is written for integrators, one for people.
    init(_ problem: Problem) {
        self.problem = problem
        title = "error.title.\(problem.code.rawValue)"
        switch problem.code {
        case .notFound, .versionMismatch, .idempotencyKeyReused, .idempotencyInProgress, .payloadTooLarge,
            .unavailable, .internalError:
            message = "error.message.\(problem.code.rawValue)"
        default: message = nil
        }
    }
}

/// Digests of session ids this daemon found live (never the ids). Bounded: emptied when full.
final class SeenSessions: Sendable {
    static let capacity = 10_000
    private let digests = Mutex<Set<Data>>([])

    static func digest(_ id: String) -> Data { Data(SHA256.hash(data: Data(id.utf8))) }
    func contains(_ digest: Data) -> Bool { digests.withLock { $0.contains(digest) } }
    func keep(_ digest: Data) {
        digests.withLock {
            if $0.count >= Self.capacity { $0.removeAll(keepingCapacity: true) }
            $0.insert(digest)
        }
    }
    func forget(_ digest: Data) { _ = digests.withLock { $0.remove(digest) } }
}
