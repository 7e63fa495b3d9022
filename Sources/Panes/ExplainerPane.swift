import Conversation
import SMTPCore
import SMTPKnowledge

/// What the explainer shows, cheap to work out on every frame: the key of the laid-out
/// explanation kept between frames.
enum ExplanationSource: Hashable {
    case info(Int)
    case secret(SecretRequest)
    case slash(String)
    case typing(String, ClientSession.InputMode, SessionSnapshot)
    case mode(ClientSession.InputMode, SessionSnapshot)
    case line(Int, latest: Bool, SessionSnapshot)
    case note(Int)
    case waiting(String, seconds: Int)
    case waitingGreeting, welcome, notConnected
    case connecting(String, Int)
}

/// What the parts of an explanation that depend on the session's state read.
struct SessionSnapshot: Hashable {
    var phase: ClientSession.Phase?
    var awaiting = 0
    var tls = false
    var authenticated = false
    var hello: Verb?
    var capabilities = -1
    var lastCode = 0
    var queued = 0

    var pop3State: POP3ClientSession.State?

    init(_ conversation: Conversation) {
        if let pop3 = conversation.pop3 {
            pop3State = pop3.state
            awaiting = pop3.awaiting.count
            tls = pop3.isTLS
            queued = conversation.queuedLines.count
            return
        }
        guard let session = conversation.session else { return }
        phase = session.phase
        awaiting = session.awaiting.count
        tls = session.isTLS
        authenticated = session.isAuthenticated
        hello = session.hello
        capabilities = session.capabilities?.items.count ?? -1
        lastCode = session.lastReply?.code ?? 0
        queued = conversation.queuedLines.count
    }
}

/// The explainer: an explanation laid out at the pane's width, scrolled. The layout is kept
/// until what it depends on changes, so a frame with nothing new only draws.
struct ExplainerPane: Sendable {
    struct Key: Hashable {
        let source: ExplanationSource
        let width: Int
        let language: Language
        var guide = 0
    }

    struct Laid: Sendable {
        var title: String
        var lines: [StyledLine]
    }

    var scroll = 0
    private var kept: (key: Key, laid: Laid)?

    /// The laid-out explanation for `source`, made with `build` only when the source changed.
    mutating func laid(_ source: ExplanationSource, width: Int, language: Language, guide: Int = 0,
                       build: (ExplanationSource) -> Explanation) -> Laid {
        let key = Key(source: source, width: width, language: language, guide: guide)
        if let kept, kept.key == key { return kept.laid }
        let explanation = build(source)
        let laid = Laid(title: explanation.title, lines: ExplanationLayout.lines(explanation, width: width, language: language))
        kept = (key, laid)
        return laid
    }

    mutating func scroll(up: Bool, rows: Int) {
        scroll = up ? max(0, scroll - max(1, rows / 2)) : scroll + max(1, rows / 2)
    }

    func draw(_ laid: Laid, into canvas: inout Canvas, rect: Rect, titleOnDivider: Bool) {
        guard rect.width > 4, rect.height > 0 else { return }
        var lines = laid.lines
        if titleOnDivider, !lines.isEmpty, lines[0].spans.first?.role == .title { lines.removeFirst() }
        let top = min(scroll, max(0, lines.count - rect.height))
        for (row, line) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            var x = rect.x
            for span in line.spans {
                x += canvas.put(span.text, x: x, y: rect.y + row, role: Self.role(span.role), limit: rect.maxX - x)
            }
        }
        if lines.count - top > rect.height { canvas.put("↓", x: rect.maxX - 1, y: rect.maxY - 1, role: .dim) }
        if top > 0 { canvas.put("↑", x: rect.maxX - 1, y: rect.y, role: .dim) }
    }

    static func role(_ role: StyledLine.Role) -> Role {
        switch role {
        case .title: return .title
        case .heading: return .heading
        case .body: return .normal
        case .term: return .term
        case .reference: return .reference
        case .warning: return .warning
        case .error: return .error
        }
    }
}
