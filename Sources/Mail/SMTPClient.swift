import Foundation
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL

/// Sends batches of messages to the SMTP server of `SMTPSettings`, one connection per batch, driven by
/// `SMTPConversation` (this type only moves bytes: lines in, commands and data out, TLS when asked).
public struct SMTPClient: Sendable {
    public var settings: SMTPSettings
    /// A whole batch must be done within this; past it the connection is closed and what is left is deferred.
    public var timeout: Duration
    /// Establishing the TCP connection.
    public var connectTimeout: Duration
    /// The name `EHLO` gives.
    public var clientName: String
    private let tlsContext: NIOSSLContext?

    public init(
        settings: SMTPSettings, timeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10),
        clientName: String = "briefd"
    ) throws {
        self.settings = settings
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.clientName = clientName
        if settings.security == .none {
            tlsContext = nil
        } else {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            if let ca = settings.caFile { tls.trustRoots = .file(ca) }
            tlsContext = try NIOSSLContext(configuration: tls)
        }
    }

    /// Sends `envelopes` over one connection; the answer has each one's outcome, in order. It never throws: a
    /// connection that cannot be made, or breaks, defers what it had not sent.
    public func send(_ envelopes: [SMTPEnvelope]) async -> [SMTPOutcome] {
        var conversation = SMTPConversation(
            envelopes: envelopes, security: settings.security, username: settings.username,
            password: settings.password, clientName: clientName)
        guard !envelopes.isEmpty else { return [] }
        do {
            try await converse(&conversation)
        } catch {
            conversation.connectionFailed(
                "the connection to \(settings.host):\(settings.port): \(Self.describe(error))")
        }
        return conversation.outcomes.map { $0 ?? .deferred("the connection closed before an answer") }
    }

    private func converse(_ conversation: inout SMTPConversation) async throws {
        let host = settings.host
        let implicit = settings.security == .implicitTLS ? tlsContext : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.init(connectTimeout))
            .connect(host: host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let implicit {
                        try sync.addHandler(NIOSSLClientHandler(context: implicit, serverHostname: Self.sni(host)))
                    }
                    // A line past 4 KiB is not SMTP: the decoder refuses it instead of buffering without end.
                    try sync.addHandler(ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: 4_096))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let deadline = channel.channel.eventLoop.scheduleTask(in: .init(timeout)) {
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            var reader = SMTPReplyReader()
            while true {
                guard let line = try await lines.next() else {
                    conversation.connectionFailed("the server closed the connection")
                    return
                }
                guard let reply = try reader.read(String(buffer: line)) else { continue }
                var action = conversation.received(reply)
                while true {
                    switch action {
                    case .send(let command):
                        try await outbound.write(ByteBuffer(string: command + "\r\n"))
                    case .sendData(let i):
                        try await outbound.write(ByteBuffer(bytes: conversation.dataBytes(i)))
                    case .startTLS:
                        guard let context = tlsContext else { throw TLSUnavailable() }
                        // Before the line decoder: what follows is read through TLS. Writes wait for the handshake.
                        let raw = channel.channel
                        try await raw.eventLoop.submit {
                            let handler = try NIOSSLClientHandler(context: context, serverHostname: Self.sni(host))
                            try raw.pipeline.syncOperations.addHandler(handler, position: .first)
                        }.get()
                        action = conversation.tlsEstablished()
                        continue
                    case .close:
                        return
                    }
                    break
                }
            }
        }
    }

    struct TLSUnavailable: Error {}

    /// The name for SNI and certificate checks: nil for an IP address (SNI carries names only).
    static func sni(_ host: String) -> String? {
        host.contains(":") || host.split(separator: ".").allSatisfy({ UInt8($0) != nil }) ? nil : host
    }

    static func describe(_ error: Error) -> String {
        if error is ChannelError { return "closed or timed out (\(error))" }
        return String(describing: error)
    }
}
