import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Workflow

/// Accepts `X-Request-Id` (up to 128 visible characters) or generates one, returns it, and puts it
/// in every log line of the request.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var id = request.headers[Self.header] ?? ""
        if id.isEmpty || id.utf8.count > 128 || !id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) {
            id = UUID().lowercased
        }
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }
}

/// Counts transitions by action and outcome (`applied`, or the refusal's problem code).
enum TransitionMetrics {
    static func record(action: String, outcome: String) {
        Counter(label: "briefd_transitions_total", dimensions: [("action", action), ("outcome", outcome)]).increment()
    }
}
