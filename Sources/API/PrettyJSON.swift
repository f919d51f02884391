import Hummingbird
import Workflow

/// `?pretty=true`, or `Accept: application/json; indent=2`, asks for indented JSON: for people reading with curl.
/// The middleware says so to the JSON writers of this request (`APIResponse.json`, problem responses).
struct PrettyJSONMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let wanted =
            request.uri.queryParameters.get("pretty") == "true"
            || request.headers[.accept]?.contains("indent=") == true
        guard wanted else { return try await next(request, context) }
        return try await PrettyJSON.$requested.withValue(true) { try await next(request, context) }
    }
}

/// Where the JSON writers read whether to indent.
enum PrettyJSON {
    @TaskLocal static var requested: Bool = false

    /// A view as response bytes: keys in schema order, indented when asked, a trailing newline.
    static func bytes(_ value: JSONValue) -> [UInt8] {
        value.serialized(keyOrder: SchemaOrder.order, pretty: requested) + [0x0A]
    }
}
