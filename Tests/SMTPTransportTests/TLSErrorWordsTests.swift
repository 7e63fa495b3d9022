import Foundation
import NIOCore
import NIOPosix
import SMTPCore
import Synchronization
import Testing
@testable import SMTPTransport

@Suite("TLS errors in words")
struct TLSErrorWordsTests {
    @Test("the reason is read from BoringSSL's packed error text and from synthetic ones")
    func reasons() {
        #expect(ConnectErrors.reason(in: "Error: 268435703 error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER at /x/ssl/tls_record.cc:242")
            == "WRONG_VERSION_NUMBER")
        #expect(ConnectErrors.reason(in: "Error:  EOF during handshake") == "EOF during handshake")
        #expect(ConnectErrors.plainWords("TLSV1_ALERT_ACCESS_DENIED")
            == "the server ended the handshake with the alert \"access denied\" (TLSV1_ALERT_ACCESS_DENIED)")
        #expect(ConnectErrors.plainWords("SOMETHING_NEW") == "SOMETHING_NEW")
    }

    @Test("implicit TLS to a plaintext server says the port is not TLS, not NIOSSL's type names")
    func plaintextPort() async throws {
        let failure = try await handshake(against: { context in
            context.writeAndFlush(NIOAny(ByteBuffer(string: "220 plain.example ESMTP\r\n")), promise: nil)
        })
        #expect(failure.reasons == [.handshake("the server did not answer in TLS (WRONG_VERSION_NUMBER): this port may speak plaintext, where STARTTLS is the way in")])
    }

    @Test("a server that closes during the handshake is said to have closed it")
    func closedDuringHandshake() async throws {
        let failure = try await handshake(against: { context in context.close(promise: nil) }, onRead: true)
        #expect(failure.reasons == [.handshake("the server closed the connection during the TLS handshake")])
    }

    /// Connects with implicit TLS to a loopback server that does `act` on accept (or on the
    /// first bytes it reads) and returns the TLS failure the connection reported.
    private func handshake(against act: @escaping @Sendable (ChannelHandlerContext) -> Void,
                           onRead: Bool = false) async throws -> TLSFailure {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Actor(act: act, onRead: onRead))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let seen = Mutex<TLSFailure?>(nil)
        let connection = Connection(group: group) { event in
            if case .tlsFailed(let failure) = event { seen.withLock { $0 = failure } }
        }
        connection.connect(.init(host: "127.0.0.1", port: port, connectTimeout: 5, implicitTLS: .init()))
        let deadline = Date().addingTimeInterval(10)
        while seen.withLock({ $0 }) == nil && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        connection.close()
        try await server.close()
        return try #require(seen.withLock { $0 })
    }
}

private final class Actor: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let act: @Sendable (ChannelHandlerContext) -> Void
    let onRead: Bool

    init(act: @escaping @Sendable (ChannelHandlerContext) -> Void, onRead: Bool) {
        self.act = act
        self.onRead = onRead
    }

    func channelActive(context: ChannelHandlerContext) {
        if !onRead { act(context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if onRead { act(context) }
    }
}
