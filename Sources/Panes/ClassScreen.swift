import Foundation
import Conversation
import SMTPCore
import SMTPKnowledge

// Theory of operation
//
// `smtpx serve --class` draws the class from the server's own log lines, as they are written:
// each session's client, EHLO name, AUTH user, state, messages delivered, last command and
// reply. Following a student replays that session's lines into an explorer screen (the same
// engine replay uses), and the lines that come later are fed as they arrive, so the teacher
// reads the conversation live with the explainer beside it.

/// The teacher's screen: every session of the practice server, and one followed live.
public struct ClassScreen: Sendable {
    public struct Student: Sendable {
        public var id: Int
        public var client: String
        public var name = ""
        public var user = ""
        public var state = Localized("connected", "已连接")
        public var delivered = 0
        public var lastCommand = ""
        public var lastReply = ""
        public var lastCode = 0
        public var errors = 0
        /// What went wrong that the teacher should see even after the student moved on.
        public var problem: Localized?
        public var closed = false
        var tls = false
        var lastVerb = ""
        /// The session as a recording, bounded: the oldest lines go first.
        var entries: [TranscriptEntry] = []
        var dropped = 0
    }

    /// Lines of one session kept for following it.
    static let keptLines = 5000

    public private(set) var students: [Int: Student] = [:]
    public private(set) var order: [Int] = []
    var selected = 0
    var following: Int?
    var follow: ExplorerScreen?
    var fed = 0
    var size = (width: 80, height: 24)
    public var language: Language
    let label: Localized
    public private(set) var wantsQuit = false

    public init(label: Localized, language: Language) {
        self.label = label
        self.language = language
    }

    public var followedStudent: Int? { following }

    // MARK: - Log lines

    /// One line of the server's log, as written.
    public mutating func take(_ line: String) {
        guard let parsed = TranscriptFormat.serverLogLine(Substring(line)) else { return }
        if students[parsed.id] == nil {
            students[parsed.id] = Student(id: parsed.id, client: parsed.client)
            order.append(parsed.id)
        }
        guard var student = students[parsed.id] else { return }
        let text = parsed.text
        var tls = student.tls
        student.entries += TranscriptFormat.entries(fromLogText: text, time: parsed.time, tls: &tls)
        student.tls = tls
        if student.entries.count > Self.keptLines {
            let extra = student.entries.count - Self.keptLines
            student.entries.removeFirst(extra)
            student.dropped += extra
        }
        Self.update(&student, text)
        students[parsed.id] = student
        if following == parsed.id { feedFollowed() }
    }

    static func update(_ student: inout Student, _ text: String) {
        if text.hasPrefix("C: ") {
            let said = String(text.dropFirst(3))
            student.lastCommand = said
            student.lastVerb = said.split(separator: " ").first.map { $0.uppercased() } ?? ""
            if ["EHLO", "HELO"].contains(student.lastVerb), let name = said.split(separator: " ").dropFirst().first {
                student.name = String(name)
            }
            if said.hasPrefix("(message text: ") { student.lastVerb = "." }
        } else if text.hasPrefix("S: ") {
            let reply = String(text.dropFirst(3))
            student.lastReply = reply
            let code = Int(reply.prefix(3)) ?? 0
            let final = reply.count < 4 || reply[reply.index(reply.startIndex, offsetBy: 3)] != "-"
            guard final else { return }
            student.lastCode = code
            if code >= 400 { student.errors += 1 }
            switch (student.lastVerb, code) {
            case ("EHLO", 250), ("HELO", 250), (".", 250), ("RSET", 250):
                student.state = Localized("greeted", "已问候")
            case ("MAIL", 250):
                student.state = Localized("in a transaction", "事务中")
            case ("DATA", 354):
                student.state = Localized("in DATA", "正在 DATA")
            case ("AUTH", 535), ("AUTH", 538):
                student.problem = Localized("AUTH failed", "AUTH 失败")
            default: break
            }
        } else if text.hasPrefix("authenticated as ") {
            student.user = String(text.dropFirst("authenticated as ".count))
        } else if text.hasPrefix("stored ") {
            student.delivered += 1
        } else if text == "disconnected" || text == "POP3 disconnected" {
            student.closed = true
            student.state = Localized("left", "已离开")
        }
    }

    // MARK: - Following one student

    mutating func startFollowing(_ id: Int) {
        guard let student = students[id] else { return }
        let first = student.entries.first?.time ?? Date()
        let colon = student.client.lastIndex(of: ":")
        let host = colon.map { String(student.client[..<$0]) } ?? student.client
        let port = colon.flatMap { Int(student.client[student.client.index(after: $0)...]) } ?? 0
        var config = ConversationConfig(target: Target(host: host, port: port), language: language, scrollback: Self.keptLines + 100)
        config.showSecrets = false
        let title = Localized("#{0} {1} {2}", "#{0} {1} {2}").format(id, student.client, student.name)
        var screen = ExplorerScreen(conversation: Conversation(config: config, at: Moment(monotonic: 0, wall: first)),
                                    settings: ScreenSettings(label: title,
                                                             caption: Localized("following #{0} live · Esc back to the class · q quits",
                                                                                "正在实时跟随 #{0} · Esc 回到全班 · q 退出").format(id)))
        screen.resize(width: size.width, height: size.height)
        following = id
        follow = screen
        fed = 0
        feedFollowed()
    }

    mutating func feedFollowed() {
        guard let id = following, let student = students[id], var screen = follow else { return }
        let start = max(0, fed - student.dropped)
        let first = student.entries.first?.time ?? Date()
        for entry in student.entries.dropFirst(start) { screen.conversation.replay(entry, since: first) }
        fed = student.dropped + student.entries.count
        follow = screen
    }

    // MARK: - Keys and drawing

    public mutating func resize(width: Int, height: Int) {
        size = (width, height)
        follow?.resize(width: width, height: height)
    }

    public mutating func handle(_ key: Key) {
        if follow != nil {
            switch key {
            case .escape, .left:
                follow = nil
                following = nil
            case .character("q"), .control("c"): wantsQuit = true
            default:
                guard let action = KeyMap.replay.action(for: key) else { return }
                guard var screen = follow else { return }
                let log = screen.conversation.log
                switch action {
                case .selectPrevious, .selectNext:
                    screen.stream.select(previous: action == .selectPrevious, log: log, rows: screen.streamRows)
                case .scrollUp, .scrollDown: screen.stream.scroll(up: action == .scrollUp, rows: screen.streamRows, log: log)
                case .explainerUp, .explainerDown: screen.explainer.scroll(up: action == .explainerUp, rows: screen.explainerRows)
                case .followLatest: screen.stream.reset()
                default: break
                }
                follow = screen
            }
            return
        }
        switch key {
        case .up, .character("k"): selected = max(0, selected - 1)
        case .down, .character("j"): selected = min(max(0, order.count - 1), selected + 1)
        case .enter, .right: if selected < order.count { startFollowing(order[selected]) }
        case .character("q"), .control("c"), .function(10): wantsQuit = true
        default: break
        }
    }

    public mutating func render(width: Int, height: Int) -> Canvas {
        if var screen = follow {
            let canvas = screen.render(width: width, height: height, at: Moment(monotonic: 0, wall: Date()))
            follow = screen
            return canvas
        }
        var canvas = Canvas(width: width, height: height)
        let layout = Layout(width: width, height: height)
        guard layout.fits else {
            canvas.put(TextWidth.truncate(UIText.tooSmall.format(Layout.minimumWidth, Layout.minimumHeight)[language], to: width),
                       x: 0, y: height / 2, role: .warning)
            return canvas
        }
        ExplorerScreen.drawBorders(&canvas, Layout(width: width, height: height, present: .stream))
        let live = order.filter { students[$0]?.closed == false }.count
        let title = " " + label[language] + " · " + Localized("{0} connected, {1} sessions", "{0} 个在线，共 {1} 个会话")
            .format(live, order.count)[language] + " "
        canvas.put(TextWidth.truncate(title, to: width - 4), x: 2, y: 0, role: .status)
        let columns = [4, 22, 20, 10, 22, 5]
        let headers = [Localized("#", "#"), Localized("client", "客户端"), Localized("EHLO name", "EHLO 名称"),
                       Localized("user", "用户"), Localized("state", "状态"), Localized("mail", "邮件"),
                       Localized("last command → reply", "最后的命令 → 回复")]
        var x = 2
        for (index, header) in headers.enumerated() {
            canvas.put(header[language], x: x, y: 1, role: .heading)
            if index < columns.count { x += columns[index] + 1 }
        }
        let rows = height - 5
        let top = max(0, min(selected - rows + 1, order.count - rows))
        for (row, id) in order.dropFirst(max(0, top)).prefix(rows).enumerated() {
            guard let student = students[id] else { continue }
            let role: Role = student.lastCode >= 500 ? .error : student.lastCode >= 400 || student.problem != nil ? .warning
                : student.closed ? .dim : .normal
            let state = student.state[language] + (student.problem.map { " · " + $0[language] } ?? "")
            let cells = ["#\(id)", student.client, student.name, student.user, state, String(student.delivered),
                         student.lastCommand + (student.lastReply.isEmpty ? "" : " → " + student.lastReply)]
            var x = 2
            let y = 2 + row
            let chosen = top + row == selected
            for (index, cell) in cells.enumerated() {
                let room = index < columns.count ? columns[index] : width - 2 - x
                guard room > 0 else { break }
                canvas.put(TextWidth.truncate(VisibleText.sanitize(cell), to: room), x: x, y: y, role: role, inverse: chosen)
                x += room + 1
            }
        }
        if order.isEmpty {
            canvas.put(Localized("No student has connected yet.", "还没有学生连接。")[language], x: 2, y: 3, role: .dim)
        }
        let help = Localized("↑↓ choose · Enter follow live · q stops the server", "↑↓ 选择 · 回车实时跟随 · q 停止服务器")[language]
        canvas.put(" " + TextWidth.truncate(help, to: width - 6) + " ", x: 2, y: height - 1, role: .dim)
        canvas.put(TextWidth.truncate(Localized("The log goes on in the log file.", "日志继续写入日志文件。")[language], to: width - 4),
                   x: 2, y: height - 2, role: .hint)
        return canvas
    }
}
