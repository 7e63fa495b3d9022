import Foundation
import Synchronization
import Testing
@testable import Conversation
@testable import Panes
import SMTPCore
import SMTPKnowledge

/// A clock the test moves by hand.
final class TestClock: Sendable {
    let seconds = Mutex(1000.0)
    func advance(_ delta: Double) { seconds.withLock { $0 += delta } }
    var moment: Moment {
        let now = seconds.withLock { $0 }
        return Moment(monotonic: now, wall: Date(timeIntervalSince1970: 1_795_000_000 + now))
    }
}

/// A screen connected to a pretend server, driven by keys and bytes.
struct Harness {
    var model: ExplorerScreen
    let clock = TestClock()
    var effects: [ConversationEffect] = []

    init(language: Language = .en, host: String? = "mx.example.test", scrollback: Int = 50_000, connect: Bool = true,
         settings: ScreenSettings = ScreenSettings(), hmacMD5: (@Sendable ([UInt8], [UInt8]) -> [UInt8])? = nil) {
        let config = ConversationConfig(target: host.map { Target(host: $0, port: 25) }, language: language,
                                        scrollback: scrollback, hmacMD5: hmacMD5)
        model = ExplorerScreen(conversation: Conversation(config: config, at: clock.moment), settings: settings)
        effects += model.start(at: clock.moment)
        if connect {
            event(.connecting(host: host ?? "", port: 25))
            event(.connected(remote: "192.0.2.10:25", local: "192.0.2.99:50000"))
        }
    }

    mutating func event(_ event: ConnectionEvent) { effects += model.handle(event, at: clock.moment) }

    mutating func server(_ text: String, after delay: Double = 0.004) {
        clock.advance(delay)
        event(.received(Array(text.utf8)))
    }

    mutating func type(_ text: String) { effects += model.type(text, at: clock.moment) }
    mutating func key(_ key: Key) { effects += model.handle(key, at: clock.moment) }

    /// Everything sent to the server so far.
    var sent: String {
        String(decoding: effects.flatMap { if case .send(let bytes) = $0 { return bytes } else { return [] } }, as: UTF8.self)
    }

    /// Every line of the log, as `--record` writes it.
    var records: [TranscriptEntry] { model.conversation.log.indices.compactMap { model.conversation.record($0) } }

    mutating func screen(_ width: Int, _ height: Int) -> Canvas {
        model.resize(width: width, height: height)
        return model.render(width: width, height: height, at: clock.moment)
    }

    /// A short, ordinary session: greeting, EHLO, MAIL, RCPT.
    mutating func ordinarySession() {
        server("220 mx.example.test ESMTP ready\r\n", after: 0.003)
        type("EHLO laptop\n")
        server("250-mx.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 ENHANCEDSTATUSCODES\r\n")
        type("MAIL FROM:<me@laptop.example>\n")
        server("250 2.1.0 Ok\r\n", after: 0.001)
        type("RCPT TO:<bob@mx.example.test>\n")
        server("250 2.1.5 Ok\r\n", after: 0.002)
    }
}

/// Compares a screen with its golden file; SMTPX_UPDATE_GOLDEN=1 rewrites the file.
func expectGolden(_ canvas: Canvas, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let text = canvas.text + "\n"
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let file = folder.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["SMTPX_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    if expected != text {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record("""
            screen \(name) differs from its golden file at row \(first):
            expected: \(first < a.count ? String(a[first]) : "<none>")
            actual:   \(first < b.count ? String(b[first]) : "<none>")
            (SMTPX_UPDATE_GOLDEN=1 swift test rewrites the golden files)
            """, sourceLocation: sourceLocation)
    }
}
