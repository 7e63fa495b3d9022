import Foundation
import Testing
@testable import Panes
import SMTPCore

@Suite("Replay steps")
struct ReplayScreenTests {
    /// A recording of `transactions` MAIL/RCPT exchanges after a greeting and EHLO.
    static func recording(transactions: Int) -> [TranscriptEntry] {
        var entries: [TranscriptEntry] = []
        var time = Date(timeIntervalSince1970: 1_795_000_000)
        func add(_ direction: TranscriptEntry.Direction, _ text: String) {
            time += 0.003
            entries.append(TranscriptEntry(direction: direction, bytes: Array((text + "\r\n").utf8), time: time, tls: false))
        }
        add(.received, "220 mx.example.test ESMTP")
        add(.sent, "EHLO lab")
        add(.received, "250-mx.example.test")
        add(.received, "250 PIPELINING")
        for n in 0..<transactions {
            add(.sent, "MAIL FROM:<s\(n)@example.net>")
            add(.received, "250 2.1.0 Ok \(n)")
            add(.sent, "RSET")
            add(.received, "250 2.0.0 Reset \(n)")
        }
        return entries
    }

    static func screen(_ replay: inout ReplayScreen) -> String { replay.render(width: 100, height: 30).text }

    @Test("going back replays from a kept screen, and shows what replaying from the start shows (50 jumps)")
    func backFromCheckpoints() {
        let entries = Self.recording(transactions: 200)
        var replay = ReplayScreen(entries: entries, name: "lab", language: .en)
        let steps = replay.stepCount
        #expect(steps > 8 * 32)
        replay.go(to: steps)
        replay.go(to: steps - 1)
        #expect(replay.lastReplayedSteps < replay.checkpointInterval, "a step back replayed \(replay.lastReplayedSteps) steps")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let target = Int.random(in: 0...steps, using: &generator)
            replay.go(to: target)
            var fresh = ReplayScreen(entries: entries, name: "lab", language: .en)
            fresh.go(to: target)
            #expect(replay.step == target)
            #expect(Self.screen(&replay) == Self.screen(&fresh), "step \(target) differs from a replay from the start")
        }
    }
}
