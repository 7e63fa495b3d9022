/// A TCP port where mail is spoken: what listens there, and how TLS starts.
public struct PortInfo: Sendable {
    public let port: Int
    public let title: Localized
    /// Who talks to whom there.
    public let speaks: Localized
    /// Implicit TLS from the first byte, STARTTLS after a plain greeting, or none.
    public let tls: Localized
    public let references: [String]
}

/// The mail ports a learner meets: SMTP relay, submission, POP3, IMAP, LMTP and the catchers.
public enum Ports {
    public static func info(_ port: Int) -> PortInfo? { byPort[port] }

    static let byPort: [Int: PortInfo] = Dictionary(all.map { ($0.port, $0) }, uniquingKeysWith: { a, _ in a })

    static let startTLS = L("STARTTLS: the greeting and EHLO are plain text, then STARTTLS upgrades the connection (RFC 3207). A man in the middle can strip the offer unless MTA-STS or DANE tells the client to insist.",
                            "STARTTLS：问候和 EHLO 是明文，之后用 STARTTLS 把连接升级为加密（RFC 3207）。中间人可以删掉这个提议，除非 MTA-STS 或 DANE 让客户端坚持加密。")
    static let implicitTLS = L("Implicit TLS: the TLS handshake comes first, before any greeting; nothing is ever sent in clear (RFC 8314 §3). Connect with smtpx --tls.",
                               "隐式 TLS：先进行 TLS 握手，然后才有问候；任何内容都不以明文发送（RFC 8314 §3）。用 smtpx --tls 连接。")

    public static let all: [PortInfo] = [
        PortInfo(port: 25, title: L("SMTP between mail servers (relay, MX)", "邮件服务器之间的 SMTP（中继、MX）"),
                 speaks: L("Mail servers deliver to each other here: the MX hosts of a domain listen on 25, and take mail for their own domains without a login. Many home and cloud networks block outgoing connections to port 25, so that infected machines cannot send spam directly.",
                           "邮件服务器在这里互相投递：一个域名的 MX 主机监听 25 端口，不需要登录就接收发给自己域名的邮件。许多家庭网络和云网络封锁了向外连接 25 端口，以免中毒的机器直接发送垃圾邮件。"),
                 tls: L("STARTTLS when the server offers it; between servers it is opportunistic. A man in the middle can strip the offer unless MTA-STS or DANE tells the sender to insist.",
                        "服务器提供时使用 STARTTLS；服务器之间的加密是「机会性」的。中间人可以删掉这个提议，除非 MTA-STS 或 DANE 让发送方坚持加密。"),
                 references: ["RFC 5321 §4.5.4", "RFC 3207"]),
        PortInfo(port: 465, title: L("Message submission over implicit TLS (submissions)", "隐式 TLS 上的邮件提交（submissions）"),
                 speaks: L("Mail programs hand their outgoing mail to their provider here, after logging in with AUTH. Registered for SMTPS in 1997, withdrawn a year later, and given back to submission by RFC 8314 in 2018, which prefers it to 587.",
                           "邮件程序在这里把要发出的邮件交给自己的服务商，先用 AUTH 登录。它在 1997 年被登记为 SMTPS，一年后被撤销，2018 年 RFC 8314 又把它重新分配给邮件提交，并且比 587 更推荐它。"),
                 tls: implicitTLS, references: ["RFC 8314 §3", "RFC 6409"]),
        PortInfo(port: 587, title: L("Message submission (STARTTLS)", "邮件提交（STARTTLS）"),
                 speaks: L("Mail programs submit outgoing mail here (RFC 6409): the server requires AUTH before it relays, and may complete a message (add Date: or Message-ID:). It is the port most clients are configured with.",
                           "邮件程序在这里提交要发出的邮件（RFC 6409）：服务器要求先 AUTH 才会中继，并且可以补全邮件（添加 Date: 或 Message-ID:）。大多数客户端都配置的是这个端口。"),
                 tls: startTLS, references: ["RFC 6409 §3.1", "RFC 8314 §3.3"]),
        PortInfo(port: 2525, title: L("Unofficial alternative submission port", "非官方的备用提交端口"),
                 speaks: L("Not registered with IANA: mail-sending services open it for networks that block 25 and 587. It speaks submission like 587. smtpx's practice server listens here by default.",
                           "没有在 IANA 登记：一些邮件发送服务为封锁了 25 和 587 的网络开放这个端口。它像 587 一样提供邮件提交。smtpx 的练习服务器默认监听这里。"),
                 tls: startTLS, references: ["RFC 6409"]),
        PortInfo(port: 110, title: L("POP3: downloading mail", "POP3：下载邮件"),
                 speaks: L("Mail programs fetch the mail in a mailbox here (RFC 1939): USER and PASS (or AUTH), STAT, LIST, RETR, DELE, QUIT. POP3 moves mail from the server to one device; IMAP keeps it on the server.",
                           "邮件程序在这里取回邮箱中的邮件（RFC 1939）：USER 和 PASS（或 AUTH）、STAT、LIST、RETR、DELE、QUIT。POP3 把邮件从服务器搬到一台设备上；IMAP 则把邮件留在服务器上。"),
                 tls: L("STLS after the plain greeting (RFC 2595); RFC 8314 asks for implicit TLS on 995 instead.",
                        "在明文问候之后用 STLS 升级（RFC 2595）；RFC 8314 建议改用 995 端口上的隐式 TLS。"),
                 references: ["RFC 1939", "RFC 2595 §4"]),
        PortInfo(port: 995, title: L("POP3 over implicit TLS (pop3s)", "隐式 TLS 上的 POP3（pop3s）"),
                 speaks: L("The same POP3 as on 110, inside TLS from the first byte.", "与 110 端口相同的 POP3，从第一个字节起就在 TLS 之中。"),
                 tls: implicitTLS, references: ["RFC 8314 §3", "RFC 1939"]),
        PortInfo(port: 143, title: L("IMAP: reading mail on the server", "IMAP：在服务器上读邮件"),
                 speaks: L("Mail programs read and organize the mail kept on the server here, with folders and flags shared by every device.",
                           "邮件程序在这里阅读和整理保存在服务器上的邮件，文件夹和标记在所有设备之间共享。"),
                 tls: L("STARTTLS after the plain greeting; RFC 8314 asks for implicit TLS on 993 instead.",
                        "在明文问候之后用 STARTTLS 升级；RFC 8314 建议改用 993 端口上的隐式 TLS。"),
                 references: ["RFC 9051", "RFC 3501"]),
        PortInfo(port: 993, title: L("IMAP over implicit TLS (imaps)", "隐式 TLS 上的 IMAP（imaps）"),
                 speaks: L("The same IMAP as on 143, inside TLS from the first byte.", "与 143 端口相同的 IMAP，从第一个字节起就在 TLS 之中。"),
                 tls: implicitTLS, references: ["RFC 8314 §3", "RFC 9051"]),
        PortInfo(port: 24, title: L("Any private mail system; LMTP by custom", "任何私有邮件系统；按惯例用于 LMTP"),
                 speaks: L("IANA leaves 24 to private mail systems. LMTP (RFC 2033), the local delivery cousin of SMTP that a mail server uses to hand messages to a mailbox store such as Dovecot, often listens here or on a Unix socket: LHLO instead of EHLO, and one reply per recipient after the final \".\".",
                           "IANA 把 24 端口留给私有邮件系统。LMTP（RFC 2033）是 SMTP 用于本地投递的近亲，邮件服务器用它把邮件交给 Dovecot 这样的邮箱存储；它常监听这里或一个 Unix 套接字：用 LHLO 代替 EHLO，并且在最后的「.」之后对每个收件人各回复一次。"),
                 tls: L("Usually none: LMTP stays inside one machine or one trusted network.", "通常不加密：LMTP 只在一台机器或一个可信网络内部使用。"),
                 references: ["RFC 2033"]),
        PortInfo(port: 1025, title: L("Development mail catchers", "开发用的邮件捕获器"),
                 speaks: L("Not registered for mail: test servers that catch every message and deliver nothing (Mailpit, MailHog, Python's old smtpd DebuggingServer) listen here by default, since ports under 1024 need root.",
                           "没有登记为邮件端口：捕获所有邮件而不投递的测试服务器（Mailpit、MailHog、Python 旧的 smtpd DebuggingServer）默认监听这里，因为 1024 以下的端口需要 root 权限。"),
                 tls: L("Usually none.", "通常不加密。"), references: []),
    ]
}
