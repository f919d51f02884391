import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Storage
import Workflow

/// A response as bytes, so it can be kept for an idempotency key and replayed exactly.
public struct APIResponse: Sendable {
    public var status: HTTPResponse.Status
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: HTTPResponse.Status, headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    public static func json<T: Encodable>(
        _ value: T, status: HTTPResponse.Status = .ok, headers: [String: String] = [:]
    ) throws -> APIResponse {
        var h = headers
        h["Content-Type"] = "application/json"
        return APIResponse(status: status, headers: h, body: Array(try JSONCoding.encoder().encode(value)) + [0x0A])
    }

    /// A JSON response from a `JSONValue` view (the common case), serialized without Foundation's encoder.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: [String: String] = [:])
        throws -> APIResponse
    {
        var h = headers
        h["Content-Type"] = "application/json"
        return APIResponse(status: status, headers: h, body: PrettyJSON.bytes(value))
    }

    var stored: StoredResponse { StoredResponse(status: status.code, headers: headers, body: body) }

    init(_ stored: StoredResponse) {
        self.init(status: HTTPResponse.Status(code: stored.status), headers: stored.headers, body: stored.body)
    }

    /// The Hummingbird response.
    public var response: Response {
        var fields = HTTPFields()
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            if let n = HTTPField.Name(name) { fields[n] = value }
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// An error the API answers with a stable problem code.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var detail: String
    public var headers: [String: String] = [:]
    public var extra: [String: JSONValue] = [:]

    public init(
        _ status: HTTPResponse.Status, _ code: String, _ detail: String, headers: [String: String] = [:],
        extra: [String: JSONValue] = [:]
    ) {
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers
        self.extra = extra
    }

    public static func malformed(_ detail: String) -> APIError { APIError(.badRequest, "malformed_request", detail) }
    public static func notFound(_ detail: String = "no such resource") -> APIError {
        APIError(.notFound, "not_found", detail)
    }
    public static func forbidden(_ detail: String) -> APIError { APIError(.forbidden, "forbidden", detail) }
    public static let unauthenticated = APIError(
        .unauthorized, "unauthenticated", "send a valid API key as Authorization: Bearer <key>",
        headers: ["WWW-Authenticate": "Bearer"])
    public static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(
            .unprocessableContent, "validation_failed", "\(field) \(message)",
            extra: ["errors": .array([.object(["field": .string(field), "message": .string(message)])])])
    }
}

/// Maps every error to RFC 9457 problem+json, in one place.
enum Problems {
    static let titles: [String: String] = [
        "malformed_request": "Malformed request", "unauthenticated": "Unauthenticated", "forbidden": "Forbidden",
        "not_found": "Not found", "invalid_transition": "Invalid transition", "version_mismatch": "Version mismatch",
        "payload_too_large": "Payload too large", "validation_failed": "Validation failed",
        "guard_failed": "Guard failed",
        "idempotency_key_reused": "Idempotency key reused", "idempotency_in_progress": "Idempotency key in use",
        "idempotency_replay_unavailable": "Idempotent replay unavailable", "limit_reached": "Limit reached",
        "rate_limited": "Rate limited", "unavailable": "Unavailable", "internal_error": "Internal error",
        "method_not_allowed": "Method not allowed",
    ]

    static func apiError(for error: any Error) -> APIError? {
        switch error {
        case let e as APIError: return e
        case is KeyRevoked: return .unauthenticated
        case let e as LimitReached: return APIError(.unprocessableContent, "limit_reached", e.description)
        case let e as InputError:
            switch e {
            case .malformed(let detail): return .malformed(detail)
            case .invalid(let errors):
                return APIError(
                    .unprocessableContent, "validation_failed",
                    errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "),
                    extra: [
                        "errors": .array(
                            errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
                    ])
            }
        case let r as Refusal:
            switch r.code {
            case .notFound: return .notFound(r.message)
            case .forbidden: return .forbidden(r.message)
            case .guardFailed: return APIError(.unprocessableContent, "guard_failed", r.message)
            case .invalidTransition:
                var extra: [String: JSONValue] = [
                    "state": .optional(r.state?.rawValue),
                    "allowed_actions": .array(r.allowedActions.map { .string($0.rawValue) }),
                ]
                if let t = r.taskState { extra["task_state"] = .string(t.rawValue) }
                return APIError(.conflict, "invalid_transition", r.message, extra: extra)
            }
        case let e as TransitionError:
            switch e {
            case .versionMismatch(let current):
                return APIError(
                    .preconditionFailed, "version_mismatch", "If-Match does not match the current version \(current)",
                    headers: ["ETag": "\"\(current)\""], extra: ["current_version": .number(Double(current))])
            }
        case let e as HTTPError:
            switch e.status {
            case .contentTooLarge:
                return APIError(.contentTooLarge, "payload_too_large", "the request body is over the limit")
            case .notFound: return .notFound("no such route")
            case .methodNotAllowed:
                return APIError(.methodNotAllowed, "method_not_allowed", "method not allowed on this route")
            case .badRequest: return .malformed(e.body ?? "bad request")
            default: return nil
            }
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "payload_too_large", "the request body is over the limit of 256 KiB")
        default: return nil
        }
    }

    /// The problem response for `error`; unknown errors are logged and answered 500 or, for database
    /// connection failures, 503 with `Retry-After`.
    static func response(for error: any Error, logger: Logger) -> APIResponse {
        let e: APIError
        if let known = apiError(for: error) {
            e = known
        } else if Database.isUnavailable(error) {
            logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            e = APIError(
                .serviceUnavailable, "unavailable", "the database is unavailable; retry shortly",
                headers: ["Retry-After": "2"])
        } else {
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            e = APIError(.internalServerError, "internal_error", "an unexpected error occurred; it has been logged")
        }
        return render(e)
    }

    /// The problem code of a rendered problem response.
    static func code(of response: APIResponse) -> String? {
        guard case .object(let o)? = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body)),
            case .string(let c)? = o["code"]
        else { return nil }
        return c
    }

    static func render(_ e: APIError) -> APIResponse {
        var object: [String: JSONValue] = [
            "type": .string("urn:briefd:problem:\(e.code)"), "title": .string(titles[e.code] ?? e.code),
            "status": .number(Double(e.status.code)), "detail": .string(e.detail), "code": .string(e.code),
        ]
        object.merge(e.extra) { a, _ in a }
        var headers = e.headers
        headers["Content-Type"] = "application/problem+json"
        let body = PrettyJSON.bytes(.object(object))
        return APIResponse(status: e.status, headers: headers, body: body)
    }
}

/// Turns every thrown error into problem+json, so nothing leaves as a bare 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // A known path with another method: 405 with what it accepts.
            if let allowed = RouteTable.allowedMethods(path: request.uri.path), !allowed.isEmpty {
                let e = APIError(
                    .methodNotAllowed, "method_not_allowed",
                    "\(request.method.rawValue) is not allowed on this path; it accepts \(allowed.joined(separator: ", "))",
                    headers: ["Allow": allowed.joined(separator: ", ")])
                return Problems.render(e).response
            }
            return Problems.response(for: error, logger: context.logger).response
        } catch {
            return Problems.response(for: error, logger: context.logger).response
        }
    }
}
