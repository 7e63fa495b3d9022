import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SMTPCore
import Synchronization

/// Where the practice server listens and keeps its mail.
public struct PracticeServerOptions: Sendable {
    public var config: ServerConfig
    public var host: String
    public var port: Int
    /// An implicit-TLS listener (`--tls-listen`), or nil.
    public var tlsHost: String?
    public var tlsPort: Int?
    public var maildir: URL
    /// Sessions open at once, and from one client address (a class behind one NAT shares one).
    public var maxConnections: Int
    public var maxConnectionsPerAddress: Int
    /// PEM certificate chain and key; nil with `config.tlsAvailable` makes a self-signed one.
    public var certificatePEM: String?
    public var keyPEM: String?
    /// POP3 (RFC 1939) on the same Maildirs and accounts, and POP3 over implicit TLS (RFC 8314).
    public var pop3Host: String?
    public var pop3Port: Int?
    public var pop3sHost: String?
    public var pop3sPort: Int?
    /// USER, PASS and AUTH PLAIN only after STLS.
    public var pop3RequireTLS = false

    public init(config: ServerConfig, host: String = "127.0.0.1", port: Int = 2525, tlsHost: String? = nil,
                tlsPort: Int? = nil, maildir: URL, maxConnections: Int = 500, maxConnectionsPerAddress: Int = 150,
                certificatePEM: String? = nil, keyPEM: String? = nil) {
        self.config = config
        self.host = host
        self.port = port
        self.tlsHost = tlsHost
        self.tlsPort = tlsPort
        self.maildir = maildir
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }
}

/// The practice server: a real RFC 5321 server on SwiftNIO around `ServerSession`, that never
/// relays and acknowledges a message only once it is safely in a Maildir.
public final class PracticeServer: Sendable {
    /// What every connection's handler shares.
    final class Shared: Sendable {
        let config: ServerConfig
        let store: MaildirStore
        let commits: GroupCommit
        let log: ServerLog
        let pool: NIOThreadPool
        let connections = ConnectionCount()
        let maxConnections: Int
        let maxConnectionsPerAddress: Int
        let policy: PracticePolicy
        let tlsContext: NIOSSLContext?
        let sequence = Mutex(0)
        let maildrops: Maildrops
        let pop3: POP3ServerConfig
        let pop3Accounts: AccountTable?

        init(config: ServerConfig, store: MaildirStore, log: ServerLog, pool: NIOThreadPool, maxConnections: Int,
             maxConnectionsPerAddress: Int, tlsContext: NIOSSLContext?, ownAddresses: [String], pop3RequireTLS: Bool) {
            maildrops = Maildrops(root: store.root, settle: { [store] in store.checkpoint() })
            pop3 = POP3ServerConfig(hostname: config.hostname, tlsAvailable: tlsContext != nil,
                                    requireTLSForPasswords: pop3RequireTLS, maxErrors: config.maxErrors,
                                    timeout: max(600, config.commandTimeout))
            pop3Accounts = config.accounts.isEmpty ? nil : AccountTable(accounts: config.accounts, hmacMD5: CramMD5.hmac)
            self.config = config
            self.store = store
            commits = GroupCommit(store: store)
            self.log = log
            self.pool = pool
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.tlsContext = tlsContext
            let accounts = config.accounts.isEmpty ? nil : AccountTable(accounts: config.accounts, hmacMD5: CramMD5.hmac)
            policy = PracticePolicy(config: config, greylist: Greylist(), accounts: accounts, throttle: LoginThrottle(),
                                    ownAddresses: ["127.0.0.1", "::1"] + ownAddresses)
        }

        func nextLabel(_ address: SocketAddress?) -> String {
            let number = sequence.withLock { value -> Int in
                value += 1
                return value
            }
            let ip = address?.ipAddress ?? "?"
            return "[\(ip):\(address?.port ?? 0) #\(number)]"
        }
    }

    public let options: PracticeServerOptions
    let shared: Shared
    let group: EventLoopGroup
    let channels = Mutex<[Channel]>([])
    let pop3Bound = Mutex<[SocketAddress]>([])
    /// The certificate clients see (PEM), when TLS is on.
    public let certificatePEM: String?

    public init(options: PracticeServerOptions, log: ServerLog = .silent,
                group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.options = options
        self.group = group
        var tlsContext: NIOSSLContext?
        var certificate = options.certificatePEM
        if options.config.tlsAvailable || options.tlsPort != nil || options.pop3sPort != nil {
            var key = options.keyPEM
            if certificate == nil || key == nil {
                let made = try SelfSignedCertificate.make(hostname: options.config.hostname)
                certificate = made.certificatePEM
                key = made.keyPEM
            }
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificate!.utf8)).map { NIOSSLCertificateSource.certificate($0) }
            let privateKey = try NIOSSLPrivateKey(bytes: Array(key!.utf8), format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
            // TLS 1.0 and 1.1 are deprecated (RFC 8996): the practice server shows the right way.
            configuration.minimumTLSVersion = .tlsv12
            tlsContext = try NIOSSLContext(configuration: configuration)
        }
        certificatePEM = certificate
        var config = options.config
        config.tlsAvailable = tlsContext != nil
        let store = try MaildirStore(root: options.maildir, mailboxes: config.mailboxes, hostname: config.hostname)
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        shared = Shared(config: config, store: store, log: log, pool: pool, maxConnections: options.maxConnections,
                        maxConnectionsPerAddress: options.maxConnectionsPerAddress, tlsContext: tlsContext,
                        ownAddresses: [options.host] + (options.tlsHost.map { [$0] } ?? []), pop3RequireTLS: options.pop3RequireTLS)
    }

    /// Starts listening; returns the addresses bound (port 0 picks a free port).
    @discardableResult
    public func start() throws -> [SocketAddress] {
        var bound: [SocketAddress] = []
        let plain = try bootstrap(implicitTLS: false).bind(host: options.host, port: options.port).wait()
        channels.withLock { $0.append(plain) }
        if let address = plain.localAddress { bound.append(address) }
        if let tlsPort = options.tlsPort {
            let secure = try bootstrap(implicitTLS: true).bind(host: options.tlsHost ?? options.host, port: tlsPort).wait()
            channels.withLock { $0.append(secure) }
            if let address = secure.localAddress { bound.append(address) }
        }
        for (host, port, tls) in [(options.pop3Host, options.pop3Port, false), (options.pop3sHost, options.pop3sPort, true)] {
            guard let port else { continue }
            let channel = try pop3Bootstrap(implicitTLS: tls).bind(host: host ?? options.host, port: port).wait()
            channels.withLock { $0.append(channel) }
            if let address = channel.localAddress {
                pop3Bound.withLock { $0.append(address) }
                shared.log.write("POP3\(tls ? "S" : "") listening on \(address.ipAddress ?? "?"):\(address.port ?? 0)")
            }
        }
        for address in bound { shared.log.write("listening on \(address.ipAddress ?? "?"):\(address.port ?? 0)") }
        return bound
    }

    func bootstrap(implicitTLS: Bool) -> ServerBootstrap {
        let shared = self.shared
        return ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let remote = channel.remoteAddress
                    let client = ServerSession.ClientInfo(address: remote?.ipAddress ?? "?", port: remote?.port ?? 0)
                    let session = ServerSession(policy: shared.policy, client: client, tls: implicitTLS)
                    if implicitTLS, let tls = shared.tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        SessionHandler(session: session, shared: shared, label: shared.nextLabel(remote)))
                }
            }
    }

    /// The POP3 (then POP3S) addresses bound by `start`.
    public var pop3Addresses: [SocketAddress] { pop3Bound.withLock { $0 } }

    func pop3Bootstrap(implicitTLS: Bool) -> ServerBootstrap {
        let shared = self.shared
        return ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let remote = channel.remoteAddress
                    let stamp = "<\(getpid()).\(UInt64(Date().timeIntervalSince1970 * 1000)).\(shared.sequence.withLock { $0 })@\(shared.config.hostname)>"
                    let session = POP3ServerSession(config: shared.pop3, accounts: shared.pop3Accounts, md5: Self.md5,
                                                    tls: implicitTLS, timestamp: stamp)
                    if implicitTLS, let tls = shared.tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        POP3Handler(session: session, shared: shared, label: shared.nextLabel(remote), address: remote?.ipAddress ?? "?"))
                }
            }
    }

    static let md5: @Sendable ([UInt8]) -> [UInt8] = { Array(Insecure.MD5.hash(data: $0)) }

    /// Stops listening; open sessions are closed.
    public func stop() {
        let all = channels.withLock { channels -> [Channel] in
            defer { channels = [] }
            return channels
        }
        for channel in all { try? channel.close().wait() }
        try? shared.pool.syncShutdownGracefully()
        shared.store.checkpoint()
        shared.log.flush()
    }

    /// The configuration in force (with `tlsAvailable` as it turned out).
    public var config: ServerConfig { shared.config }
    public var maildir: URL { options.maildir }
}

/// How many sessions are open, in all and per client address; a new one over either limit
/// gets 421 (Postfix's anvil counts the same way).
final class ConnectionCount: Sendable {
    private let counts = Mutex((total: 0, byAddress: [String: Int]()))

    func enter(_ address: String, limit: Int, perAddress: Int) -> Bool {
        counts.withLock { counts in
            let mine = counts.byAddress[address] ?? 0
            guard counts.total < limit, mine < perAddress else { return false }
            counts.total += 1
            counts.byAddress[address] = mine + 1
            return true
        }
    }

    func leave(_ address: String) {
        counts.withLock { counts in
            counts.total -= 1
            let mine = (counts.byAddress[address] ?? 1) - 1
            counts.byAddress[address] = mine > 0 ? mine : nil
        }
    }
}
