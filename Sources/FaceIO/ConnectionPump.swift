import Conversation
import DNSTransport
import Dispatch
import EventQueue
import SMTPCore
import SMTPTransport
import Synchronization

// Theory of operation
//
// The pump carries a conversation's transport effects to a `Connection` (SwiftNIO) and brings
// its events back through an `Inbox` that the face's one thread polls. Each event weighs the
// bytes it carries: above `pauseAbove` bytes waiting, the socket stops being read (the kernel
// buffers, then TCP flow control slows the server); once the face has taken the queue below
// `resumeBelow`, reading resumes. So a server that floods cannot grow a face's memory, whatever
// the face does with each line.

/// A conversation's connection, with back-pressure from the face to the socket.
public final class ConnectionPump: Sendable {
    /// Bytes waiting in the inbox above which reading pauses, and below which it resumes.
    public static let pauseAbove = 1 << 20
    public static let resumeBelow = 256 << 10
    /// Bytes of events a face takes in one turn, so keys and timers are not starved.
    public static let budget = 256 << 10

    public let inbox = Inbox<ConnectionEvent>()
    let connection: Connection
    let paused = PauseFlag()
    let settings: ConnectionSettings
    /// Questions are asked one at a time, off the face's thread.
    let resolving = DispatchQueue(label: "smtpx.dns")

    public init(_ settings: ConnectionSettings) {
        self.settings = settings
        let inbox = self.inbox
        let paused = self.paused
        let holder = ConnectionHolder()
        connection = Connection { event in
            var weight = 0
            if case .received(let bytes) = event { weight = bytes.count }
            let total = inbox.post(event, weight: weight)
            if total > Self.pauseAbove, paused.set(true) { holder.connection?.setReading(false) }
        }
        holder.set(connection)
    }

    /// Carries out the transport's effects; returns the others for the face.
    public func perform(_ effects: [ConversationEffect]) -> [ConversationEffect] {
        var rest: [ConversationEffect] = []
        for effect in effects {
            switch effect {
            case .connect(let target):
                connection.connect(Connection.Options(
                    host: target.host, port: target.port, connectTimeout: settings.connectTimeout,
                    implicitTLS: target.implicitTLS ? settings.tls : nil, serverName: target.serverName,
                    family: settings.network.family, source: settings.network.source))
            case .resolve(let question):
                let (inbox, config) = (inbox, settings.dns)
                resolving.async {
                    let response: DNSResponse
                    do {
                        response = try Resolver(config).ask(question)
                    } catch {
                        response = .failed(question, .network("\(error)"))
                    }
                    inbox.post(.resolved(response))
                }
            case .send(let bytes): connection.send(bytes)
            case .startTLS: connection.startTLS(settings.tls)
            case .close: connection.close()
            case .askSecret, .save, .show, .showHelp, .hint, .cleared, .languageChanged, .quit: rest.append(effect)
            }
        }
        return rest
    }

    /// Events waiting, up to the budget; reading resumes once the queue has drained.
    public func take() -> [ConnectionEvent] {
        let events = inbox.take(budget: Self.budget)
        if inbox.weight < Self.resumeBelow, paused.set(false) { connection.setReading(true) }
        return events
    }

    /// The descriptor to poll for "events are waiting".
    public var descriptor: Int32 { inbox.descriptor }

    public func close() { connection.close() }
}

/// What a face's connections are made with.
public struct ConnectionSettings: Sendable {
    public var tls: TLSClientOptions
    /// Seconds to wait for the TCP connection.
    public var connectTimeout: Double
    /// Where `.resolve` effects ask.
    public var dns: ResolverConfig
    public var network: NetworkOptions

    public init(tls: TLSClientOptions = TLSClientOptions(), connectTimeout: Double = 15, dns: ResolverConfig = ResolverConfig(),
                network: NetworkOptions = NetworkOptions()) {
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.dns = dns
        self.network = network
    }
}

/// How connections are made: `-4`, `-6`, `--source`.
public struct NetworkOptions: Sendable, Hashable {
    public var family: AddressFamily?
    public var source: String?

    public init(family: AddressFamily? = nil, source: String? = nil) {
        self.family = family
        self.source = source
    }
}

/// Whether reading is paused; `set` says whether the value changed.
final class PauseFlag: Sendable {
    private let state = Mutex(false)

    func set(_ value: Bool) -> Bool {
        state.withLock { current in
            defer { current = value }
            return current != value
        }
    }
}

/// Lets the connection's event callback reach the connection it belongs to.
final class ConnectionHolder: Sendable {
    private let box = Mutex<Connection?>(nil)
    var connection: Connection? { box.withLock { $0 } }
    func set(_ connection: Connection) { box.withLock { $0 = connection } }
}
