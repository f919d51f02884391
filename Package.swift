// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "briefd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "briefd", targets: ["briefd"]),
        .executable(name: "briefd-bench", targets: ["BriefdBench"]),
        // The Swift client's walk-through (clients/swift): built here too, so the test command compiles SwiftNIO,
        // AsyncHTTPClient and the rest once for the daemon and the client (clients/swift/Package.swift stays the
        // client's own package for integrators; both name the same sources).
        .executable(name: "briefd-walkthrough", targets: ["BriefdWalkthrough"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Already in the graph through Hummingbird; named to reach NIOSingletons (the executor take-over).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        // Already in the graph through PostgresNIO; named for the database's TLS modes (require, verify-full).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Already in the graph through Hummingbird; named for `HTTPRequestPart` (the request read deadline's handler).
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // The console's templates (Hummingbird's own engine; HTML-escaping by default, no further dependencies).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // The Swift client only (its types generated at build time); the daemon's targets do not use them.
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
    ],
    targets: [
        // The machine as pure values: no I/O, no dependencies.
        .target(name: "Workflow"),
        // PostgreSQL: SQL, migrator, repositories, the transition transaction. The migrations are its
        // resources (`Migrations` is a link to db/migrations, their one source), so the binary carries them;
        // `.process` copies the files the link leads to (`.copy` would copy the link itself).
        .target(
            name: "Storage",
            dependencies: [
                "Workflow",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.process("Migrations")]
        ),
        // Signing, retry policy, address policy, the dispatcher service.
        .target(
            name: "Webhooks",
            dependencies: [
                "Storage", "Workflow",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // An SMTP client on SwiftNIO and NIOSSL (none is in the package list): the conversation as a pure state
        // machine, the connection, MIME messages. No knowledge of briefd.
        .target(
            name: "Mail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ]
        ),
        // The mailer service: claims the mail outbox, composes each email in its recipient's language, sends it.
        .target(
            name: "Mailer",
            dependencies: [
                "Mail", "Storage", "Workflow",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Durable timers: the service that fires deadlines, reminders and escalations.
        .target(
            name: "Timers",
            dependencies: [
                "Storage", "Workflow",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Hummingbird: routes, request context, auth, problem+json, views.
        .target(
            name: "API",
            dependencies: [
                "Workflow", "Storage", "Webhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI document: the single source, served at GET /openapi.json.
            resources: [.copy("Resources/openapi.json")]
        ),
        // The console: server-rendered pages at /console (routes, view models, templates and stylesheet as
        // resources), acting through Storage and Workflow like any client; it reuses the API's context and CSV export.
        .target(
            name: "Console",
            dependencies: [
                "API", "Storage", "Webhooks", "Workflow",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates"), .copy("Static"), .copy("Catalogues")]
        ),
        // The composition root: `buildApplication`, used by `briefd serve` and by the API tests alike.
        .target(
            name: "BriefdApp",
            dependencies: [
                "API", "Console", "Mail", "Mailer", "Storage", "Timers", "Webhooks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "briefd",
            dependencies: [
                "API", "BriefdApp", "Mail", "Mailer", "Storage", "Timers", "Webhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The load driver of scripts/bench and scripts/faults (not part of the daemon).
        .executableTarget(
            name: "BriefdBench",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The Swift client and its walk-through, from clients/swift/Sources (see the product above).
        .target(
            name: "BriefdClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "clients/swift/Sources/BriefdClient",
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "BriefdWalkthrough",
            dependencies: [
                "BriefdClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "clients/swift/Sources/BriefdWalkthrough"
        ),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow"]),
        .testTarget(name: "WebhooksTests", dependencies: ["Webhooks", "Timers"]),
        .testTarget(name: "MailTests", dependencies: ["Mail", "Mailer", "Storage"]),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "BriefdApp", "Console", "Mail", "Mailer", "Storage", "Timers", "Workflow", "Webhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
