import Conversation
import Foundation
import Panes
import SMTPCore
import SMTPKnowledge

/// How long `smtpx replay` takes to open a 100 MB recording and show its first step, and to
/// step, beside the time to read the same file's bytes and find its lines (the anchor).
enum ReplayBenchmark {
    /// A recording of `bytes` or more: transactions of EHLO, MAIL, RCPT, DATA and the message.
    static func recording(bytes: Int) -> String {
        var text = ""
        text.reserveCapacity(bytes + 4096)
        var time = Date(timeIntervalSince1970: 1_795_000_000)
        func add(_ entry: TranscriptEntry) {
            text += TranscriptFormat.jsonLine(entry) + "\n"
            time += 0.001
        }
        add(TranscriptEntry(direction: .received, bytes: Array("220 mx.example.test ESMTP ready\r\n".utf8), time: time, tls: false))
        var n = 0
        while text.utf8.count < bytes {
            n += 1
            for (command, reply) in [("EHLO laptop", "250 mx.example.test"), ("MAIL FROM:<a\(n)@example.net>", "250 2.1.0 Ok"),
                                     ("RCPT TO:<alice@example.test>", "250 2.1.5 Ok"), ("DATA", "354 End data with <CR><LF>.<CR><LF>")] {
                add(TranscriptEntry(direction: .sent, bytes: Array((command + "\r\n").utf8), time: time, tls: false))
                add(TranscriptEntry(direction: .received, bytes: Array((reply + "\r\n").utf8), time: time, tls: false))
            }
            for line in ["Subject: message \(n)", "", "A line of the body of message \(n), long enough to look like mail.", "."] {
                add(TranscriptEntry(direction: .sent, bytes: Array((line + "\r\n").utf8), time: time, tls: false))
            }
            add(TranscriptEntry(direction: .received, bytes: Array("250 2.0.0 Ok: queued as \(n)\r\n".utf8), time: time, tls: false))
        }
        return text
    }

    static func seconds(_ work: () -> Void) -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        work()
        let elapsed = clock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func run() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("smtpx-replay-bench-\(getpid()).jsonl").path
        defer { unlink(path) }
        let made = recording(bytes: 100 * 1024 * 1024)
        guard FileManager.default.createFile(atPath: path, contents: Data(made.utf8)) else {
            print("replay: cannot write \(path)")
            return
        }
        // The anchor: the file's bytes read and its lines counted.
        var lines = 0
        let anchor = seconds {
            let data = FileManager.default.contents(atPath: path) ?? Data()
            data.withUnsafeBytes { buffer in
                var at = buffer.baseAddress!
                var left = buffer.count
                while left > 0, let found = memchr(at, 0x0A, left) {
                    lines += 1
                    let next = UnsafeRawPointer(found) + 1
                    left -= next - at
                    at = next
                }
            }
        }
        var entries: [TranscriptEntry] = []
        let read = seconds {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            entries = TranscriptFormat.read(text)
        }
        var screen: ReplayScreen?
        let open = seconds {
            var replay = ReplayScreen(entries: entries, name: "bench.jsonl", language: .en)
            replay.resize(width: 132, height: 40)
            replay.go(to: 1)
            _ = replay.render(width: 132, height: 40)
            screen = replay
        }
        guard var screen else { return }
        var stepTimes: [Double] = []
        for _ in 0..<50 {
            stepTimes.append(seconds {
                screen.handle(.right)
                _ = screen.render(width: 132, height: 40)
            })
        }
        stepTimes.sort()
        // To the end (which keeps screens on the way), then steps back from there.
        let toEnd = seconds {
            screen.handle(.end)
            _ = screen.render(width: 132, height: 40)
        }
        var backTimes: [Double] = []
        for _ in 0..<5 {
            backTimes.append(seconds {
                screen.handle(.left)
                _ = screen.render(width: 132, height: 40)
            })
        }
        backTimes.sort()
        let size = Double(made.utf8.count) / 1_048_576
        print(String(format: "replay: %.0f MiB recording, %d lines, %d entries, %d steps", size, lines, entries.count, screen.stepCount))
        print(String(format: "  read and split its lines (anchor)      %8.3f s", anchor))
        print(String(format: "  parse the entries                       %8.3f s  (%.0f× the anchor)", read, read / anchor))
        print(String(format: "  steps found, first step shown           %8.3f s", open))
        print(String(format: "  open to first step in all               %8.3f s  (goal < 2 s)", read + open))
        print(String(format: "  one step forward, median / worst        %8.2f / %.2f ms", stepTimes[25] * 1000, stepTimes[49] * 1000))
        print(String(format: "  End, to the last step                   %8.3f s", toEnd))
        print(String(format: "  one step back from the end, median / worst %5.0f / %.0f ms  (from the start: the End figure)",
                     backTimes[2] * 1000, backTimes[4] * 1000))
    }
}
