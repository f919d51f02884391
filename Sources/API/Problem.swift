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
    /// The problem this response renders, when it is one made in this request (not kept, not replayed): what the
    /// metrics count, read from the error rather than from the body.
    public var problem: Problem.Code?
    /// Whether the request's own transaction kept this answer for its idempotency key (`IdempotentCompletion`).
    public var keptInTransaction = false

    /// This answer, marked as kept by the request's own transaction when it ran under a key (`claim` not nil).
    public func kept(inTransactionOf claim: IdempotencyClaim?) -> APIResponse {
        var response = self
        response.keptInTransaction = claim != nil
        return response
    }

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

    /// What the transition metric counts: `replayed` for an idempotent replay, `applied`, or the problem's code
    /// (`error` for an answer that is neither).
    func transitionOutcome(applied: HTTPResponse.Status) -> String {
        if headers["Idempotent-Replayed"] != nil { return "replayed" }
        if status == applied { return "applied" }
        return problem?.rawValue ?? "error"
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

/// The API's name for ``Problem``: the one error model of the API and the console.
public typealias APIError = Problem

/// Maps every error to RFC 9457 problem+json, in one place.
public enum Problems {
    /// The problem `error` is, when a caller caused it: a domain error says so itself (``ProblemConvertible``);
    /// Hummingbird's and NIO's refusals of a request are mapped here. Nil for the daemon's own errors.
    public static func problem(for error: any Error) -> Problem? {
        switch error {
        case let e as any ProblemConvertible: return e.problem
        case let e as HTTPError:
            switch e.status {
            case .contentTooLarge: return Problem(.payloadTooLarge, "the request body is over the limit")
            case .notFound: return .notFound("no such route")
            case .methodNotAllowed: return Problem(.methodNotAllowed, "method not allowed on this route")
            case .badRequest: return .malformed(e.body ?? "bad request")
            default: return nil
            }
        case is NIOTooManyBytesError:
            return Problem(.payloadTooLarge, "the request body is over the limit of 256 KiB")
        default: return nil
        }
    }

    /// The problem for any error: a caller's (``problem(for:)``), or else the daemon's own, logged and answered 500
    /// or, for database connection failures, 503 with `Retry-After`.
    public static func problemOrInternal(for error: any Error, logger: Logger) -> Problem {
        if let known = problem(for: error) { return known }
        if Database.isUnavailable(error) {
            logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(.unavailable, "the database is unavailable; retry shortly", headers: ["Retry-After": "2"])
        }
        logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
        return Problem(.internalError, "an unexpected error occurred; it has been logged")
    }

    /// The problem response for `error`.
    static func response(for error: any Error, logger: Logger) -> APIResponse {
        render(problemOrInternal(for: error, logger: logger))
    }

    static func render(_ e: Problem) -> APIResponse {
        var object: [String: JSONValue] = [
            "type": .string("urn:briefd:problem:\(e.code.rawValue)"), "title": .string(e.code.title),
            "status": .number(Double(e.status)), "detail": .string(e.detail), "code": .string(e.code.rawValue),
        ]
        object.merge(e.extra) { a, _ in a }
        var headers = e.headers
        headers["Content-Type"] = "application/problem+json"
        let body = PrettyJSON.bytes(.object(object))
        var response = APIResponse(status: HTTPResponse.Status(code: e.status), headers: headers, body: body)
        response.problem = e.code
        return response
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
                let accepted = allowed.joined(separator: ", ")
                let e = Problem(
                    .methodNotAllowed, "\(request.method.rawValue) is not allowed on this path; it accepts \(accepted)",
                    headers: ["Allow": accepted])
                return Problems.render(e).response
            }
            return Problems.response(for: error, logger: context.logger).response
        } catch {
            return Problems.response(for: error, logger: context.logger).response
        }
    }
}
