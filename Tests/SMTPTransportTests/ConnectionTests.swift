import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
import SMTPCore
import Synchronization
import Testing
@testable import SMTPTransport

@Suite("Connection")
struct ConnectionTests {
    @Test("the handler reports `connected` and adopts the channel when it becomes active, before any byte")
    func activationReportsConnected() throws {
        let log = EventLog()
        let adopted = Counter()
        let handler = ForwardingHandler(report: { log.append($0) }, adopt: { _ in adopted.add(1); return true },
                                        isClosingByClient: { false })
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 25)).wait()
        #expect(adopted.value == 1)
        try channel.writeInbound(ByteBuffer(string: "220 ready\r\n"))
        let events = log.events
        #expect(events.count == 2)
        if case .connected(let remote, _)? = events.first { #expect(remote == "127.0.0.1:25") } else { Issue.record("\(events)") }
        #expect(events.last == .received(Array("220 ready\r\n".utf8)))
    }

    @Test("a channel from a replaced connection is closed, not reported")
    func replacedChannelIsClosed() throws {
        let log = EventLog()
        let handler = ForwardingHandler(report: { log.append($0) }, adopt: { _ in false }, isClosingByClient: { true })
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 25)).wait()
        #expect(!channel.isActive)
        #expect(!log.events.contains { if case .connected = $0 { return true } else { return false } })
    }

    /// Many connections at once to a server that greets on accept, on the event loops the
    /// explorer and the embedded practice server share: for each, `connected` must come
    /// before the greeting (the explorer starts its session on `connected` and would drop
    /// bytes that came first), and a command sent right on `connected` must be written.
    @Test("`connected` always comes before the server's first bytes, and a send right after it is written")
    func connectedComesFirst() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let lines = Counter()
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Greeter(lines: lines))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let rounds = 40, together = 25
        let greeting = ConnectionEvent.received(Array("220 test ready\r\n".utf8))

        for round in 0..<rounds {
            let logs = (0..<together).map { _ in EventLog() }
            for log in logs {
                let connection = Connection(group: group) { event in
                    log.append(event)
                    if case .connected = event { log.connection?.send(Array("EHLO \(round)\r\n".utf8)) }
                }
                log.connection = connection
                connection.connect(.init(host: "127.0.0.1", port: port, connectTimeout: 5))
            }
            let deadline = Date().addingTimeInterval(10)
            while logs.contains(where: { !$0.events.contains(greeting) }) && Date() < deadline {
                try await Task.sleep(for: .milliseconds(1))
            }
            for log in logs {
                let seen = log.events
                log.connection?.close()
                try #require(seen.count >= 3, "round \(round): \(seen)")
                #expect(seen[0] == .connecting(host: "127.0.0.1", port: port))
                if case .connected = seen[1] {} else { Issue.record("round \(round): \(seen[1]) came before connected") }
                #expect(seen[2] == greeting, "round \(round)")
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while lines.value < rounds * together && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(lines.value == rounds * together, "every EHLO sent right on `connected` reached the server")
        try await server.close()
    }
}

/// Writes a greeting the moment a client is accepted, as SMTP servers do, and counts the
/// lines it gets.
private final class Greeter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let lines: Counter

    init(lines: Counter) { self.lines = lines }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: "220 test ready\r\n")), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lines.add(unwrapInboundIn(data).readableBytesView.filter { $0 == 0x0A }.count)
    }
}

private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add(_ n: Int) { count.withLock { $0 += n } }
}

private final class EventLog: Sendable {
    private let state = Mutex<(events: [ConnectionEvent], connection: Connection?)>(([], nil))
    var events: [ConnectionEvent] { state.withLock { $0.events } }
    var connection: Connection? {
        get { state.withLock { $0.connection } }
        set { state.withLock { $0.connection = newValue } }
    }
    func append(_ event: ConnectionEvent) { state.withLock { $0.events.append(event) } }
}
