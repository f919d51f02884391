import Foundation
import HTTPTypes

/// The API's paths and the methods each accepts, read from the OpenAPI document (which a test keeps equal to
/// the router): a known path asked with another method is answered 405 with `Allow`, not 404.
enum RouteTable {
    /// Path templates split into segments (`{id}` matches any one segment), with their methods.
    static let routes: [(segments: [Substring], methods: [String])] = {
        guard let bytes = OpenAPIDocument.bytes,
            let document = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let paths = document["paths"] as? [String: [String: Any]]
        else { return [] }
        let known = ["get", "put", "post", "delete", "patch", "head", "options"]
        return paths.map { path, operations in
            (path.split(separator: "/"), operations.keys.filter(known.contains).map { $0.uppercased() }.sorted())
        }
    }()

    /// The methods the document allows on `path`, or nil when no route has this path.
    static func allowedMethods(path: String) -> [String]? {
        let segments = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/") } ?? []
        let matching = routes.filter { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        guard !matching.isEmpty else { return nil }
        var methods = Set(matching.flatMap(\.methods))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }
}
