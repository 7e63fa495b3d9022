import SMTPKnowledge

/// One slash command: its name, usage and help in both languages, what it does, and where it
/// can be used. The help screen, Tab completion and batch mode all read this one table.
public struct SlashCommand: Sendable, Hashable {
    /// What the command does; the conversation carries it out.
    public enum Action: Sendable, Hashable {
        case connect, route, mx, pop3, smtp, starttls, auth, cert, b64, save, raw, lang, clear, help, hint, quit
    }

    /// When the command runs: at once, or in order with the lines typed before it (it talks to
    /// the server, so it waits for the replies before it, as a command would).
    public enum Timing: Sendable, Hashable {
        case immediate, inOrder
    }

    public let name: String
    public let usage: String
    public let help: Localized
    public let action: Action
    public let timing: Timing
    /// Batch mode has it (a script can say it).
    public let inBatch: Bool

    public static let all: [SlashCommand] = [
        SlashCommand(name: "connect", usage: "/connect [--tls] HOST [PORT]",
                     help: Localized("connect to a server (again): port 25, or 465 with --tls (TLS from the first byte)",
                                     "连接（或重新连接）到服务器：端口 25；加 --tls 时为 465（从第一个字节起使用 TLS）"),
                     action: .connect, timing: .immediate, inBatch: false),
        SlashCommand(name: "route", usage: "/route ADDRESS|DOMAIN",
                     help: Localized("show how mail for ADDRESS is routed through DNS: CNAME, MX by preference, addresses",
                                     "显示发往 ADDRESS 的邮件如何经由 DNS 路由：CNAME、按优先级排列的 MX、地址"),
                     action: .route, timing: .immediate, inBatch: false),
        SlashCommand(name: "mx", usage: "/mx DOMAIN [PORT]",
                     help: Localized("look up DOMAIN's route, then connect to its best MX, trying the next when one fails",
                                     "查找 DOMAIN 的路由，然后连接它最好的 MX；连接失败时尝试下一个"),
                     action: .mx, timing: .immediate, inBatch: false),
        SlashCommand(name: "pop3", usage: "/pop3 [HOST [PORT]]",
                     help: Localized("switch to POP3 (the practice server's POP3 port, or HOST:110) to fetch the mail",
                                     "切换到 POP3（练习服务器的 POP3 端口，或 HOST:110）取回邮件"),
                     action: .pop3, timing: .immediate, inBatch: false),
        SlashCommand(name: "smtp", usage: "/smtp [HOST [PORT]]",
                     help: Localized("switch back to SMTP (the practice server, or HOST:25)", "切换回 SMTP（练习服务器，或 HOST:25）"),
                     action: .smtp, timing: .immediate, inBatch: false),
        SlashCommand(name: "starttls", usage: "/starttls",
                     help: Localized("start TLS (the same as typing STARTTLS, or STLS on POP3)", "启动 TLS（与输入 STARTTLS 相同；POP3 中为 STLS）"),
                     action: .starttls, timing: .inOrder, inBatch: true),
        SlashCommand(name: "auth", usage: "/auth [--allow-plaintext] plain|login|cram-md5|xoauth2 USER (POP3: user|plain|cram-md5 USER)",
                     help: Localized("log in: asks for the password (or token) without echo and builds the exchange; only under TLS unless --allow-plaintext",
                                     "登录：不回显地询问密码（或令牌），并生成整个交换；除非加 --allow-plaintext，否则只在 TLS 下进行"),
                     action: .auth, timing: .inOrder, inBatch: true),
        SlashCommand(name: "cert", usage: "/cert [save FILE]",
                     help: Localized("show the TLS session and the server's certificates; save FILE writes the chain as PEM",
                                     "显示 TLS 会话和服务器的证书；save FILE 把证书链以 PEM 格式写入文件"),
                     action: .cert, timing: .inOrder, inBatch: true),
        SlashCommand(name: "hint", usage: "/hint",
                     help: Localized("in a lesson (smtpx learn): show a hint for the step", "在课程中（smtpx learn）：显示这一步的提示"),
                     action: .hint, timing: .immediate, inBatch: false),
        SlashCommand(name: "b64", usage: "/b64 TEXT",
                     help: Localized("show TEXT in base64, and decoded when it is base64", "显示 TEXT 的 base64 编码；若它本身是 base64 则同时显示解码结果"),
                     action: .b64, timing: .immediate, inBatch: false),
        SlashCommand(name: "save", usage: "/save FILE",
                     help: Localized("save the conversation: FILE.jsonl as JSON Lines, anything else as text", "保存对话：FILE.jsonl 保存为 JSON Lines，其他扩展名保存为文本"),
                     action: .save, timing: .immediate, inBatch: false),
        SlashCommand(name: "raw", usage: "/raw TEXT",
                     help: Localized("send TEXT exactly, nothing added; \\r \\n \\t \\xNN are escapes", "原样发送 TEXT，不附加任何内容；\\r \\n \\t \\xNN 为转义"),
                     action: .raw, timing: .inOrder, inBatch: true),
        SlashCommand(name: "lang", usage: "/lang en|zh", help: Localized("switch the language", "切换语言"),
                     action: .lang, timing: .immediate, inBatch: false),
        SlashCommand(name: "clear", usage: "/clear", help: Localized("clear the stream", "清空记录"),
                     action: .clear, timing: .immediate, inBatch: false),
        SlashCommand(name: "help", usage: "/help", help: Localized("show the help", "显示帮助"),
                     action: .help, timing: .immediate, inBatch: false),
        SlashCommand(name: "quit", usage: "/quit", help: Localized("quit smtpx", "退出 smtpx"),
                     action: .quit, timing: .immediate, inBatch: false),
    ]

    /// Other names a command answers to.
    static let aliases = ["exit": "quit", "q": "quit"]

    public static func find(_ name: String) -> SlashCommand? {
        let name = name.lowercased()
        let canonical = aliases[name] ?? name
        return all.first { $0.name == canonical }
    }

    /// What Tab completes `/name` to: a space after a command that takes arguments.
    public var completion: String {
        "/" + name + (usage.contains(" ") ? " " : "")
    }

    /// A typed line as a slash command: the command (nil when unknown), the name as typed, the
    /// words after it, and the text after the name exactly (for `/raw` and `/b64`). `//` starts
    /// a line that is sent with one `/`, so it is no command.
    public static func parse(_ line: String) -> Invocation? {
        guard line.hasPrefix("/"), !line.hasPrefix("//") else { return nil }
        let body = line.dropFirst()
        let name = String(body.prefix { $0 != " " })
        let rest = body.dropFirst(name.count).drop { $0 == " " }
        return Invocation(command: find(name), name: name,
                          arguments: rest.split(separator: " ").map(String.init), text: String(rest))
    }

    /// A slash command as typed.
    public struct Invocation: Sendable, Hashable {
        public let command: SlashCommand?
        public let name: String
        public let arguments: [String]
        public let text: String
    }
}
