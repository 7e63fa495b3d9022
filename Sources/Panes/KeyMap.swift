import SMTPKnowledge

/// What a key does.
public enum Action: Sendable, Hashable {
    case send, complete, historyUp, historyDown, left, right, home, end, backspace, deleteForward
    case startOfLine, endOfLine, killToEnd, killToStart, killWord
    case scrollUp, scrollDown, selectPrevious, selectNext, followLatest
    case explainerUp, explainerDown, help, toggleLineEndings, redraw, quit, quitIfEmpty
}

/// One entry of the key table; the help screen is generated from these.
public struct Binding: Sendable {
    public let keys: [Key]
    /// How the keys are written in the help.
    public let names: String
    public let action: Action
    public let help: Localized
}

/// The key table (tig's request table): one place says what each key does and what its
/// help says.
public enum KeyMap {
    public static let bindings: [Binding] = [
        Binding(keys: [.enter], names: "Enter", action: .send,
                help: Localized("send the line (a command, a message line, or a /command)", "发送这一行（命令、邮件内容行或 / 命令）")),
        Binding(keys: [.tab], names: "Tab", action: .complete,
                help: Localized("complete a verb or a /command", "补全命令动词或 / 命令")),
        Binding(keys: [.up], names: "↑", action: .historyUp, help: Localized("previous command from the history", "历史中的上一条命令")),
        Binding(keys: [.down], names: "↓", action: .historyDown, help: Localized("next command from the history", "历史中的下一条命令")),
        Binding(keys: [.left], names: "←", action: .left, help: Localized("move the cursor left", "光标左移")),
        Binding(keys: [.right], names: "→", action: .right, help: Localized("move the cursor right", "光标右移")),
        Binding(keys: [.home], names: "Home", action: .home,
                help: Localized("start of the line; with an empty line, top of the stream", "行首；输入为空时跳到记录顶部")),
        Binding(keys: [.end], names: "End", action: .end,
                help: Localized("end of the line; with an empty line, bottom of the stream", "行尾；输入为空时跳到记录底部")),
        Binding(keys: [.control("a")], names: "Ctrl-A", action: .startOfLine, help: Localized("start of the line", "行首")),
        Binding(keys: [.control("e")], names: "Ctrl-E", action: .endOfLine, help: Localized("end of the line", "行尾")),
        Binding(keys: [.backspace, .control("h")], names: "Backspace", action: .backspace,
                help: Localized("delete the character before the cursor", "删除光标前的字符")),
        Binding(keys: [.delete], names: "Delete", action: .deleteForward, help: Localized("delete the character under the cursor", "删除光标处的字符")),
        Binding(keys: [.control("k")], names: "Ctrl-K", action: .killToEnd, help: Localized("delete to the end of the line", "删除到行尾")),
        Binding(keys: [.control("u")], names: "Ctrl-U", action: .killToStart, help: Localized("delete to the start of the line", "删除到行首")),
        Binding(keys: [.control("w")], names: "Ctrl-W", action: .killWord, help: Localized("delete the word before the cursor", "删除光标前的单词")),
        Binding(keys: [.pageUp], names: "PgUp", action: .scrollUp, help: Localized("scroll the stream up a page", "记录向上滚动一页")),
        Binding(keys: [.pageDown], names: "PgDn", action: .scrollDown, help: Localized("scroll the stream down a page", "记录向下滚动一页")),
        Binding(keys: [.control("p"), .shiftUp], names: "Ctrl-P, Shift-↑", action: .selectPrevious,
                help: Localized("select the previous line and explain it", "选择上一行并解释它")),
        Binding(keys: [.control("n"), .shiftDown], names: "Ctrl-N, Shift-↓", action: .selectNext,
                help: Localized("select the next line and explain it", "选择下一行并解释它")),
        Binding(keys: [.escape], names: "Esc", action: .followLatest,
                help: Localized("back to the latest reply (and close help)", "回到最新的回复（并关闭帮助）")),
        Binding(keys: [.shiftPageUp, .function(7)], names: "Shift-PgUp, F7", action: .explainerUp,
                help: Localized("scroll the explanation up", "解释向上滚动")),
        Binding(keys: [.shiftPageDown, .function(8)], names: "Shift-PgDn, F8", action: .explainerDown,
                help: Localized("scroll the explanation down", "解释向下滚动")),
        Binding(keys: [.function(1)], names: "F1", action: .help, help: Localized("show or hide this help", "显示或隐藏帮助")),
        Binding(keys: [.function(2)], names: "F2", action: .toggleLineEndings,
                help: Localized("show or hide line endings (␍␊)", "显示或隐藏行尾符（␍␊）")),
        Binding(keys: [.control("l")], names: "Ctrl-L", action: .redraw, help: Localized("redraw the screen", "重绘屏幕")),
        Binding(keys: [.control("c"), .function(10)], names: "Ctrl-C, F10", action: .quit, help: Localized("quit", "退出")),
        Binding(keys: [.control("d")], names: "Ctrl-D", action: .quitIfEmpty, help: Localized("quit, when the line is empty", "输入为空时退出")),
    ]

    static let byKey: [Key: Action] = {
        var table: [Key: Action] = [:]
        for binding in bindings { for key in binding.keys { table[key] = binding.action } }
        return table
    }()

    public static func action(for key: Key) -> Action? { byKey[key] }
}

/// The slash commands, with their usage and help; the help screen and Tab use this list.
public struct SlashCommand: Sendable {
    public let name: String
    public let usage: String
    public let help: Localized

    public static let all: [SlashCommand] = [
        SlashCommand(name: "connect", usage: "/connect HOST [PORT]",
                     help: Localized("connect to a server (again); the port defaults to 25", "连接（或重新连接）到服务器；端口默认为 25")),
        SlashCommand(name: "starttls", usage: "/starttls",
                     help: Localized("start TLS (the same as typing STARTTLS)", "启动 TLS（与输入 STARTTLS 相同）")),
        SlashCommand(name: "auth", usage: "/auth plain|login|cram-md5|xoauth2 USER",
                     help: Localized("log in: asks for the password (or token) without echo and builds the exchange", "登录：不回显地询问密码（或令牌），并生成整个交换")),
        SlashCommand(name: "b64", usage: "/b64 TEXT",
                     help: Localized("show TEXT in base64, and decoded when it is base64", "显示 TEXT 的 base64 编码；若它本身是 base64 则同时显示解码结果")),
        SlashCommand(name: "save", usage: "/save FILE",
                     help: Localized("save the conversation: FILE.jsonl as JSON Lines, anything else as text", "保存对话：FILE.jsonl 保存为 JSON Lines，其他扩展名保存为文本")),
        SlashCommand(name: "raw", usage: "/raw TEXT",
                     help: Localized("send TEXT exactly, nothing added; \\r \\n \\t \\xNN are escapes", "原样发送 TEXT，不附加任何内容；\\r \\n \\t \\xNN 为转义")),
        SlashCommand(name: "lang", usage: "/lang en|zh", help: Localized("switch the language", "切换语言")),
        SlashCommand(name: "clear", usage: "/clear", help: Localized("clear the stream", "清空记录")),
        SlashCommand(name: "help", usage: "/help", help: Localized("show the help", "显示帮助")),
        SlashCommand(name: "quit", usage: "/quit", help: Localized("quit smtpx", "退出 smtpx")),
    ]

    public static func find(_ name: String) -> SlashCommand? { all.first { $0.name == name.lowercased() } }
}
