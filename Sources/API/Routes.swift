import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage
import Webhooks
import Workflow

/// The v1 routes. Handlers parse and check input, call the stores, and render views; the machine decides.
struct Routes: Sendable {
    let organizations: OrganizationStore
    let people: PeopleStore
    let projects: ProjectStore
    let events: EventStore
    let idempotency: IdempotencyStore
    let adminToken: String?
    let limiter: RateLimiter?
    /// Failed authentications per client address.
    let failures: RateLimiter?
    /// Seals kept answers that carry a secret (new keys' tokens).
    let secretBox: SecretBox
    /// Heavy reads and replays at once per organization, shared with the console.
    let budget: WorkBudget
    /// The base of the links the API hands out (an invitation's `accept_url`).
    let publicAddress: PublicAddress

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    /// `handler` on one of the caller's organization's heavy-work slots (``WorkBudget``): 429 `busy` past them.
    func heavy(
        _ handler: @escaping @Sendable (Request, BriefdContext) async throws -> Response
    ) -> @Sendable (Request, BriefdContext) async throws -> Response {
        { [budget] request, context in
            guard let organization = context.principal?.organization.id else { throw APIError.unauthenticated }
            return try await budget.run(organization) { try await handler(request, context) }
        }
    }

    /// Registers the routes; returns the authenticated `/v1` group for the other route sets.
    func register(on router: Router<BriefdContext>) -> RouterGroup<BriefdContext> {
        router.post("/v1/organizations", use: createOrganization)

        let keys = KeyCache()
        func authenticated(checkedByRoute: Bool) -> RouterGroup<BriefdContext> {
            router.group("/v1").add(
                middleware: AuthMiddleware(
                    organizations: organizations, people: people, cache: keys, checkedByRoute: checkedByRoute,
                    limiter: limiter,
                    adminToken: adminToken, failures: failures))
        }
        let v1 = authenticated(checkedByRoute: false)
        v1.get("/organizations/me", use: me)
        v1.post("/api-keys", use: createKey)
        v1.get("/api-keys", use: listKeys)
        v1.delete("/api-keys/{id}", use: revokeKey)
        v1.post("/projects", use: createProject)
        v1.get("/projects", use: listProjects)
        v1.get("/projects/{id}", use: getProject)
        v1.get("/projects/{id}/history", use: history)
        // Transitions check their caller's key in their own locked read (AuthMiddleware says how).
        let transitions = authenticated(checkedByRoute: true)
        transitions.post("/projects/{id}/actions/{action}", use: projectAction)
        transitions.post("/projects/{id}/tasks/{task_id}/actions/{action}", use: taskAction)
        v1.get("/workflow", use: workflow)
        v1.get("/events", use: listEvents)
        return v1
    }

    // MARK: Organizations and keys

    @Sendable func createOrganization(_ request: Request, context: BriefdContext) async throws -> Response {
        let address = try AuthFailures.admit(context, failures)
        guard let adminToken, let token = bearerToken(request), constantTimeEquals(token, adminToken) else {
            throw AuthFailures.refuse(address, failures)
        }
        let body = try await readBody(request, context)
        return try await idempotent(request, context, scope: "operator", body: body, sealing: secretBox) { claim in
            var r = try FieldReader(body: body)
            let adminEmail = r.string("admin_email", max: 254, required: false)
            let email = adminEmail.flatMap(PeopleStore.normalize(email:))
            if adminEmail != nil, email == nil { r.fail("admin_email", "must be an email address") }
            let adminLocale = r.string("admin_locale", max: 8, required: false)
            if let adminLocale, !["en", "fr"].contains(adminLocale) { r.fail("admin_locale", "must be one of en, fr") }
            if adminLocale != nil, adminEmail == nil { r.fail("admin_locale", "goes with admin_email") }
            let (name, kind) = try r.finish(
                r.string("name", max: 200), r.enumValue("kind", OrganizationKind.self))
            let base = publicAddress
            let render: @Sendable (OrganizationStore.Created) throws -> APIResponse = { created in
                let (org, key, token, invitation) = created
                var o: [String: JSONValue] = [
                    "organization": Views.organization(org), "api_key": Views.apiKey(key, token: token),
                ]
                if let (invitation, token) = invitation {
                    o["invitation"] = Views.invitation(invitation, acceptURL: base.invitationURL(token: token))
                }
                return try .json(JSONValue.object(o), status: .created)
            }
            let created = try await organizations.create(
                name: name, kind: kind, adminEmail: email, adminLocale: adminLocale,
                idempotency: Self.completion(claim, sealing: secretBox, render))
            return try render(created).kept(inTransactionOf: claim)
        }.response
    }

    @Sendable func me(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        return try APIResponse.json(PeopleRoutes.me(p)).response
    }

    /// An admin creates the organization's keys; a person under their session creates personal keys (`owner` is
    /// them, the role at most theirs), revoked when they leave the organization.
    @Sendable func createKey(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let owner = p.user?.id
        if owner == nil { _ = try requireAdmin(context) }
        let body = try await readBody(request, context)
        return try await idempotent(
            request, context, scope: p.idempotencyScope, body: body, sealing: secretBox
        ) { claim in
            var r = try FieldReader(body: body)
            let (name, role) = try r.finish(r.string("name", max: 200), r.enumValue("role", Role.self))
            if owner != nil, role.rank > p.role.rank {
                throw APIError.forbidden("a personal key's role is at most yours (\(p.role.rawValue))")
            }
            let render: @Sendable ((APIKey, String)) throws -> APIResponse = {
                try .json(Views.apiKey($0.0, token: $0.1), status: .created)
            }
            let created = try await organizations.createKey(
                organizationID: p.organization.id, name: name, role: role, owner: owner,
                idempotency: Self.completion(claim, sealing: secretBox, render))
            return try render(created).kept(inTransactionOf: claim)
        }.response
    }

    @Sendable func listKeys(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try requireAdmin(context)
        let (limit, after) = try pageParameters(request)
        let keys = try await organizations.listKeys(organizationID: p.organization.id, after: after, limit: limit + 1)
        return try APIResponse.json(
            Views.page(keys.prefix(limit).map { Views.apiKey($0) }, hasMore: keys.count > limit)
        ).response
    }

    /// An admin revokes any key of the organization; another person only their own personal keys.
    @Sendable func revokeKey(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let owner = p.role == .admin ? nil : p.user?.id
        if owner == nil { _ = try requireAdmin(context) }
        let id = try pathID(context, "id")
        guard let key = try await organizations.revokeKey(organizationID: p.organization.id, id: id, owner: owner)
        else {
            throw APIError.notFound("no such API key")
        }
        return try APIResponse.json(Views.apiKey(key)).response
    }

    // MARK: Projects

    @Sendable func createProject(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let body = try await readBody(request, context)
        let response = try await idempotent(request, context, scope: p.idempotencyScope, body: body) {
            claim in
            let actor = p.actor
            // Role and side first, so a viewer or an agency learns nothing from validation errors.
            try Machine.authorizeCreate(actor)
            guard case .create(let title, let strategy) = try ActionInput.parse(.create, body: body) else {
                throw APIError.malformed("bad body")
            }
            let render: @Sendable (ProjectRecord) throws -> StoredResponse = { project in
                try Self.projectResponse(project, for: actor, status: .created).stored
            }
            let project = try await projects.create(
                title: title, strategy: strategy, actor: actor, idempotency: claim, respond: render)
            context.logger.info(
                "transition applied", metadata: ["project_id": "\(project.id.lowercased)", "action": "create"])
            return try Self.projectResponse(project, for: actor, status: .created).kept(inTransactionOf: claim)
        }
        TransitionMetrics.record(
            action: Action.create.rawValue,
            outcome: response.transitionOutcome(applied: .created))
        return response.response
    }

    @Sendable func listProjects(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let (limit, after) = try pageParameters(request)
        var state: ProjectState?
        if let s = request.uri.queryParameters.get("state") {
            guard let parsed = ProjectState(rawValue: s) else {
                throw APIError.invalid(
                    "state", "must be one of \(ProjectState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = parsed
        }
        if try DeadlineRoutes.overdueParameter(request) {
            // Overdue is the machine's rule (Deadlines.isOverdue), applied to active projects after the cursor.
            let now = Date()
            let late = try await projects.active(for: p.actor).filter { project in
                (after.map { project.id.uuidString.lowercased() > $0.uuidString.lowercased() } ?? true)
                    && (state.map { project.state == $0 } ?? true)
                    && Machine.visibleTasks(project, to: p.actor).contains {
                        Deadlines.isOverdue($0, in: project, levels: project.serviceLevels, now: now)
                    }
            }
            return try APIResponse.json(
                Views.page(late.prefix(limit).map { Views.project($0, for: p.actor) }, hasMore: late.count > limit)
            ).response
        }
        let list = try await projects.list(for: p.actor, state: state, after: after, limit: limit + 1)
        return try APIResponse.json(
            Views.page(list.prefix(limit).map { Views.project($0, for: p.actor) }, hasMore: list.count > limit)
        ).response
    }

    @Sendable func getProject(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let id = try pathID(context, "id")
        guard let project = try await projects.find(id: id, for: p.actor) else {
            throw APIError.notFound("no such project")
        }
        return try Self.projectResponse(project, for: p.actor, status: .ok).response
    }

    @Sendable func history(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let id = try pathID(context, "id")
        guard try await projects.find(id: id, for: p.actor) != nil else { throw APIError.notFound("no such project") }
        let limit = try limitParameter(request, default: 100)
        let after = try cursorParameter(request)
        let entries = try await projects.history(
            projectID: id, recipient: p.organization.kind == .agency ? p.organization.id : nil, after: Int(after),
            limit: limit + 1)
        let page = entries.prefix(limit)
        return try APIResponse.json(
            JSONValue.object([
                "data": .array(page.map { Views.history($0, forAgency: p.organization.kind == .agency) }),
                "has_more": .bool(entries.count > limit),
                "next_cursor": Views.int64(Int64(page.last?.sequence ?? Int(after))),
            ])
        ).response
    }

    @Sendable func projectAction(_ request: Request, context: BriefdContext) async throws -> Response {
        try await act(request, context, taskParameter: false)
    }

    @Sendable func taskAction(_ request: Request, context: BriefdContext) async throws -> Response {
        try await act(request, context, taskParameter: true)
    }

    private func act(_ request: Request, _ context: BriefdContext, taskParameter: Bool) async throws -> Response {
        let (p, keyToCheck) = try context.callerCheckedByRoute()
        let projectID = try pathID(context, "id")
        let taskID = taskParameter ? try pathID(context, "task_id") : nil
        let name = context.parameters.get("action") ?? ""
        guard let action = Action(rawValue: name), WorkflowDefinition.spec(action).requestable else {
            throw APIError.malformed("unknown action \(name.prefix(64)); GET /v1/workflow lists them")
        }
        if WorkflowDefinition.spec(action).isConversation {
            throw APIError.malformed(
                "\(action.rawValue) has its own route: POST /v1/projects/{id}/tasks/{task_id}/comments"
                    + (action == .resolveComment ? "/{comment_id}/resolve" : ""))
        }
        guard WorkflowDefinition.spec(action).scope == (taskParameter ? .task : .project) else {
            throw APIError.malformed("\(action.rawValue) is a \(WorkflowDefinition.spec(action).scope.rawValue) action")
        }
        let ifMatch = try ifMatchVersion(request)
        let body = try await readBody(request, context)
        let response = try await idempotent(request, context, scope: p.idempotencyScope, body: body) {
            claim in
            let input = try ActionInput.parse(action, body: body)
            let actor = p.actor
            let render: @Sendable (ProjectRecord) throws -> StoredResponse = { project in
                try Self.projectResponse(project, for: actor, status: .ok).stored
            }
            let project = try await projects.perform(
                projectID: projectID, action: action, taskID: taskID, input: input, actor: actor,
                ifMatch: ifMatch, idempotency: claim, checkingKey: keyToCheck, respond: render)
            return try Self.projectResponse(project, for: actor, status: .ok).kept(inTransactionOf: claim)
        }
        let outcome = response.transitionOutcome(applied: .ok)
        TransitionMetrics.record(action: action.rawValue, outcome: outcome)
        if response.status == .ok {
            context.logger.info(
                "transition applied",
                metadata: ["project_id": "\(projectID.lowercased)", "action": "\(action.rawValue)"])
        }
        return response.response
    }

    @Sendable func workflow(_ request: Request, context: BriefdContext) async throws -> Response {
        try APIResponse.json(Views.workflow()).response
    }

    @Sendable func listEvents(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        let limit = try limitParameter(request)
        let after = try cursorParameter(request)
        let list = try await events.list(organizationID: p.organization.id, after: after, limit: limit + 1)
        let page = list.prefix(limit)
        return try APIResponse.json(
            JSONValue.object([
                "data": .array(page.map(Views.event)), "has_more": .bool(list.count > limit),
                "next_cursor": Views.int64(page.last?.position ?? after),
            ])
        ).response
    }

    // MARK: Helpers

    static func projectResponse(_ project: ProjectRecord, for actor: Actor, status: HTTPResponse.Status) throws
        -> APIResponse
    {
        try .json(Views.project(project, for: actor), status: status, headers: ["ETag": "\"\(project.version)\""])
    }

    func requireAdmin(_ context: BriefdContext) throws -> Principal {
        let p = try context.caller()
        guard p.role == .admin else { throw APIError.forbidden("this needs an admin key or an admin's session") }
        return p
    }

    func readBody(_ request: Request, _ context: BriefdContext) async throws -> [UInt8] {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        return Array(buffer.readableBytesView)
    }

    func pathID(_ context: BriefdContext, _ name: String) throws -> UUID {
        guard let s = context.parameters.get(name), let id = UUID(uuidString: s) else {
            throw APIError.notFound("no such resource")
        }
        return id
    }

    func limitParameter(_ request: Request, default standard: Int = 20) throws -> Int {
        guard let s = request.uri.queryParameters.get("limit") else { return standard }
        guard let n = Int(s) else { throw APIError.malformed("limit must be an integer") }
        guard (1...100).contains(n) else { throw APIError.invalid("limit", "must be between 1 and 100") }
        return n
    }

    /// `after`: the integer cursor of the events feed and of a project's history (0 when absent).
    func cursorParameter(_ request: Request) throws -> Int64 {
        guard let s = request.uri.queryParameters.get("after") else { return 0 }
        guard let n = Int64(s), n >= 0 else { throw APIError.malformed("after must be a non-negative integer cursor") }
        return n
    }

    func pageParameters(_ request: Request) throws -> (Int, UUID?) {
        let limit = try limitParameter(request)
        guard let s = request.uri.queryParameters.get("starting_after") else { return (limit, nil) }
        guard let id = UUID(uuidString: s) else {
            throw APIError.malformed("starting_after must be an id from a previous page")
        }
        return (limit, id)
    }

    /// `If-Match: "<version>"`; `*` matches any version. Anything else never matches.
    func ifMatchVersion(_ request: Request) throws -> Int? {
        guard let raw = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if raw == "*" { return nil }
        var s = Substring(raw)
        if s.hasPrefix("W/") { s = s.dropFirst(2) }
        if s.hasPrefix("\""), s.hasSuffix("\""), s.count >= 2 { s = s.dropFirst().dropLast() }
        guard let v = Int(s), v >= 0 else { return -1 }
        return v
    }

    /// Runs a POST under its `Idempotency-Key`: a replay returns the first response; the same key with
    /// another body is refused; responses below 500 are kept (refusals change nothing, so keeping them is safe).
    ///
    /// A route whose answer carries a secret (a key's token, a signing secret) passes `sealing`: its kept answer is
    /// sealed with the daemon's secret key, so no secret is at rest in clear (docs/reliability.md). A replay after
    /// the secret key changed cannot open it and answers 409 `idempotency_replay_unavailable`.
    /// The answer kept for an idempotency key: sealed when it is a success that carries a secret.
    static func kept(_ response: APIResponse, sealing box: SecretBox?) throws -> StoredResponse {
        var kept = response.stored
        if let box, response.status.code < 300 {
            kept.body = try box.sealResponse(kept.body)
            kept.sealed = true
        }
        return kept
    }

    /// Keeps `render`'s answer for `claim` in the transaction of the write that produces its input (nil without a
    /// key): what a route passes to a store that creates or changes something outside a transition.
    static func completion<Result>(
        _ claim: IdempotencyClaim?, sealing box: SecretBox?,
        _ render: @escaping @Sendable (Result) throws -> APIResponse
    ) -> IdempotentCompletion<Result>? {
        claim.map { c in IdempotentCompletion(claim: c) { try kept(render($0), sealing: box) } }
    }

    func idempotent(
        _ request: Request, _ context: BriefdContext, scope: String, body: [UInt8], sealing box: SecretBox? = nil,
        _ run: (IdempotencyClaim?) async throws -> APIResponse
    ) async throws -> APIResponse {
        guard let key = request.headers[Self.idempotencyKey] else {
            do { return try await run(nil) } catch { return Problems.response(for: error, logger: context.logger) }
        }
        guard (1...255).contains(key.utf8.count),
            key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E })
        else {
            throw APIError.malformed("Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        let fingerprint = IdempotencyStore.fingerprint(
            method: request.method.rawValue, path: request.uri.path, body: body)
        // Refusals are kept like successes (a retry gets the same answer); a 5xx is not, so a retry runs.
        let keep = { (response: APIResponse) -> IdempotencyStore.Keep in
            if response.keptInTransaction { return .keptInTransaction }
            guard response.status.code < 500 else { return .release }
            return .store(try Self.kept(response, sealing: box))
        }
        let outcome = try await idempotency.run(
            IdempotentRequest(scope: scope, key: key, fingerprint: fingerprint), keep: keep,
            { claim in
                do { return try await run(claim) } catch {
                    return Problems.response(for: error, logger: context.logger)
                }
            })
        switch outcome {
        case .ran(let response): return response
        case .replayed(var stored):
            if stored.sealed {
                guard let box, let opened = try? box.openResponse(stored.body) else {
                    throw Problem(
                        .idempotencyReplayUnavailable,
                        "this Idempotency-Key's first answer carried a secret sealed under another secret key; "
                            + "list the resource to see what was created, and create it again with a new key")
                }
                stored.body = opened
                stored.sealed = false
            }
            var r = APIResponse(stored)
            r.headers["Idempotent-Replayed"] = "true"
            return r
        }
    }
}
