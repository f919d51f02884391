import AsyncHTTPClient
import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Synchronization

/// The thin hand-written layer over the generated `Client`: the bearer key, an `Idempotency-Key` on every POST kept
/// across retries, `If-Match`, retries of 429 and 503 after `Retry-After`, and problem+json answers as
/// `BriefdProblem`.
public enum Briefd {
    /// A client of the daemon at `url` acting with the API key `key`.
    ///
    /// - Parameters:
    ///   - retries: how many times a 429 or 503 is retried (after its `Retry-After`, at most 30 s each); the
    ///     request keeps its `Idempotency-Key`, so a transition is applied once however often it is sent.
    public static func client(url: URL, key: String, httpClient: HTTPClient = .shared, retries: Int = 3) -> Client {
        Client(
            serverURL: url, configuration: Configuration(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: AsyncHTTPClientTransport(configuration: .init(client: httpClient)),
            middlewares: [KeyAndRetries(key: key, retries: retries)])
    }

    /// How many requests this process sent again after a 429 or 503 (each with its first `Idempotency-Key`).
    public static var retriesSent: Int { KeyAndRetries.retried.load(ordering: .relaxed) }

    /// The `If-Match` value for a project's `version` (its `ETag`).
    public static func ifMatch(_ version: Int) -> String { "\"\(version)\"" }

    /// The problem an operation's error carries: briefd's answer with its code, or nil for a transport failure.
    public static func problem(_ error: any Error) -> BriefdProblem? {
        if let p = error as? BriefdProblem { return p }
        return (error as? ClientError)?.underlyingError as? BriefdProblem
    }
}

/// A problem+json answer (RFC 9457): the status, the stable `code`, and for a refused transition what the caller may
/// do instead (`allowedActions`, `state`); for bad input the fields at fault (`errors`).
public struct BriefdProblem: Error, Sendable, Hashable, CustomStringConvertible, Decodable {
    public var status: Int
    public var code: String
    public var detail: String
    public var allowedActions: [String]
    public var state: String?
    public var errors: [FieldError]
    /// The `Retry-After` of a 429 or 503 that was not retried any more, in seconds.
    public var retryAfter: Double?

    /// One field's validation error.
    public struct FieldError: Sendable, Hashable, Decodable {
        public var field: String
        public var message: String
    }

    enum CodingKeys: String, CodingKey {
        case status, code, detail, state, errors
        case allowedActions = "allowed_actions"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decodeIfPresent(Int.self, forKey: .status) ?? 0
        code = try c.decodeIfPresent(String.self, forKey: .code) ?? "unknown"
        detail = try c.decodeIfPresent(String.self, forKey: .detail) ?? ""
        allowedActions = try c.decodeIfPresent([String].self, forKey: .allowedActions) ?? []
        state = try c.decodeIfPresent(String.self, forKey: .state)
        errors = try c.decodeIfPresent([FieldError].self, forKey: .errors) ?? []
    }

    init(status: Int, body: Data, retryAfter: Double?) {
        var decoded = (try? JSONDecoder().decode(BriefdProblem.self, from: body)) ?? BriefdProblem.unreadable(body)
        decoded.status = status
        decoded.retryAfter = retryAfter
        self = decoded
    }

    private static func unreadable(_ body: Data) -> BriefdProblem {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        let json = try! JSONSerialization.data(withJSONObject: ["code": "unknown", "detail": text])
        return try! JSONDecoder().decode(BriefdProblem.self, from: json)
    }

    public var description: String { "\(status) \(code): \(detail)" }
}

/// Adds the key, gives each POST an `Idempotency-Key`, retries 429/503, and turns problem answers into
/// `BriefdProblem`.
struct KeyAndRetries: ClientMiddleware {
    let key: String
    let retries: Int
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let retryAfter = HTTPField.Name("Retry-After")!
    static let retried = Atomic<Int>(0)

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(key)"
        // The runtime writes header parameters percent-encoded (`"7"` as `%227%22`); an entity tag is sent as is.
        if let tag = request.headerFields[.ifMatch], let decoded = tag.removingPercentEncoding {
            request.headerFields[.ifMatch] = decoded
        }
        if request.method == .post && request.headerFields[Self.idempotencyKey] == nil {
            request.headerFields[Self.idempotencyKey] = UUID().uuidString
        }
        // The body is read once, so each retry sends the same bytes.
        let bytes: [UInt8]? = if let body { try await [UInt8](collecting: body, upTo: 16 * 1024 * 1024) } else { nil }
        var attempt = 0
        while true {
            let (response, responseBody) = try await next(request, bytes.map { HTTPBody($0) }, baseURL)
            let status = response.status.code
            let wait = (status == 429 || status == 503) ? Self.delay(response) : nil
            if let wait, attempt < retries {
                attempt += 1
                Self.retried.add(1, ordering: .relaxed)
                try await Task.sleep(for: .seconds(wait))
                continue
            }
            guard status >= 400 else { return (response, responseBody) }
            var data = Data()
            if let responseBody { data = try await Data(collecting: responseBody, upTo: 1024 * 1024) }
            throw BriefdProblem(status: status, body: data, retryAfter: wait)
        }
    }

    static func delay(_ response: HTTPResponse) -> Double {
        min(max(Double(response.headerFields[retryAfter] ?? "1") ?? 1, 0), 30)
    }
}
