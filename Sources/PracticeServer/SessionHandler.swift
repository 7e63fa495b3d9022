import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import SMTPCore

// Theory of operation
//
// One handler per connection runs a `ServerSession` and carries out its actions. Replies go
// through an ordered queue: a reply the session delays (the `slow` and `tarpit` scenarios)
// holds back everything after it, so replies never overtake each other; STARTTLS's handshake
// and the closing of the connection wait in the same queue behind the reply before them.
// A message to store goes to the thread pool, which writes its copies and hands them to the
// group commit; the 250 is sent only after the batch that held the message was committed. What
// the client sends meanwhile waits in the session, unread; past `maxPendingWhileStoring` bytes
// reading stops, so a client cannot pile up commands while it waits. (Reading is not stopped
// for every message: turning it off and on costs two system calls a message.)
//
// A client that sends and never reads cannot grow the server: reading stops while the socket's
// output is above its high-water mark, or while more than `maxQueuedReplies` replies wait, and
// resumes when they drain. What one session writes to the log is capped, and a line repeated
// is counted instead of written again.

final class SessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Outgoing {
        case reply(Reply, due: NIODeadline)
        case startTLS
        case close
    }

    var session: ServerSession
    let shared: PracticeServer.Shared
    let label: String
    var queue: [Outgoing] = []
    var pumpScheduled = false
    var lastDue = NIODeadline.uptimeNanoseconds(0)
    var idleTimer: Scheduled<Void>?
    var timerDeadline = 0.0
    var closed = false
    /// "authenticated as USER" was logged.
    var loggedUser = false
    var counted = false
    /// Why reading is paused: a message being stored, replies the client does not read.
    var pausedForDelivery = false
    var pausedForOutput = false
    var journal = SessionJournal()
    /// The start of the message in progress, on disk.
    var spool: SpoolFile?
    /// Whether the channel reads by itself now (changed only when it must change).
    var autoReading = true
    /// Replies waiting to be written before reading stops, and when it resumes.
    static let maxQueuedReplies = 1000
    /// Bytes a client may send ahead while its message is being stored.
    static let maxPendingWhileStoring = 64 * 1024
    static let resumeQueuedReplies = 100

    init(session: ServerSession, shared: PracticeServer.Shared, label: String) {
        self.session = session
        self.shared = shared
        self.label = label
    }

    var now: Double { Double(NIODeadline.now().uptimeNanoseconds) / 1e9 }

    func channelActive(context: ChannelHandlerContext) {
        let overloaded = !shared.connections.enter(session.client.address, limit: shared.maxConnections,
                                                   perAddress: shared.maxConnectionsPerAddress)
        counted = !overloaded
        log("connected\(session.isTLS ? " (TLS)" : "")")
        perform(session.start(overloaded: overloaded, at: now), context: context)
        armTimer(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes), !closed else { return }
        perform(session.receive(bytes, at: now), context: context)
        armTimer(context: context)
        if pausedForDelivery { updateReading(context: context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        idleTimer?.cancel()
        if counted { shared.connections.leave(session.client.address) }
        counted = false
        journal.finish { shared.log.write("\(label) \($0)") }
        spool?.remove()
        spool = nil
        shared.log.write("\(label) disconnected")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A client that hangs up without TLS's close_notify after it said goodbye is no news.
        if let tls = error as? NIOSSLError, case .uncleanShutdown = tls {} else { log("error: \(error)") }
        context.close(promise: nil)
    }

    /// The socket's output went over or under its water marks.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        pausedForOutput = !context.channel.isWritable
        updateReading(context: context)
        context.fireChannelWritabilityChanged()
    }

    /// Reads while nothing holds reading back.
    func updateReading(context: ChannelHandlerContext) {
        let heldBack = pausedForDelivery && session.pendingInputBytes > Self.maxPendingWhileStoring
        let reading = !(heldBack || pausedForOutput || queue.count > Self.maxQueuedReplies)
        guard reading != autoReading else { return }
        autoReading = reading
        context.channel.setOption(ChannelOptions.autoRead, value: reading).whenComplete { _ in }
        if reading { context.read() }
    }

    /// One line of the teacher's log, within this session's budget.
    func log(_ line: String) {
        let shared = self.shared, label = self.label
        journal.write(line) { shared.log.write("\(label) \($0)") }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let version = (try? context.pipeline.syncOperations.nioSSL_tlsVersion()).map { "\($0)" } ?? "TLS"
            log("TLS established (\(version))")
            if !session.isTLS { session.tlsEstablished() }
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: - Actions

    func perform(_ actions: [ServerSession.Action], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .reply(let reply, let after):
                let due = max(NIODeadline.now() + .nanoseconds(Int64(after * 1e9)), lastDue)
                lastDue = due
                queue.append(.reply(reply, due: due))
            case .heard(let line):
                log("C: \(line)")
            case .spool(let bytes):
                if spool == nil { spool = SpoolFile(folder: shared.store.spoolFolder) }
                spool?.append(bytes)
            case .discardSpool:
                spool?.remove()
                spool = nil
            case .deliver(let message):
                deliver(message, context: context)
            case .startTLS:
                queue.append(.startTLS)
            case .close:
                queue.append(.close)
            }
        }
        if !loggedUser, let user = session.facts.authUser {
            loggedUser = true
            log("authenticated as \(user)")
        }
        pump(context: context)
        if queue.count > Self.maxQueuedReplies { updateReading(context: context) }
    }

    /// Sends what is due, in order; schedules itself for the next delayed reply.
    func pump(context: ChannelHandlerContext) {
        while let head = queue.first, !closed {
            switch head {
            case .reply(let reply, let due):
                if due > NIODeadline.now() {
                    guard !pumpScheduled else { return }
                    pumpScheduled = true
                    let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                    context.eventLoop.scheduleTask(deadline: due) {
                        let (handler, context) = bound.value
                        handler.pumpScheduled = false
                        handler.pump(context: context)
                    }
                    return
                }
                queue.removeFirst()
                for line in reply.lines { log("S: \(VisibleText.escape(line.raw))") }
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply.wireBytes)), promise: nil)
                if queue.count == Self.resumeQueuedReplies || !context.channel.isWritable {
                    pausedForOutput = !context.channel.isWritable
                    updateReading(context: context)
                }
            case .startTLS:
                queue.removeFirst()
                guard let tls = shared.tlsContext else {
                    context.close(promise: nil)
                    return
                }
                // The 220 has left the pipeline; from the next read on, bytes go through TLS.
                do {
                    try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                } catch {
                    log("cannot start TLS: \(error)")
                    context.close(promise: nil)
                }
            case .close:
                queue.removeFirst()
                closed = true
                context.close(promise: nil)
                return
            }
        }
    }

    /// Stores the message off the event loop; reading pauses until it is on disk.
    func deliver(_ message: ServerSession.Message, context: ChannelHandlerContext) {
        pausedForDelivery = true
        updateReading(context: context)
        let store = shared.store
        let log = shared.log
        let label = self.label
        let spool = self.spool
        self.spool = nil
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let commits = shared.commits
        let started = NIODeadline.now()
        let promise = context.eventLoop.makePromise(of: [String].self)
        shared.pool.submit { state in
            guard case .active = state else {
                return promise.fail(MaildirStore.StoreError(description: "the server is stopping"))
            }
            do {
                if let spool, let failure = spool.failure { throw failure }
                let prepared = try store.prepare(message, spool: spool?.path)
                commits.commit(prepared) { promise.completeWith($0.mapError { $0 as Error }) }
            } catch {
                promise.fail(error)
            }
        }
        promise.futureResult.whenComplete { result in
            spool?.remove()
            let (handler, context) = bound.value
            let verdict: ServerSession.DeliveryResult
            switch result {
            case .success(let files):
                let waited = Double((NIODeadline.now() - started).nanoseconds) / 1e6
                log.write("\(label) stored \(message.id) (\(message.spooledBytes + message.data.count) octets) in "
                          + "\(files.count) mailbox(es), on disk \(Double(Int(waited * 10)) / 10) ms after its end")
                verdict = .stored
            case .failure(let error):
                // The reason (a path, an errno) is for the teacher's log, never for the client.
                log.write("\(label) could not store \(message.id): \(error)")
                verdict = (error as? MaildirStore.StoreError)?.full == true ? .full : .failed(String(describing: error))
            }
            guard !handler.closed else { return }
            handler.pausedForDelivery = false
            handler.perform(handler.session.delivered(verdict, id: message.id, at: handler.now), context: context)
            handler.armTimer(context: context)
            handler.updateReading(context: context)
        }
    }

    /// The session's deadline, as a timer: a command must arrive whole within its limit from its
    /// first byte (a byte a second does not hold a slot), silence between commands likewise.
    func armTimer(context: ChannelHandlerContext) {
        let deadline = session.deadline
        guard !closed, deadline.isFinite else {
            idleTimer?.cancel()
            idleTimer = nil
            return
        }
        if deadline == timerDeadline, idleTimer != nil { return }
        idleTimer?.cancel()
        timerDeadline = deadline
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(UInt64(max(0, deadline) * 1e9))) {
            let (handler, context) = bound.value
            handler.idleTimer = nil
            guard !handler.closed else { return }
            let actions = handler.session.timedOut(at: handler.now)
            if actions.isEmpty {
                handler.armTimer(context: context)
            } else {
                handler.log("timeout")
                handler.perform(actions, context: context)
            }
        }
    }
}
