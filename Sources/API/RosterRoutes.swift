import Foundation
import Hummingbird
import Storage
import Workflow

/// A brand's roster of agencies (docs/people.md): the brand invites, the agency accepts or declines, either ends.
struct RosterRoutes: Sendable {
    let roster: RosterStore
    let invitations: InvitationStore
    let routes: Routes

    func register(on v1: RouterGroup<BriefdContext>) {
        v1.post("/agency-relationships", use: invite)
        v1.get("/agency-relationships", use: list)
        v1.post("/agency-relationships/{id}/accept", use: accept)
        v1.post("/agency-relationships/{id}/decline", use: decline)
        v1.post("/agency-relationships/{id}/end", use: end)
    }

    static func relationship(_ r: AgencyRelationship) -> JSONValue {
        .object([
            "id": .id(r.id), "brand_id": .id(r.brandID), "brand_name": .string(r.brandName),
            "agency_id": .id(r.agencyID), "agency_name": .string(r.agencyName), "state": .string(r.state.rawValue),
            "created_at": Views.date(r.createdAt), "updated_at": Views.date(r.updatedAt),
        ])
    }

    /// `{agency_id}` puts an agency of briefd on the roster (invited until it accepts); `{agency_name, admin_email}`
    /// invites an agency that is not in briefd yet: its acceptance creates it, active on the roster.
    @Sendable func invite(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        guard p.organization.kind == .brand else {
            throw APIError.forbidden("a brand chooses its agencies; an agency accepts or declines a brand's invitation")
        }
        let body = try await routes.readBody(request, context)
        return try await routes.idempotent(
            request, context, scope: p.idempotencyScope, body: body, sealing: routes.secretBox
        ) { _ in
            var r = try FieldReader(body: body)
            let agency = r.string("agency_id", max: 36, required: false)
            let agencyName = r.string("agency_name", max: 200, required: false)
            let email = r.string("admin_email", max: 254, required: false)
            if agency == nil, agencyName == nil { r.fail("agency_id", "is required (or agency_name and admin_email)") }
            if agency != nil, agencyName != nil || email != nil {
                r.fail("agency_id", "names an agency of briefd: send it alone, or agency_name and admin_email")
            }
            if agencyName != nil, email == nil { r.fail("admin_email", "is required with agency_name") }
            try r.finish()
            if let agency {
                guard let id = UUID(uuidString: agency) else { throw APIError.invalid("agency_id", "must be an id") }
                let relationship = try await roster.invite(brandID: p.organization.id, agencyID: id, by: p.actor)
                return try .json(
                    JSONValue.object(["relationship": Self.relationship(relationship)]), status: .created)
            }
            guard let agencyName, let email, let normalized = PeopleStore.normalize(email: email) else {
                throw APIError.invalid("admin_email", "must be an email address")
            }
            let (invitation, token) = try await invitations.inviteAgency(
                brandID: p.organization.id, agencyName: agencyName.trimmingCharacters(in: .whitespaces),
                email: normalized, by: p.actor)
            return try .json(
                JSONValue.object([
                    "invitation": Views.invitation(
                        invitation, acceptURL: routes.publicAddress.invitationURL(token: token))
                ]), status: .created)
        }.response
    }

    @Sendable func list(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try context.caller()
        var list = try await roster.list(organizationID: p.organization.id)
        if let state = request.uri.queryParameters.get("state") {
            guard let s = AgencyRelationship.State(rawValue: state) else {
                throw APIError.invalid(
                    "state",
                    "must be one of \(AgencyRelationship.State.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            list = list.filter { $0.state == s }
        }
        return try APIResponse.json(JSONValue.object(["data": .array(list.map(Self.relationship))])).response
    }

    @Sendable func accept(_ request: Request, context: BriefdContext) async throws -> Response {
        try await answer(request, context, accept: true)
    }

    @Sendable func decline(_ request: Request, context: BriefdContext) async throws -> Response {
        try await answer(request, context, accept: false)
    }

    private func answer(_ request: Request, _ context: BriefdContext, accept: Bool) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "id")
        guard p.organization.kind == .agency else {
            throw APIError.forbidden("the agency answers a brand's invitation; the brand may end it instead")
        }
        guard let r = try await roster.answer(id: id, agencyID: p.organization.id, accept: accept, by: p.actor) else {
            throw APIError.notFound("no such relationship")
        }
        return try APIResponse.json(JSONValue.object(["relationship": Self.relationship(r)])).response
    }

    @Sendable func end(_ request: Request, context: BriefdContext) async throws -> Response {
        let p = try routes.requireAdmin(context)
        let id = try routes.pathID(context, "id")
        guard let r = try await roster.end(id: id, organizationID: p.organization.id, by: p.actor) else {
            throw APIError.notFound("no such relationship")
        }
        return try APIResponse.json(JSONValue.object(["relationship": Self.relationship(r)])).response
    }
}
