// swift-tools-version:6.0
import PackageDescription

// briefd's Swift client: the operations and types generated from the daemon's OpenAPI document at build time
// (swift-openapi-generator's plugin), the AsyncHTTPClient transport, and a thin hand-written layer (bearer key,
// Idempotency-Key, If-Match, retries of 429/503, typed problems, Standard Webhooks verification). A package of its
// own, so the daemon gains no dependency.
let package = Package(
    name: "BriefdClient",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BriefdClient", targets: ["BriefdClient"]),
        .executable(name: "briefd-walkthrough", targets: ["BriefdWalkthrough"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // In the graph through AsyncHTTPClient; the walk-through's webhook receiver is a NIO HTTP server.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .target(
            name: "BriefdClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // docs/api.md's walk-through against a live daemon: `swift run briefd-walkthrough URL OPERATOR_TOKEN`.
        .executableTarget(
            name: "BriefdWalkthrough",
            dependencies: [
                "BriefdClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
    ]
)
