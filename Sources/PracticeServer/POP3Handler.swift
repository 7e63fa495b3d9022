import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import SMTPCore

// Theory of operation
//
// One handler per POP3 connection runs a `POP3ServerSession` and carries out its actions, in
// order: replies are written, STLS's handshake starts after its +OK has left, the maildrop's
// work (lock and list, read, the deletions of QUIT) goes to the thread pool while reading
// pauses, and the answer goes back to the session on the event loop. The log shows the dialog
// as the SMTP side does: the client's lines masked, a multi-line response as its status line
// and a count. A client that does not read pauses reading, as on the SMTP side.

final class POP3Handler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    var session: POP3ServerSession
    let shared: PracticeServer.Shared
    let label: String
    let address: String
    var closed = false
    var counted = false
    var waiting = false
    var pausedForOutput = false
    var user: String?
    var journal = SessionJournal()
    var idleTimer: Scheduled<Void>?

    init(session: POP3ServerSession, shared: PracticeServer.Shared, label: String, address: String) {
        self.session = session
        self.shared = shared
        self.label = label
        self.address = address
    }

    var now: Double { Double(NIODeadline.now().uptimeNanoseconds) / 1e9 }

    func log(_ line: String) {
        let shared = self.shared, label = self.label
        journal.write(line) { shared.log.write("\(label) \($0)") }
    }

    func channelActive(context: ChannelHandlerContext) {
        counted = shared.connections.enter(address, limit: shared.maxConnections, perAddress: shared.maxConnectionsPerAddress)
        log("POP3 connected\(session.isTLS ? " (TLS)" : "")")
        if !counted {
            let busy = "-ERR [SYS/TEMP] Too many connections; try again later\r\n"
            log("S: \(busy.dropLast(2))")
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: busy))).whenComplete { _ in bound.value.close(promise: nil) }
            closed = true
            return
        }
        perform(session.start(at: now), context: context)
        armTimer(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes), !closed else { return }
        perform(session.receive(bytes, at: now), context: context)
        armTimer(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !closed { perform(session.connectionClosed(), context: context) }
        closed = true
        idleTimer?.cancel()
        if counted { shared.connections.leave(address) }
        counted = false
        journal.finish { shared.log.write("\(label) \($0)") }
        shared.log.write("\(label) POP3 disconnected")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A client that hangs up without TLS's close_notify after it said goodbye is no news.
        if let tls = error as? NIOSSLError, case .uncleanShutdown = tls {} else { log("error: \(error)") }
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        pausedForOutput = !context.channel.isWritable
        updateReading(context: context)
        context.fireChannelWritabilityChanged()
    }

    func updateReading(context: ChannelHandlerContext) {
        let reading = !(waiting || pausedForOutput)
        context.channel.setOption(ChannelOptions.autoRead, value: reading).whenComplete { _ in }
        if reading { context.read() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let version = (try? context.pipeline.syncOperations.nioSSL_tlsVersion()).map { "\($0)" } ?? "TLS"
            log("TLS established (\(version))")
            if !session.isTLS { session.tlsEstablished() }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func perform(_ actions: [POP3ServerSession.Action], context: ChannelHandlerContext) {
        for action in actions where !closed || action == .releaseMaildrop {
            switch action {
            case .reply(let bytes):
                logReply(bytes)
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
                if !context.channel.isWritable {
                    pausedForOutput = true
                    updateReading(context: context)
                }
            case .heard(let line):
                log("C: \(VisibleText.escape(Array(line.utf8)))")
            case .startTLS:
                guard let tls = shared.tlsContext else {
                    context.close(promise: nil)
                    return
                }
                do {
                    try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                } catch {
                    log("cannot start TLS: \(error)")
                    context.close(promise: nil)
                }
            case .openMaildrop(let name):
                user = name
                work(context: context) { drops in drops.open(name) } done: { handler, result in
                    if case .success = result {} else { handler.user = nil }
                    return handler.session.maildropOpened(result)
                }
            case .readMessage(let uid):
                let name = user ?? ""
                work(context: context) { drops in drops.read(uid, user: name) } done: { handler, result in
                    handler.session.messageRead(result)
                }
            case .commit(let uids):
                let name = user ?? ""
                user = nil
                work(context: context) { drops in drops.commit(uids, user: name) } done: { handler, result in
                    if case .failure(let failure) = result { handler.log("could not delete: \(failure)") }
                    if !uids.isEmpty { handler.log("deleted \(uids.count) message(s) of \(name)") }
                    return handler.session.committed(result)
                }
            case .releaseMaildrop:
                if let name = user { shared.maildrops.release(name) }
                user = nil
            case .close:
                closed = true
                context.close(promise: nil)
                return
            }
        }
    }

    /// A multi-line response is logged as its status line and a count of its lines.
    func logReply(_ bytes: [UInt8]) {
        let first = bytes.firstIndex(of: 0x0A).map { Array(bytes[..<$0]) } ?? bytes
        let status = VisibleText.escape(first.last == 0x0D ? Array(first.dropLast()) : first)
        let lines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        log("S: \(status)" + (lines > 1 ? " (+\(lines - 1) lines)" : ""))
    }

    /// Maildrop work on the thread pool; reading pauses until it is done.
    func work<T: Sendable>(context: ChannelHandlerContext, _ job: @escaping @Sendable (Maildrops) -> T,
                           done: @escaping (POP3Handler, T) -> [POP3ServerSession.Action]) {
        waiting = true
        updateReading(context: context)
        let drops = shared.maildrops
        let bound = NIOLoopBound((self, context, done), eventLoop: context.eventLoop)
        shared.pool.runIfActive(eventLoop: context.eventLoop) { job(drops) }.whenComplete { result in
            let (handler, context, done) = bound.value
            handler.waiting = false
            guard case .success(let value) = result else { return }
            let actions = done(handler, value)
            if handler.closed {
                // Gone while the work ran: the lock must not outlive the connection.
                if case .releaseMaildrop? = actions.last { handler.shared.maildrops.release(handler.user ?? "") }
                if let name = handler.user { handler.shared.maildrops.release(name) }
                return
            }
            handler.perform(actions, context: context)
            handler.updateReading(context: context)
        }
    }

    func armTimer(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        let deadline = session.deadline
        guard !closed, deadline.isFinite else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(UInt64(max(0, deadline) * 1e9))) {
            let (handler, context) = bound.value
            guard !handler.closed else { return }
            handler.log("timeout")
            handler.perform(handler.session.timedOut(at: handler.now), context: context)
        }
    }
}
