import Foundation
import Hummingbird
import Storage
import Workflow

extension Console {
    /// A fresh key for a rendered form: each form is sent at most once (a double click, a reload after a lost
    /// answer, a second tab's stale copy of the same form all land on the first answer).
    func newFormKey() -> String { UUID().uuidString.lowercased() }

    /// The answer kept for a form key: "see the page".
    static func redirect(to location: String) -> StoredResponse {
        StoredResponse(status: 303, headers: ["Location": location], body: [])
    }

    /// Runs a form's effect under its form key, as the API runs a POST under `Idempotency-Key` (same store, the
    /// organization's scope, `console:` before the key): the first post runs and keeps its answer in the
    /// transition's own transaction; a repeat gets that answer. A refused post keeps nothing, so the corrected form
    /// can be sent. Returns where to send the browser.
    func once(
        _ session: ConsoleSession, form: Form, request: Request,
        _ run: (IdempotencyClaim) async throws -> String
    ) async throws -> String {
        guard let formKey = form["form_key"], (1...64).contains(formKey.utf8.count),
            formKey.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
        else {
            throw ConsoleError(.malformedRequest, title: "error.not_accepted", "error.no_form_key")
        }
        let signed = form.fields.filter { $0.name != "csrf" }.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let fingerprint = IdempotencyStore.fingerprint(
            method: "POST", path: request.uri.path, body: Array(signed.utf8))
        let request = IdempotentRequest(
            scope: session.principal.idempotencyScope, key: "console:\(formKey)", fingerprint: fingerprint)
        // A form whose effect is not a transition (a replay) keeps its redirect here; a transition kept it in its own
        // transaction. A refused form keeps nothing (`run` throws), so the corrected form can be sent.
        let outcome = try await idempotency.run(request, keep: { .store(Self.redirect(to: $0)) }, run)
        switch outcome {
        case .ran(let location): return location
        case .replayed(let stored): return stored.headers["Location"] ?? "/console"
        }
    }
}
