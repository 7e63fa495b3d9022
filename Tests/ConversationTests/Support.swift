import Foundation
import Testing
@testable import Conversation
import SMTPCore
import SMTPKnowledge

/// What stands on the other end of the wire in a test.
protocol Peer {
    /// The bytes of the greeting (or nothing), and whether the peer then closes.
    mutating func connected() -> [PeerAction]
    /// Bytes the client wrote.
    mutating func received(_ bytes: [UInt8]) -> [PeerAction]
    /// The handshake after STARTTLS is done.
    mutating func tlsUp()
}

enum PeerAction: Equatable {
    case send([UInt8])
    case close
    case startTLS
    /// The handshake fails.
    case failTLS
}

/// The practice server's session as the peer: the real protocol machine, no network.
struct ServerPeer: Peer {
    var server: ServerSession
    var stored: [ServerSession.Message] = []

    init(_ config: ServerConfig = ServerConfig(tlsAvailable: true, accounts: ServerConfig.demoAccounts)) {
        let accounts = AccountTable(accounts: config.accounts, hmacMD5: { key, message in Array((key + message).prefix(16)) })
        server = ServerSession(policy: PracticePolicy(config: config, greylist: Greylist(), accounts: accounts),
                               client: .init(address: "192.0.2.7", port: 50000))
    }

    mutating func connected() -> [PeerAction] { translate(server.start(at: 0)) }
    mutating func received(_ bytes: [UInt8]) -> [PeerAction] { translate(server.receive(bytes, at: 0)) }
    mutating func tlsUp() { server.tlsEstablished() }

    mutating func translate(_ actions: [ServerSession.Action]) -> [PeerAction] {
        var out: [PeerAction] = []
        for action in actions {
            switch action {
            case .reply(let reply, _): out.append(.send(reply.wireBytes))
            case .heard: break
            case .spool, .discardSpool:
                break
            case .deliver(let message):
                stored.append(message)
                out += translate(server.delivered(.stored, id: message.id, at: 0))
            case .startTLS: out.append(.startTLS)
            case .close: out.append(.close)
            }
        }
        return out
    }
}

/// A peer that answers each line the client writes from a script of its own.
struct ScriptedPeer: Peer {
    var greeting: [PeerAction]
    /// Given a line (without CRLF), what to do.
    var answer: (String) -> [PeerAction]
    var buffer: [UInt8] = []
    var lines: [String] = []

    mutating func connected() -> [PeerAction] { greeting }

    mutating func received(_ bytes: [UInt8]) -> [PeerAction] {
        buffer += bytes
        var out: [PeerAction] = []
        while let lf = buffer.firstIndex(of: 0x0A) {
            var line = Array(buffer[..<lf])
            buffer.removeFirst(lf + 1)
            if line.last == 0x0D { line.removeLast() }
            let text = String(decoding: line, as: UTF8.self)
            lines.append(text)
            out += answer(text)
        }
        return out
    }

    mutating func tlsUp() {}

    static func reply(_ text: String) -> PeerAction { .send(Array((text + "\r\n").utf8)) }
}

/// A conversation wired to a peer. Effects are carried out in order; what the peer does comes
/// back as events through a FIFO, in chunks of `chunk` bytes (0: whole), so a test can vary how
/// reads fall. `holdClose` delivers a peer's close only when `release()` is called, to put it
/// before or after other events.
struct Harness {
    var conversation: Conversation
    var peer: Peer
    var time = 1000.0
    var wire: [UInt8] = []
    var effects: [ConversationEffect] = []
    var chunk = 0
    var secret = "wonderland"
    var tlsFails = false
    var peerClosed = false
    var inbox: [ConnectionEvent] = []

    init(peer: Peer, config: ConversationConfig = ConversationConfig(target: Target(host: "mx.example.test", port: 25)),
         chunk: Int = 0) {
        self.peer = peer
        self.chunk = chunk
        var config = config
        config.hmacMD5 = config.hmacMD5 ?? { _, _ in [] }
        conversation = Conversation(config: config, at: Moment(monotonic: 1000, wall: Date(timeIntervalSince1970: 1_795_000_000)))
        perform(conversation.start(at: moment))
        inbox.append(.connecting(host: "mx.example.test", port: 25))
        inbox.append(.connected(remote: "192.0.2.10:25", local: "192.0.2.99:50000"))
        settle()
        peerDo(self.peer.connected())
        settle()
    }

    var moment: Moment { Moment(monotonic: time, wall: Date(timeIntervalSince1970: 1_795_000_000 + time - 1000)) }

    mutating func advance(_ seconds: Double) { time += seconds }

    mutating func event(_ event: ConnectionEvent) {
        inbox.append(event)
        settle()
    }

    mutating func type(_ line: String) {
        perform(conversation.submit(line, at: moment))
        settle()
    }

    /// Types each line after the replies to the one before have come, as a person would.
    mutating func script(_ lines: [String]) { for line in lines { type(line) } }

    /// Queues every line before any reply is read, as batch mode reads a script.
    mutating func batch(_ lines: [String]) {
        for line in lines { perform(conversation.submit(line, at: moment)) }
        settle()
        perform(conversation.finish(at: moment))
        settle()
    }

    mutating func tick() {
        perform(conversation.tick(at: moment))
        settle()
    }

    /// Hands queued events to the conversation until none is left.
    mutating func settle() {
        while !inbox.isEmpty {
            let next = inbox.removeFirst()
            perform(conversation.handle(next, at: moment))
        }
    }

    mutating func perform(_ new: [ConversationEffect]) {
        for effect in new {
            effects.append(effect)
            switch effect {
            case .send(let bytes):
                wire += bytes
                if !peerClosed { peerDo(peer.received(bytes)) }
            case .startTLS:
                if tlsFails {
                    inbox.append(.tlsFailed(TLSFailure(reasons: [.handshake("alert")])))
                } else {
                    peer.tlsUp()
                    inbox.append(.tlsEstablished(TLSInfo(version: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256",
                                                         chain: [], verified: true)))
                }
            case .close:
                if !peerClosed {
                    peerClosed = true
                    inbox.append(.closed(.byClient))
                }
            case .askSecret:
                perform(conversation.provideSecret(secret, at: moment))
            case .connect, .resolve, .save, .show, .showHelp, .hint, .cleared, .languageChanged, .quit:
                break
            }
        }
    }

    mutating func peerDo(_ actions: [PeerAction]) {
        for action in actions {
            switch action {
            case .send(let bytes):
                if chunk > 0 {
                    for start in stride(from: 0, to: bytes.count, by: chunk) {
                        inbox.append(.received(Array(bytes[start..<min(bytes.count, start + chunk)])))
                    }
                } else {
                    inbox.append(.received(bytes))
                }
            case .close:
                guard !peerClosed else { continue }
                peerClosed = true
                inbox.append(.closed(.byServer))
            case .startTLS, .failTLS:
                break
            }
        }
    }

    /// Everything written to the server.
    var sent: String { String(decoding: wire, as: UTF8.self) }

    /// The log as swaks-style lines (local lines in English), no timings.
    var transcript: [String] {
        conversation.log.indices.compactMap { index in
            conversation.record(index).map { TranscriptFormat.text($0, timings: false) }
        }
    }

    var kinds: [TranscriptEntry.Kind] { conversation.log.indices.compactMap { conversation.log[$0]?.kind } }

    func events() -> [LocalEvent] { conversation.log.indices.compactMap { conversation.log.event($0) } }
}

let ehloReply = "250-mx.example.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN"
