import Foundation
import Conversation
import SMTPCore
import SMTPKnowledge

// Theory of operation
//
// `ExplorerScreen` is the explorer's view state around one `Conversation`: the stream pane,
// the explainer pane, the input line, the help overlay and the secret prompt. Keys and
// connection events come in with the moment they happened; the screen hands lines and events
// to the conversation, keeps for itself the effects that are about the screen (ask for a
// secret, show a page, the help, a language), and returns the rest for its controller (connect,
// send, start TLS, close, save, quit). It never does I/O and owns no protocol state: the
// conversation decides what is sent and when.

/// How the explorer screen presents its conversation.
public struct ScreenSettings: Sendable {
    /// Shown in the explainer before anything is sent (the practice server's welcome), in the
    /// language of the moment.
    public var welcome: (@Sendable (Language) -> Explanation)?
    /// Shown in the status bar instead of the host name (e.g. "practice server").
    public var label: Localized?
    /// Replay: the input row shows this instead of a prompt, and nothing can be typed.
    public var caption: Localized?

    /// `--present`: the projector layout, F3 switching between both panes and one.
    public var present = false

    public init(welcome: (@Sendable (Language) -> Explanation)? = nil, label: Localized? = nil, caption: Localized? = nil) {
        self.welcome = welcome
        self.label = label
        self.caption = caption
    }

    var interactive: Bool { caption == nil }
}

/// The explorer screen: panes composed around a conversation.
public struct ExplorerScreen: Sendable {
    public internal(set) var conversation: Conversation
    public var settings: ScreenSettings
    var stream = StreamPane()
    var explainer = ExplainerPane()
    var input = InputLine()
    var help = HelpOverlay()
    var secret: SecretPrompt?
    /// A one-off page (/b64, completions) until the next key.
    var info: Explanation? {
        didSet { infoGeneration += 1 }
    }
    var infoGeneration = 0
    /// A lesson's step, shown first in the explainer whatever else it explains.
    public var guide: Explanation.Section? {
        didSet { if guide != oldValue { guideGeneration += 1 } }
    }
    var guideGeneration = 0
    /// What `--present` shows now (F3 moves on).
    var presentation = Layout.Presentation.both
    var size = (width: 80, height: 24)
    /// `--record` stopped: the status bar says so from then on.
    var recordingStopped = false
    public internal(set) var wantsQuit = false

    public init(conversation: Conversation, settings: ScreenSettings = ScreenSettings()) {
        self.conversation = conversation
        self.settings = settings
    }

    public var language: Language { conversation.language }

    // MARK: - Inputs

    /// The effects to start with: connect when there is a target.
    public mutating func start(at moment: Moment) -> [ConversationEffect] {
        route(conversation.start(at: moment))
    }

    public mutating func handle(_ event: ConnectionEvent, at moment: Moment) -> [ConversationEffect] {
        let effects = route(conversation.handle(event, at: moment))
        if stream.selected == nil { explainer.scroll = 0 }
        return effects
    }

    /// The reply timeout, and the waiting indicator's clock.
    public mutating func tick(at moment: Moment) -> [ConversationEffect] {
        route(conversation.tick(at: moment))
    }

    /// Tells the screen the terminal's size (before rendering, and on every resize).
    public mutating func resize(width: Int, height: Int) {
        size = (width, height)
    }

    /// A message from the controller about a file it wrote.
    public mutating func noteSaved(_ what: SavedThing, path: String, failure: String?, at moment: Moment) {
        conversation.noteSaved(what, path: path, failure: failure, at: moment)
    }

    /// Shows a one-off page in the explainer until the next key.
    public mutating func showPage(_ page: Explanation) { info = page }

    public mutating func noteRecordFailed(path: String, reason: String, at moment: Moment) {
        recordingStopped = true
        conversation.noteRecordFailed(path: path, reason: reason, at: moment)
    }

    /// Keeps the effects that concern the screen; returns the rest.
    mutating func route(_ effects: [ConversationEffect]) -> [ConversationEffect] {
        var rest: [ConversationEffect] = []
        for effect in effects {
            switch effect {
            case .askSecret(let request): secret = SecretPrompt(request: request)
            case .show(let page): info = page
            case .showHelp: help.visible = true; help.scroll = 0
            case .cleared: stream.reset()
            case .languageChanged: info = nil
            case .quit:
                wantsQuit = true
                rest.append(effect)
            case .connect, .resolve, .send, .startTLS, .close, .save, .hint:
                rest.append(effect)
            }
        }
        return rest
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key, at moment: Moment) -> [ConversationEffect] {
        if var prompt = secret, key != .control("c") {
            switch prompt.handle(key) {
            case .typing:
                secret = prompt
                return []
            case .done(let text):
                secret = nil
                return route(conversation.provideSecret(text, at: moment))
            case .cancelled:
                secret = nil
                return route(conversation.cancelSecret(at: moment))
            }
        }
        guard settings.interactive else { return [] }
        if help.visible, help.handle(key, rows: size.height) { return [] }
        if case .character(let character) = key {
            info = nil
            explainer.scroll = 0
            input.insert(character)
            return []
        }
        if key == .tab, conversation.inputMode != .command {
            input.insert("\t")
            return []
        }
        guard let action = KeyMap.explorer.action(for: key) else { return [] }
        return perform(action, at: moment)
    }

    /// Text pasted or typed in one go; each line ending sends a line.
    public mutating func type(_ text: String, at moment: Moment) -> [ConversationEffect] {
        var effects: [ConversationEffect] = []
        for character in text {
            effects += character == "\n" || character == "\r" ? handle(.enter, at: moment) : handle(.character(character), at: moment)
        }
        return effects
    }

    mutating func perform(_ action: ExplorerKey, at moment: Moment) -> [ConversationEffect] {
        let log = conversation.log
        switch action {
        case .send: return submit(at: moment)
        case .complete: complete()
        case .historyUp: input.historyUp()
        case .historyDown: input.historyDown()
        case .left: input.left()
        case .right: input.right()
        case .home: if input.isEmpty { stream.top(log) } else { input.home() }
        case .end: if input.isEmpty { stream.bottom() } else { input.end() }
        case .startOfLine: input.home()
        case .endOfLine: input.end()
        case .backspace: input.backspace(); info = nil
        case .deleteForward: input.deleteForward()
        case .killToEnd: input.killToEnd()
        case .killToStart: input.killToStart()
        case .killWord: input.killWord()
        case .scrollUp: stream.scroll(up: true, rows: streamRows, log: log)
        case .scrollDown: stream.scroll(up: false, rows: streamRows, log: log)
        case .selectPrevious, .selectNext:
            stream.select(previous: action == .selectPrevious, log: log, rows: streamRows)
            info = nil
            explainer.scroll = 0
        case .followLatest:
            stream.reset()
            info = nil
            explainer.scroll = 0
        case .explainerUp: explainer.scroll(up: true, rows: explainerRows)
        case .explainerDown: explainer.scroll(up: false, rows: explainerRows)
        case .help: help.toggle()
        case .toggleLineEndings: stream.toggleLineEndings()
        case .present: if settings.present { nextPresentation() }
        case .redraw: break
        case .quit:
            wantsQuit = true
            return [.quit]
        case .quitIfEmpty:
            if input.isEmpty {
                wantsQuit = true
                return [.quit]
            }
            input.deleteForward()
        }
        return []
    }

    mutating func submit(at moment: Moment) -> [ConversationEffect] {
        let mode = conversation.inputMode
        let line = input.take(remember: mode == .command)
        info = nil
        stream.reset()
        explainer.scroll = 0
        return route(conversation.submit(line, at: moment))
    }

    var layout: Layout { Layout(width: size.width, height: size.height, present: settings.present ? presentation : nil) }
    var streamRows: Int { layout.stream.height }
    var explainerRows: Int { layout.explainer.height }

    /// F3 in `--present`: both panes, the stream alone, the explanation alone.
    mutating func nextPresentation() {
        let all = Layout.Presentation.allCases
        presentation = all[(all.firstIndex(of: presentation)! + 1) % all.count]
    }

    // MARK: - State for tests and the controller

    public var inputText: String { input.text }
    public var streamLineCount: Int { conversation.log.count }
}
