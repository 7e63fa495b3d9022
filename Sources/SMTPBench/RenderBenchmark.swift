import Conversation
import Foundation
import Panes
import SMTPCore

/// The time to render one frame of the explorer, with a short and a very long scrollback, and
/// the memory a million lines of scrollback take.
enum RenderBenchmark {
    static let moment = Moment(monotonic: 1000, wall: Date(timeIntervalSince1970: 1_795_000_000))

    static func model(lines: Int) -> ExplorerScreen {
        let config = ConversationConfig(target: Target(host: "mx.example.test", port: 25), scrollback: lines + 10)
        var screen = ExplorerScreen(conversation: Conversation(config: config, at: moment))
        _ = screen.start(at: moment)
        _ = screen.handle(.connected(remote: "192.0.2.10:25", local: "192.0.2.99:50000"), at: moment)
        _ = screen.handle(.received(Array("220 mx.example.test ESMTP ready\r\n".utf8)), at: moment)
        var remaining = lines
        var n = 0
        while remaining > 0 {
            let count = min(remaining, 5000)
            var chunk = ""
            chunk.reserveCapacity(count * 48)
            for _ in 0..<count {
                chunk += "250-line \(n) of a long multi-line reply\r\n"
                n += 1
            }
            _ = screen.handle(.received(Array(chunk.utf8)), at: moment)
            remaining -= count
        }
        _ = screen.handle(.received(Array("250 end\r\n".utf8)), at: moment)
        screen.resize(width: 132, height: 40)
        return screen
    }

    /// The time to draw a frame, the explanation already laid out (as between two frames
    /// where nothing changed but the stream).
    static func frameTime(_ screen: ExplorerScreen, width: Int, height: Int) -> Double {
        var screen = screen
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<7 {
            let rounds = 200
            let elapsed = clock.measure {
                for _ in 0..<rounds { _ = screen.render(width: width, height: height, at: moment) }
            }
            samples.append(seconds(elapsed) / Double(rounds))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = Int(text.split(separator: " ")[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func run() {
        let small = model(lines: 10)
        let before = residentBytes()
        let large = model(lines: 1_000_000)
        let after = residentBytes()
        for (width, height) in [(132, 40), (80, 24)] {
            let t10 = frameTime(small, width: width, height: height)
            let tMillion = frameTime(large, width: width, height: height)
            print(String(format: "render %dx%d: %.3f ms a frame with 10 lines, %.3f ms with 1,000,000 lines (ratio %.2f)",
                         width, height, t10 * 1000, tMillion * 1000, tMillion / t10))
        }
        print(String(format: "memory of 1,000,000 lines of scrollback: %.1f MiB resident (explorer model grown by that), %d lines kept",
                     Double(after - before) / 1_048_576, large.streamLineCount))
        var conversation = Conversation(config: ConversationConfig(target: Target(host: "x", port: 25), scrollback: 1_000_000),
                                        at: moment)
        _ = conversation.handle(.connected(remote: "192.0.2.10:25", local: ""), at: moment)
        let line = Array("250-line 123456 of a long multi-line reply\r\n".utf8)
        let chunk = Array([[UInt8]](repeating: line, count: 1000).joined())
        for _ in 0..<1000 { _ = conversation.handle(.received(chunk), at: moment) }
        print("log line record: \(ConversationLog.recordSize) bytes")
        print(String(format: "log alone: %.1f MiB for %d lines of %d bytes (%.1f bytes a line)",
                     Double(conversation.log.storageBytes) / 1_048_576, conversation.log.count, line.count,
                     Double(conversation.log.storageBytes) / Double(max(1, conversation.log.count))))
    }
}
