import Foundation
import SMTPCore
import SMTPKnowledge

extension ExplorerModel {
    /// Starts an offline session for replay: no socket, no "connected" line.
    mutating func replayBegin(label: String, tls: Bool) {
        link = .connected(remote: label)
        session = ClientSession(connectedAt: now, tls: tls)
        waiting = [-1]
    }

    /// Shows one recorded line as if it had just happened.
    mutating func replay(_ entry: TranscriptEntry) {
        // The first line under TLS after a STARTTLS's 220: the handshake happened there.
        if entry.direction != .local, entry.tls, session?.isTLS == false, session?.phase == .startingTLS {
            session?.tlsEstablished()
            waiting = []
        }
        switch entry.direction {
        case .local:
            let text = entry.text()
            let warning = text.contains("failed") || text.contains("失败") || text.contains("thrown away") || text.contains("丢弃")
            _ = local(VisibleText.escape(Array(text.utf8)), kind: warning ? .warning : .local)
        case .sent:
            // The session follows the recorded line; the stream shows its bytes as recorded.
            let display = entry.isSensitive ? entry.text() : VisibleText.escape(entry.bytes)
            _ = transmit { session, time in
                _ = session.submit(entry.text(showSecrets: true), at: time)
                return ClientSession.Outgoing(bytes: entry.bytes, display: display, sensitive: entry.isSensitive, lint: [])
            }
        case .received:
            let first = replyStart == nil
            let start = stream.endIndex
            _ = handle(.received(entry.bytes))
            if first, let latency = entry.latency, stream.line(start)?.kind == .received {
                stream.setLatency(start, milliseconds: latency * 1000)
            }
        }
    }
}

/// `smtpx replay`: a recorded session on the explorer screen, stepped one exchange at a time
/// with the explainer following. Each step rebuilds the screen from the recording, so going
/// back is as exact as going forward.
public struct ReplayModel {
    let entries: [TranscriptEntry]
    /// How many entries each step shows; step 0 shows none.
    let boundaries: [Int]
    public private(set) var step = 0
    var model: ExplorerModel
    let name: String
    let language: Language
    let time = ReplayTime()
    public private(set) var wantsQuit = false

    final class ReplayTime: @unchecked Sendable {
        var seconds = 0.0
    }

    public init(entries: [TranscriptEntry], name: String, language: Language) {
        self.entries = entries
        self.name = name
        self.language = language
        var boundaries = [0]
        for (index, entry) in entries.enumerated() where entry.direction == .received {
            let bytes = entry.bytes
            let continues = bytes.count > 3 && bytes[3] == UInt8(ascii: "-")
            if !continues { boundaries.append(index + 1) }
        }
        if boundaries.last != entries.count { boundaries.append(entries.count) }
        self.boundaries = boundaries
        model = ExplorerModel(config: ExplorerConfig(host: nil, port: 0))
        model = build(step: 0)
    }

    public var stepCount: Int { boundaries.count - 1 }

    func build(step: Int) -> ExplorerModel {
        let time = self.time
        var config = ExplorerConfig(host: nil, port: 0, language: language)
        config.label = Localized("replay {0}", "回放 {0}").format(name)
        config.caption = Localized("step {0} of {1} · → next · ← back · Home first · End last · q quits",
                                   "第 {0}/{1} 步 · → 下一步 · ← 上一步 · Home 开头 · End 结尾 · q 退出")
            .format(step, stepCount)[language]
        let first = entries.first.map { $0.time.timeIntervalSince1970 } ?? 0
        time.seconds = first
        var model = ExplorerModel(config: config, clock: ModelClock(monotonic: { time.seconds },
                                                                    wall: { Date(timeIntervalSince1970: time.seconds) }))
        model.resize(width: self.model.lastSize.width, height: self.model.lastSize.height)
        let firstWire = entries.first { $0.direction != .local }
        model.replayBegin(label: name, tls: firstWire?.tls ?? false)
        for entry in entries.prefix(boundaries[step]) {
            time.seconds = max(time.seconds, entry.time.timeIntervalSince1970)
            model.replay(entry)
        }
        return model
    }

    public mutating func go(to target: Int) {
        step = min(max(0, target), stepCount)
        model = build(step: step)
    }

    public mutating func handle(_ key: Key) {
        switch key {
        case .right, .enter, .character(" "), .character("n"): go(to: step + 1)
        case .left, .backspace, .character("p"): go(to: step - 1)
        case .home: go(to: 0)
        case .end: go(to: stepCount)
        case .character("q"), .control("c"), .function(10): wantsQuit = true
        case .character: break
        default: _ = model.handle(key)
        }
    }

    public mutating func resize(width: Int, height: Int) { model.resize(width: width, height: height) }

    public func render(width: Int, height: Int) -> Canvas { model.render(width: width, height: height) }
}
