import Foundation
import Conversation
import SMTPCore
import SMTPKnowledge

// Theory of operation
//
// Replay steps through a recording one exchange at a time: each step ends at a complete reply.
// The screen is the explorer's, around a conversation fed the recorded lines as the events
// that made them (`Conversation.replay`), with the recorded times. Going forward feeds the
// next lines; going back feeds the recording again from the nearest screen kept on the way
// forward (at most eight, evenly spaced; the start when there is none), so every step is exact
// and a step back at the end of a long recording does not replay all of it.

/// `smtpx replay`: a recording on the explorer screen, stepped by the keys.
public struct ReplayScreen: Sendable {
    let entries: [TranscriptEntry]
    let name: String
    /// Where each step ends, as an index into `entries`.
    let boundaries: [Int]
    var language: Language
    public private(set) var step = 0
    var screen: ExplorerScreen
    public private(set) var wantsQuit = false
    /// A teacher's notes, by step; shown above the step's explanation.
    public private(set) var notes: [Int: String]
    /// The note being written, while `n` is open.
    var draft: InputLine?
    /// Set when a note was kept or removed; the face saves the notes and clears it.
    public var notesChanged = false
    /// Screens as they were at every `checkpointInterval`-th step passed going forward.
    private var checkpoints: [(step: Int, screen: ExplorerScreen)] = []
    /// Eight checkpoints across the recording, none closer than 32 steps.
    var checkpointInterval: Int { max(32, (stepCount + 7) / 8) }
    /// How many steps' lines the last move fed the conversation (for tests).
    private(set) var lastReplayedSteps = 0

    /// `--present`: the projector layout.
    public var present: Bool {
        get { screen.settings.present }
        set { screen.settings.present = newValue }
    }

    public init(entries: [TranscriptEntry], name: String, language: Language, notes: [Int: String] = [:]) {
        self.notes = notes
        self.entries = entries
        self.name = name
        self.language = language
        self.boundaries = Self.steps(entries)
        screen = Self.fresh(entries: entries, name: name, language: language, step: 0, steps: boundaries.count - 1)
    }

    public var stepCount: Int { boundaries.count - 1 }

    /// Where each step ends: after a complete reply and the local lines right after it (the
    /// TLS line after a 220, the close after a 221), so a step shows what its reply led to.
    public static func steps(_ entries: [TranscriptEntry]) -> [Int] {
        var boundaries = [0]
        var index = 0
        // POP3: a multi-line response ends at its lone ".", after a +OK to a command that opens one.
        var multiline = false
        var opensMultiline = false
        while index < entries.count {
            let entry = entries[index]
            index += 1
            if entry.wire == .pop3 {
                if entry.direction == .sent {
                    let command = POP3Command(parsing: entry.text())
                    opensMultiline = command.verb?.isMultiline(argument: command.argument) ?? false
                    continue
                }
                guard entry.direction == .received else { continue }
                let text = entry.text()
                if multiline {
                    guard text == "." else { continue }
                    multiline = false
                } else if text.hasPrefix("+OK"), opensMultiline {
                    multiline = true
                    opensMultiline = false
                    continue
                } else {
                    opensMultiline = false
                }
                while index < entries.count, entries[index].direction == .local { index += 1 }
                boundaries.append(index)
                continue
            }
            guard entry.direction == .received, !(entry.bytes.count > 3 && entry.bytes[3] == UInt8(ascii: "-")) else { continue }
            while index < entries.count, entries[index].direction == .local { index += 1 }
            boundaries.append(index)
        }
        if boundaries.last != entries.count { boundaries.append(entries.count) }
        return boundaries
    }

    static func fresh(entries: [TranscriptEntry], name: String, language: Language, step: Int, steps: Int) -> ExplorerScreen {
        let first = entries.first?.time ?? Date(timeIntervalSince1970: 0)
        let firstWire = entries.first { $0.direction != .local }
        var config = ConversationConfig(target: Target(host: name, port: 0, implicitTLS: firstWire?.tls ?? false),
                                        language: language, scrollback: max(1000, entries.count + 10))
        config.showSecrets = false
        let conversation = Conversation(config: config, at: Moment(monotonic: 0, wall: first))
        return ExplorerScreen(conversation: conversation,
                              settings: ScreenSettings(label: Localized("replay {0}", "回放 {0}").format(name),
                                                       caption: caption(step: step, of: steps)))
    }

    static func caption(step: Int, of steps: Int) -> Localized {
        Localized("step {0} of {1} · → next · ← back · F1 keys · q quits", "第 {0}/{1} 步 · → 下一步 · ← 上一步 · F1 按键 · q 退出")
            .format(step, steps)
    }

    public mutating func go(to target: Int) {
        let target = min(max(0, target), stepCount)
        if target < step {
            let size = screen.size, present = screen.settings.present, presentation = screen.presentation
            if let kept = checkpoints.last(where: { $0.step <= target }) {
                screen = kept.screen
                step = kept.step
            } else {
                screen = Self.fresh(entries: entries, name: name, language: language, step: target, steps: stepCount)
                step = 0
            }
            screen.size = size
            screen.settings.present = present
            screen.presentation = presentation
        }
        let first = entries.first?.time ?? Date(timeIntervalSince1970: 0)
        let interval = checkpointInterval
        lastReplayedSteps = target - step
        while step < target {
            let stop = min(target, (step / interval + 1) * interval)
            for entry in entries[boundaries[step]..<boundaries[stop]] { screen.conversation.replay(entry, since: first) }
            step = stop
            if step % interval == 0, step > (checkpoints.last?.step ?? 0) { checkpoints.append((step, screen)) }
        }
        screen.settings.caption = Self.caption(step: step, of: stepCount)
        screen.stream.reset()
        showNote()
    }

    /// The step's note (or the one being written) as the first section of the explanation.
    mutating func showNote() {
        let heading = Localized("Note on step {0}", "第 {0} 步的备注").format(step)[language]
        if let draft {
            let help = Localized("Type the note; Enter keeps it (empty removes it), Esc cancels.",
                                 "输入备注；回车保存（为空则删除），Esc 取消。")[language]
            screen.guide = Explanation.Section(.lesson, heading: heading, paragraphs: [draft.text + "▏", help])
        } else if let note = notes[step] {
            screen.guide = Explanation.Section(.lesson, heading: heading, paragraphs: [note])
        } else {
            screen.guide = nil
        }
    }

    /// Keys while a note is written.
    mutating func edit(_ key: Key) {
        guard var line = draft else { return }
        switch key {
        case .enter:
            let text = line.text.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { notes[step] = nil } else { notes[step] = text }
            notesChanged = true
            draft = nil
        case .escape, .control("c"):
            draft = nil
        case .backspace: line.backspace(); draft = line
        case .left: line.left(); draft = line
        case .right: line.right(); draft = line
        case .character(let character): line.insert(character); draft = line
        default: break
        }
        showNote()
    }

    public mutating func handle(_ key: Key) {
        if draft != nil { return edit(key) }
        if screen.help.visible, screen.help.handle(key, rows: screen.size.height) { return }
        guard let action = KeyMap.replay.action(for: key) else { return }
        let log = screen.conversation.log
        switch action {
        case .next: go(to: step + 1)
        case .back: go(to: step - 1)
        case .first: go(to: 0)
        case .last: go(to: stepCount)
        case .selectPrevious, .selectNext:
            screen.stream.select(previous: action == .selectPrevious, log: log, rows: screen.streamRows)
            screen.explainer.scroll = 0
        case .followLatest: screen.stream.reset()
        case .scrollUp: screen.stream.scroll(up: true, rows: screen.streamRows, log: log)
        case .scrollDown: screen.stream.scroll(up: false, rows: screen.streamRows, log: log)
        case .explainerUp: screen.explainer.scroll(up: true, rows: screen.explainerRows)
        case .explainerDown: screen.explainer.scroll(up: false, rows: screen.explainerRows)
        case .help: screen.help.toggle()
        case .toggleLineEndings: screen.stream.toggleLineEndings()
        case .present: if screen.settings.present { screen.nextPresentation() }
        case .redraw: break
        case .note:
            var line = InputLine()
            line.set(notes[step] ?? "")
            draft = line
            showNote()
        case .quit: wantsQuit = true
        }
    }

    public mutating func resize(width: Int, height: Int) { screen.resize(width: width, height: height) }

    public mutating func render(width: Int, height: Int) -> Canvas {
        let moment = Moment(monotonic: 0, wall: Date(timeIntervalSince1970: 0))
        var canvas = screen.render(width: width, height: height, at: moment)
        if screen.help.visible {
            let layout = screen.layout
            guard layout.fits else { return canvas }
            let lines = HelpOverlay.lines(keys: KeyMap.replay.entries, commands: [], footer: [UIText.helpClose],
                                          language: language, width: layout.width - 4)
            screen.help.draw(lines, into: &canvas, layout: layout)
        }
        return canvas
    }

    /// The screen of the current step, for tests.
    public var current: ExplorerScreen { screen }
}
