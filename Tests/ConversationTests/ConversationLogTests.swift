import Foundation
import Testing
@testable import Conversation
import SMTPCore

@Suite("Conversation log")
struct ConversationLogTests {
    let origin = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("the scrollback keeps the newest lines, indexes stay stable")
    func scrollback() {
        var log = ConversationLog(capacity: 100, origin: origin)
        for n in 0..<1000 { log.append(.received, Array("250 line \(n)\r\n".utf8), at: origin, code: 250) }
        #expect(log.count >= 100 && log.count < 200)
        #expect(log.endIndex == 1000)
        #expect(log[999].map { String(decoding: $0.bytes, as: UTF8.self) } == "250 line 999\r\n")
        #expect(log[0] == nil)
        #expect(log[log.firstIndex]?.code == 250)
        log.removeAll()
        #expect(log.count == 0)
        #expect(log.append(.note, Array("x".utf8), at: origin) == 1000)
    }

    @Test("long lines are bounded by bytes too: the store never holds much more than its byte capacity")
    func scrollbackBytes() {
        var store = LineStore(capacity: 50_000, byteCapacity: 1 << 20)
        let line = [UInt8](repeating: 0x41, count: 5000) + [13, 10]
        for n in 0..<5000 {
            let index = store.append(line, LineStore.Line(kind: .received, code: 250))
            #expect(index == n)
            #expect(store.byteCount <= (1 << 20) + store.bytesPerChunk + line.count)
        }
        #expect(store.storageBytes <= 2 * ((1 << 20) + store.bytesPerChunk))
        #expect(store.count < 5000 && store.count > 150)
        // Every line kept is found at its own index, across chunks of different line counts.
        for index in store.firstIndex..<store.endIndex {
            #expect(store.line(index)?.bytes.count == line.count)
        }
        #expect(store.line(store.firstIndex - 1) == nil)
        // Short lines after long ones: chunks close by lines again, lookups stay exact.
        for n in 0..<20_000 { store.append(Array("250 \(n)\r\n".utf8), LineStore.Line(kind: .received)) }
        #expect(store.line(store.endIndex - 1).map { String(decoding: $0.bytes, as: UTF8.self) } == "250 19999\r\n")
        #expect(store.line(store.endIndex - 20_000).map { String(decoding: $0.bytes, as: UTF8.self) } == "250 0\r\n")
    }

    @Test("line records keep their fields, and side tables follow the lines that fall off")
    func fields() {
        var log = ConversationLog(capacity: 16, origin: origin)
        let sent = log.append(.sent, Array("AUTH PLAIN AGFsaWNl\r\n".utf8), at: origin, tls: true, masked: "AUTH PLAIN ********",
                              findings: [LintFinding(.authOverPlaintext, .warning)])
        let reply = log.append(.received, Array("250 ok\r\n".utf8), at: origin.addingTimeInterval(0.042), tls: true, code: 250,
                               latencySeconds: 0.0125, isFinal: true, answers: sent)
        let line = log[reply]
        #expect(line?.answers == sent)
        #expect(abs((line?.latencySeconds ?? 0) - 0.0125) < 1e-6)
        #expect(line?.isFinal == true && line?.tls == true)
        #expect(abs((line?.time.timeIntervalSince(origin) ?? 0) - 0.042) < 0.002)
        #expect(log.display(sent) == "AUTH PLAIN ********")
        #expect(log.findings(sent).count == 1)
        for n in 0..<100 { log.append(.note, Array("\(n)".utf8), at: origin, event: .recorded("\(n)")) }
        #expect(log.maskedText(sent) == nil)
        #expect(log.events.count <= log.count)
    }
}
