import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// One webhook request as a receiver got it.
struct Captured: Sendable {
    var path: String
    var headers: [String: String]
    var body: String
    var receivedAt: Date
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    var type: String? { json["type"] as? String }
}

/// A real HTTP receiver on loopback whose behaviour depends on the path:
/// `/ok` 204, `/fail` 500, `/gone` 410, `/redirect` 302, `/flaky` 500 twice then 200, `/busy` 503 with Retry-After: 1
/// then 200, `/slow` hangs 30 s, `/hold` hangs until ``Receiver/releaseHeld()``, `/huge` answers 200 with 4 MiB,
/// `/trickle` answers 200 and then one byte of body every 3 s.
final class Receiver: Sendable {
    let captured = Mutex<[Captured]>([])
    let counts = Mutex<[String: Int]>([:])
    /// Requests to `/hold` waiting for ``releaseHeld()`` (or for 60 s).
    let holding = Mutex<Int>(0)
    private let released = Mutex<Bool>(false)

    /// Lets every request held at `/hold` (and every later one) answer 200.
    func releaseHeld() { released.withLock { $0 = true } }

    func all(_ path: String? = nil) -> [Captured] {
        captured.withLock { c in path.map { p in c.filter { $0.path == p } } ?? c }
    }

    /// Waits until `condition` holds for what was received, up to `seconds`.
    func wait(seconds: Double = 15, until condition: ([Captured]) -> Bool) async throws -> [Captured] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let now = all()
            if condition(now) { return now }
            try await Task.sleep(for: .milliseconds(50))
        }
        return all()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/{mode}") { request, context -> Response in
            let mode = context.parameters.get("mode") ?? ""
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            headers["host"] = request.head.authority  // HTTPTypes carries Host as the authority
            let n = self.counts.withLock { c -> Int in
                c[mode, default: 0] += 1
                return c[mode]!
            }
            self.captured.withLock {
                $0.append(Captured(path: "/\(mode)", headers: headers, body: String(buffer: body), receivedAt: Date()))
            }
            switch mode {
            case "ok": return Response(status: .noContent)
            case "fail":
                return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "boom")))
            case "gone": return Response(status: .gone)
            case "redirect": return Response(status: .found, headers: [.location: "http://127.0.0.1:1/elsewhere"])
            case "flaky":
                return Response(
                    status: n <= 2 ? .internalServerError : .ok,
                    body: .init(byteBuffer: ByteBuffer(string: n <= 2 ? "not yet" : "")))
            case "busy":
                return n == 1
                    ? Response(status: .serviceUnavailable, headers: [.retryAfter: "1"]) : Response(status: .ok)
            case "slow":
                try? await Task.sleep(for: .seconds(30))
                return Response(status: .ok)
            case "hold":
                self.holding.withLock { $0 += 1 }
                defer { self.holding.withLock { $0 -= 1 } }
                for _ in 0..<1200 where !self.released.withLock({ $0 }) {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return Response(status: .ok)
            case "trickle":
                return Response(
                    status: .ok,
                    body: .init { writer in
                        for _ in 0..<200 {
                            try await writer.write(ByteBuffer(string: "."))
                            try await Task.sleep(for: .seconds(3))
                        }
                        try await writer.finish(nil)
                    })
            case "huge":
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: 4 << 20)))
            default: return Response(status: .notFound)
            }
        }
        return router
    }
}

/// Runs a receiver on port 0 for the duration of `body`.
func withReceiver<T: Sendable>(_ body: @Sendable (Receiver, Int) async throws -> T) async throws -> T {
    let receiver = Receiver()
    var logger = Logger(label: "receiver")
    logger.logLevel = .critical
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: receiver.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        defer { group.cancelAll() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        return try await body(receiver, port)
    }
}
