import SMTPCore
import SMTPKnowledge

/// Every word the screen shows, in English and Simplified Chinese.
public enum UIText {
    // MARK: Status bar
    static let notConnected = Localized("not connected", "未连接")
    static let connecting = Localized("connecting…", "正在连接…")
    static let plaintext = Localized("plaintext", "明文")
    static let authenticated = Localized("auth {0}", "已认证 {0}")
    static let unverified = Localized("unverified", "未验证")

    static func phase(_ phase: ClientSession.Phase, recipients: Int) -> Localized {
        switch phase {
        case .awaitingGreeting: return Localized("awaiting greeting", "等待问候")
        case .greeted: return Localized("greeted", "已问候")
        case .ready: return Localized("ready", "就绪")
        case .mailStarted: return Localized("sender accepted", "发件人已接受")
        case .recipients: return Localized("{0} rcpt", "{0} 个收件人").format(recipients)
        case .message: return Localized("writing message", "正在写邮件")
        case .chunk: return Localized("sending chunk", "正在发送分块")
        case .authenticating: return Localized("authenticating", "认证中")
        case .startingTLS: return Localized("starting TLS", "正在启动 TLS")
        case .closed: return Localized("closed", "已关闭")
        }
    }

    static func pop3State(_ state: POP3ClientSession.State) -> Localized {
        switch state {
        case .awaitingGreeting: return Localized("awaiting greeting", "等待问候")
        case .authorization: return Localized("AUTHORIZATION", "AUTHORIZATION（待登录）")
        case .authenticating: return Localized("authenticating", "认证中")
        case .transaction: return Localized("TRANSACTION", "TRANSACTION（已登录）")
        case .awaitingTLS: return Localized("starting TLS", "正在启动 TLS")
        case .closed: return Localized("closed", "已关闭")
        }
    }

    static let waitingSeconds = Localized("waiting {0} s", "已等待 {0} 秒")
    static let recordingStopped = Localized("⚠ --record stopped", "⚠ --record 已停止")
    static let queued = Localized("{0} queued", "{0} 行排队中")
    static let tooSmall = Localized("smtpx needs at least {0}×{1}", "smtpx 至少需要 {0}×{1} 的终端")

    // MARK: Explainer
    static let typing = Localized("You are typing", "正在输入")
    static let likelyReplies = Localized("Likely replies", "可能的回复")
    static let next = Localized("Next", "下一步")
    static let waitingFor = Localized("Waiting for the reply to {0}", "正在等待对 {0} 的回复")
    static let waitingPage = Localized(
        "{0} s so far. A server may be slow on purpose (greylisting, a tarpit, a greet-pause), or busy. Lines you type now are queued and go when the reply has come.",
        "到目前为止已 {0} 秒。服务器可能是故意放慢（灰名单、tarpit、问候暂停），也可能很忙。现在输入的行会排队，等回复到达后再发送。")
    static let waitingGreeting = Localized("Waiting for the server's greeting (220)…", "正在等待服务器的问候（220）…")
    static let messageMode = Localized("Message text", "邮件正文")
    static let messageHelp = Localized(
        "Lines go to the server as the message: headers (From:, To:, Subject:), one empty line, then the body. A line with only \".\" ends it.",
        "输入的每一行都作为邮件内容发送：先是邮件头（From:、To:、Subject:），然后一个空行，再是正文。只含「.」的一行表示结束。")
    static let chunkMode = Localized("BDAT chunk: {0} bytes still to send", "BDAT 分块：还需发送 {0} 个字节")
    static let chunkHelp = Localized("Each line you type, with its CRLF, counts towards the chunk size; the last line is cut to fit.",
                                     "你输入的每一行（连同 CRLF）都计入分块大小；最后一行会被截断以正好凑满。")
    static let saslMode = Localized("AUTH response", "AUTH 应答")
    static let saslHelp = Localized("Type one line of base64 answering the challenge, or \"*\" to cancel. /b64 TEXT encodes text.",
                                    "输入一行 base64 来回答质询，或输入「*」取消。/b64 文本 可以进行编码。")
    static let decodesTo = Localized("decodes to {0}", "解码为 {0}")
    static let notBase64 = Localized("not valid base64", "不是有效的 base64")
    static let completions = Localized("Completions", "补全")
    static let notConnectedHelp = Localized("Connect to a server with /connect HOST [PORT], for example /connect 127.0.0.1 2525.",
                                            "用 /connect 主机 [端口] 连接服务器，例如 /connect 127.0.0.1 2525。")

    // MARK: Help
    static let helpTitle = Localized("smtpx — keys and commands", "smtpx —— 按键与命令")
    static let helpKeys = Localized("Keys", "按键")
    static let helpCommands = Localized("Slash commands", "斜杠命令")
    static let helpClose = Localized("Esc or F1 closes this help.", "按 Esc 或 F1 关闭帮助。")
    static let helpSlashLiteral = Localized("A line starting with \"//\" is sent with one \"/\".", "以「//」开头的行会以一个「/」发送。")
    static let replayFooter = Localized("F1 keys · → ← step · Ctrl-P/N select · PgUp/PgDn scroll · q quit",
                                        "F1 按键 · → ← 步进 · Ctrl-P/N 选择 · PgUp/PgDn 滚动 · q 退出")
    static let presentFooter = Localized("F3 stream · explanation · both · F1 help", "F3 记录 · 解释 · 两者 · F1 帮助")
    static let footer = Localized("F1 help · Tab complete · PgUp/PgDn scroll · Ctrl-P/N select · Ctrl-C quit",
                                  "F1 帮助 · Tab 补全 · PgUp/PgDn 滚动 · Ctrl-P/N 选择 · Ctrl-C 退出")
}
