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
    let tls: TLSClientOptions
    let connectTimeout: Double
    let dns: ResolverConfig
    /// Questions are asked one at a time, off the face's thread.
    let resolving = DispatchQueue(label: "smtpx.dns")

    public init(tls: TLSClientOptions, connectTimeout: Double, dns: ResolverConfig = ResolverConfig()) {
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.dns = dns
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
                connection.connect(Connection.Options(host: target.host, port: target.port, connectTimeout: connectTimeout,
                                                      implicitTLS: target.implicitTLS ? tls : nil, serverName: target.serverName))
            case .resolve(let question):
                let (inbox, config) = (inbox, dns)
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
            case .startTLS: connection.startTLS(tls)
            case .close: connection.close()
            case .askSecret, .save, .show, .showHelp, .cleared, .languageChanged, .quit: rest.append(effect)
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
