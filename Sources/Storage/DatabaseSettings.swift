import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// Why a database URL was refused.
public struct DatabaseURLError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Connection settings parsed from `postgres://user:pass@host:port/db?sslmode=`.
public struct DatabaseSettings: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public var tls: TLSMode
    /// `sslrootcert`: the certificate authorities `verify-ca` and `verify-full` trust (default: the system's).
    public var rootCertificates: String?

    /// libpq's `sslmode`s that briefd supports. A mode that requires TLS never falls back to plaintext.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, plaintext otherwise; the certificate is not checked.
        case prefer
        /// TLS or no connection; the certificate is not checked (protects against eavesdropping only).
        case require
        /// TLS or no connection; the certificate must chain to a trusted authority.
        case verifyCA = "verify-ca"
        /// TLS or no connection; the certificate must chain to a trusted authority and name the host.
        case verifyFull = "verify-full"
    }

    /// Parses a `postgres://` or `postgresql://` URL. `sslmode=disable|prefer|require|verify-ca|verify-full`
    /// chooses TLS (`sslrootcert=` the trusted authorities); the default is no TLS on loopback hosts and TLS when
    /// offered elsewhere.
    public init(url: String) throws {
        guard let c = URLComponents(string: url), let scheme = c.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw DatabaseURLError(
                description: "BRIEFD_DATABASE_URL must look like postgres://user:password@host:port/database")
        }
        guard let host = c.host, !host.isEmpty else {
            throw DatabaseURLError(description: "BRIEFD_DATABASE_URL has no host")
        }
        guard let user = c.user, !user.isEmpty else {
            throw DatabaseURLError(description: "BRIEFD_DATABASE_URL has no user name")
        }
        let db = String(c.path.drop(while: { $0 == "/" }))
        guard !db.isEmpty else { throw DatabaseURLError(description: "BRIEFD_DATABASE_URL names no database") }
        self.host = host
        self.port = c.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = c.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = db.removingPercentEncoding ?? db
        let mode = c.queryItems?.first(where: { $0.name == "sslmode" })?.value
        switch mode {
        case nil: tls = ["127.0.0.1", "localhost", "::1"].contains(host) ? .disable : .prefer
        case let name?:
            guard let known = TLSMode(rawValue: name) else {
                throw DatabaseURLError(
                    description: "sslmode must be disable, prefer, require, verify-ca or verify-full")
            }
            tls = known
        }
        rootCertificates = c.queryItems?.first(where: { $0.name == "sslrootcert" })?.value
        if let path = rootCertificates, !FileManager.default.isReadableFile(atPath: path) {
            throw DatabaseURLError(description: "sslrootcert \(path) is not a readable file")
        }
    }

    /// The TLS configuration of the mode: what is verified, and against which authorities.
    func tlsConfiguration() -> TLSConfiguration {
        var config = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable, .prefer, .require: config.certificateVerification = .none
        case .verifyCA: config.certificateVerification = .noHostnameVerification
        case .verifyFull: config.certificateVerification = .fullVerification
        }
        if let rootCertificates { config.trustRoots = .file(rootCertificates) }
        return config
    }

    /// Connects once, outside the pool (which retries in silence), and says in one sentence why that failed;
    /// nil when it worked. For messages at start: a refused TLS or an unverifiable certificate is not "no answer".
    public func connectionProblem(logger: Logger) async -> String? {
        do {
            let tlsSetting: PostgresConnection.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
                case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration()))
                }
            var config = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
            config.options.connectTimeout = .seconds(3)
            let connection = try await PostgresConnection.connect(configuration: config, id: 0, logger: logger)
            try? await connection.close()
            return nil
        } catch let error as PSQLError where error.code == .sslUnsupported {
            return "the server does not offer TLS, and sslmode=\(tls.rawValue) does not allow a connection without it"
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(error.code): \(String(describing: underlying))" }
            return "\(error.code)"
        } catch {
            return String(describing: error)
        }
    }

    /// The PostgresNIO client configuration. Connections open on demand and close after a minute idle; no
    /// keep-alive pings: PostgresNIO's pool arms a keep-alive timer (three tasks and a Dispatch timer) each time a
    /// connection is handed back and cancels it at the next lease — at least once per request, about a tenth of
    /// the daemon's CPU in the lifecycle benchmark. A connection that died while idle is found at its next use (its
    /// statement fails, or is given up on at the deadline and its connection closed) and replaced. Keeping the
    /// pool open (`minimumConnections`, which would spare the idle timer too) crashes PostgresNIO 1.33's pool when
    /// the database restarts under load: docs/decisions.md "The pool's timers".
    public func clientConfiguration(maxConnections: Int = 20) -> PostgresClient.Configuration {
        var config = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: tls == .disable
                ? .disable : tls == .prefer ? .prefer(tlsConfiguration()) : .require(tlsConfiguration()))
        config.options.maximumConnections = maxConnections
        config.options.minimumConnections = 0
        config.options.keepAliveBehavior = nil
        config.options.connectTimeout = .seconds(3)
        return config
    }
}
