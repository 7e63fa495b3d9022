import NIOCore
import NIOPosix
import NIOTLS
import SMTPCore
import Synchronization

// Theory of operation
//
// One `Connection` object serves one explorer for its whole life: `connect` may be called
// again (`/connect`), and every TCP connection gets a generation number so that events
// from a connection that has been replaced are dropped. Everything the channel does is
// reported through `onEvent` as a `ConnectionEvent`, on an event-loop thread; the caller
// hands them to its own thread. Nothing here knows SMTP: bytes in, bytes out.

/// A client connection to an SMTP server over SwiftNIO.
public final class Connection: Sendable {
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        /// Seconds to wait for the TCP connection (all addresses of the host).
        public var connectTimeout: Double
        /// TLS from the first byte (`--tls`, port 465), or nil for plaintext.
        public var implicitTLS: TLSClientOptions?
        /// The name TLS checks and sends (SNI) when `host` is an address found by DNS.
        public var serverName: String?
        /// `-4`, `-6`: connect over this family only.
        public var family: AddressFamily?
        /// `--source ADDR`: the local address to connect from.
        public var source: String?

        public init(host: String, port: Int, connectTimeout: Double = 15, implicitTLS: TLSClientOptions? = nil,
                    serverName: String? = nil, family: AddressFamily? = nil, source: String? = nil) {
            self.family = family
            self.source = source
            self.host = host
            self.port = port
            self.connectTimeout = connectTimeout
            self.implicitTLS = implicitTLS
            self.serverName = serverName
        }
    }

    struct State {
        var generation = 0
        var channel: Channel?
        var closingByClient = false
        var host = ""
    }

    let group: EventLoopGroup
    let onEvent: @Sendable (ConnectionEvent) -> Void
    let state = Mutex(State())

    public init(group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                onEvent: @escaping @Sendable (ConnectionEvent) -> Void) {
        self.group = group
        self.onEvent = onEvent
    }

    /// Closes any current connection and opens a new one.
    public func connect(_ options: Options) {
        let generation: Int = state.withLock { state in
            state.channel?.close(promise: nil)
            state.channel = nil
            state.closingByClient = false
            state.generation += 1
            state.host = options.serverName ?? options.host
            return state.generation
        }
        onEvent(.connecting(host: options.host, port: options.port))
        let report: @Sendable (ConnectionEvent) -> Void = { [weak self] event in
            guard let self, self.state.withLock({ $0.generation == generation }) else { return }
            self.onEvent(event)
        }
        let isClosingByClient: @Sendable () -> Bool = { [weak self] in
            self?.state.withLock { $0.closingByClient } ?? true
        }
        // Taken when the channel becomes active, before its first read: `connected` always
        // comes before the first bytes, and `send` finds the channel as soon as it is reported.
        let adopt: @Sendable (Channel) -> Bool = { [weak self] channel in
            self?.state.withLock { state in
                guard state.generation == generation else { return false }
                state.channel = channel
                return true
            } ?? false
        }
        let timeout = TimeAmount.milliseconds(Int64(max(0.1, options.connectTimeout) * 1000))
        let loop = group.next()
        var bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ForwardingHandler(report: report, adopt: adopt, isClosingByClient: isClosingByClient))
                    if let tls = options.implicitTLS {
                        try TLSUpgrade.addClientHandler(to: channel, options: tls, host: options.serverName ?? options.host)
                    }
                }
            }
        if let family = options.family { bootstrap = bootstrap.resolver(FamilyResolver(loop: loop, family: family)) }
        if let source = options.source {
            do {
                bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0))
            } catch {
                report(.failed(ConnectFailure(kind: .other, host: options.host, port: options.port,
                                              detail: "--source \(source) is not an address of this machine")))
                return
            }
        }
        // Success is reported by the handler when the channel becomes active (`adopt`); a
        // channel replaced before that is closed there, one replaced after it by `connect`.
        bootstrap.connect(host: options.host, port: options.port).whenFailure { error in
            report(.failed(ConnectErrors.classify(error, host: options.host, port: options.port, family: options.family)))
        }
    }

    /// Writes bytes to the server, if connected.
    public func send(_ bytes: [UInt8]) {
        guard let channel = state.withLock({ $0.channel }) else { return }
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// Closes the connection; the `closed` event will say `byClient`.
    public func close() {
        let channel = state.withLock { state -> Channel? in
            state.closingByClient = true
            return state.channel
        }
        channel?.close(promise: nil)
    }

    /// Stops or resumes reading from the socket, so that a flooding server waits while the
    /// screen catches up (back-pressure: the kernel buffers, then TCP flow control).
    public func setReading(_ on: Bool) {
        guard let channel = state.withLock({ $0.channel }) else { return }
        channel.eventLoop.execute {
            _ = channel.setOption(ChannelOptions.autoRead, value: on)
            if on { channel.read() }
        }
    }

    /// "127.0.0.1:2525", "[::1]:2525".
    public static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "?" }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}

/// Passes bytes and the end of the connection on as events, and TLS's outcome.
final class ForwardingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    let report: @Sendable (ConnectionEvent) -> Void
    let adopt: @Sendable (Channel) -> Bool
    let isClosingByClient: @Sendable () -> Bool
    /// Set while a TLS handshake is under way or done.
    var tls: TLSProgress?
    var reported = false

    init(report: @escaping @Sendable (ConnectionEvent) -> Void, adopt: @escaping @Sendable (Channel) -> Bool,
         isClosingByClient: @escaping @Sendable () -> Bool) {
        self.report = report
        self.adopt = adopt
        self.isClosingByClient = isClosingByClient
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        if adopt(channel) {
            report(.connected(remote: Connection.describe(channel.remoteAddress),
                              local: Connection.describe(channel.localAddress)))
            context.fireChannelActive()
        } else {
            context.fireChannelActive()
            context.close(promise: nil)
        }
    }

    var handshakeInProgress: Bool {
        guard let tls else { return false }
        return !tls.facts.withLock { $0.completed }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty {
            report(.received(bytes))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !reported {
            reported = true
            if let tls, handshakeInProgress {
                report(.tlsFailed(tls.failure("the server closed the connection during the TLS handshake")))
            } else {
                report(.closed(isClosingByClient() ? .byClient : .byServer))
            }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if !reported {
            reported = true
            if let tls, handshakeInProgress {
                report(.tlsFailed(tls.failure(ConnectErrors.tlsWords(error))))
            } else if isClosingByClient() {
                report(.closed(.byClient))
            } else {
                report(.closed(.error(ConnectErrors.words(error))))
            }
        }
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, let tls {
            tls.facts.withLock { $0.completed = true }
            let version = TLSUpgrade.versionName(try? context.pipeline.syncOperations.nioSSL_tlsVersion())
            report(.tlsEstablished(tls.info(version: version)))
        }
        context.fireUserInboundEventTriggered(event)
    }
}
