import Foundation
import Testing
@testable import Conversation
import SMTPCore
import SMTPKnowledge

/// The practice server's POP3 session as the peer, with a maildrop in memory.
struct POP3Peer: Peer {
    var server: POP3ServerSession
    var messages: [String: [UInt8]] = ["m1": Array("Return-Path: <you@example.net>\nDelivered-To: alice@example.test\nSubject: hi\n\nHello\n".utf8)]
    var deleted: [String] = []

    init() {
        let accounts = AccountTable(accounts: ["alice": "wonderland"], hmacMD5: { key, message in Array((key + message).prefix(16)) })
        server = POP3ServerSession(config: POP3ServerConfig(tlsAvailable: true), accounts: accounts, md5: { Array($0.prefix(16)) },
                                   timestamp: "<1.1@mx.example.test>")
    }

    mutating func connected() -> [PeerAction] { translate(server.start(at: 0)) }
    mutating func received(_ bytes: [UInt8]) -> [PeerAction] { translate(server.receive(bytes, at: 0)) }
    mutating func tlsUp() { server.tlsEstablished() }

    mutating func translate(_ actions: [POP3ServerSession.Action]) -> [PeerAction] {
        var out: [PeerAction] = []
        for action in actions {
            switch action {
            case .reply(let bytes): out.append(.send(bytes))
            case .openMaildrop:
                let entries = messages.keys.sorted().map { MaildropEntry(uid: $0, size: messages[$0]!.count) }
                out += translate(server.maildropOpened(.success(entries)))
            case .readMessage(let uid): out += translate(server.messageRead(.success(messages[uid] ?? [])))
            case .commit(let uids):
                deleted += uids
                for uid in uids { messages[uid] = nil }
                out += translate(server.committed(.success(())))
            case .startTLS: out.append(.startTLS)
            case .close: out.append(.close)
            case .heard, .releaseMaildrop: break
            }
        }
        return out
    }
}

@Suite("POP3 in the conversation")
struct POP3ConversationTests {
    func harness() -> Harness {
        var config = ConversationConfig(target: Target(host: "mx.example.test", port: 110))
        config.wire = .pop3
        return Harness(peer: POP3Peer(), config: config)
    }

    func lines(_ h: Harness) -> [String] {
        (h.conversation.log.firstIndex..<h.conversation.log.endIndex).map { h.conversation.log.display($0) }
    }

    @Test("a login, a RETR explained with the headers the SMTP server added, DELE, QUIT")
    func session() {
        var h = harness()
        #expect(h.conversation.pop3?.state == .authorization)
        h.script(["USER alice", "PASS wonderland", "RETR 1"])
        #expect(lines(h).contains("PASS ********"))
        #expect(h.conversation.pop3?.state == .transaction)
        let last = h.conversation.lastReplyIndex!
        let explanation = h.conversation.explanation(of: last, explainer: Explainer(language: .en))
        let envelope = explanation.sections.first { $0.role == .envelope }
        #expect(envelope?.items.map(\.term).contains("Return-Path: <you@example.net>") == true)
        #expect(envelope?.items.map(\.term).contains("Delivered-To: alice@example.test") == true)
        h.script(["DELE 1", "QUIT"])
        #expect((h.peer as? POP3Peer)?.deleted == ["m1"])
        #expect(h.conversation.outcome.exitStatus == 0)
    }

    @Test("/auth user: USER, then PASS after its +OK, the secret masked; /auth plain is AUTH PLAIN")
    func auth() {
        var h = harness()
        h.type("/auth --allow-plaintext user alice")
        #expect(h.conversation.authenticatedUser == "alice")
        #expect(!String(decoding: h.wire, as: UTF8.self).isEmpty)
        #expect(lines(h).contains("PASS ********"))
        var plain = harness()
        plain.type("/auth --allow-plaintext plain alice")
        #expect(plain.conversation.pop3?.state == .transaction)
        #expect(lines(plain).contains { $0.hasPrefix("AUTH PLAIN ") && $0.hasSuffix("********") })
    }

    @Test("a command out of its state: the -ERR is explained by the lint's finding")
    func outOfState() {
        var h = harness()
        h.type("STAT")
        let explanation = h.conversation.explanation(of: h.conversation.lastReplyIndex!, explainer: Explainer(language: .zh))
        #expect(explanation.sections.first?.role == .finding)
        #expect(explanation.sections.contains { $0.paragraphs.joined().contains("状态不对") })
    }

    @Test("lines typed at once go one at a time, each after its response")
    func oneAtATime() {
        var h = harness()
        h.batch(["USER alice", "PASS wonderland", "STAT", "LIST"])
        let sent = lines(h).filter { ["USER alice", "PASS ********", "STAT", "LIST", "QUIT"].contains($0) }
        #expect(sent == ["USER alice", "PASS ********", "STAT", "LIST", "QUIT"])
        #expect(h.conversation.outcome.exitStatus == 0)
    }
}
