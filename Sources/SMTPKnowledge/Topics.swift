/// A lesson-sized idea of mail that is no code, keyword or verb: the envelope, MX, a blind
/// copy, an open relay.
public struct TopicInfo: Sendable {
    public let id: String
    /// What a learner types, in either language: "open relay", "开放中继".
    public let names: [String]
    public let title: Localized
    public let paragraphs: [Localized]
    /// What to try in smtpx to see it happen.
    public let tryIt: Localized?
    public let references: [String]
}

public enum Topics {
    /// The topic a phrase names: case, spaces and hyphens do not matter.
    public static func info(_ phrase: String) -> TopicInfo? { byName[normalized(phrase)] }

    static func normalized(_ phrase: String) -> String {
        String(phrase.lowercased().filter { !" -_".contains($0) })
    }

    static let byName: [String: TopicInfo] = {
        var table: [String: TopicInfo] = [:]
        for topic in all { for name in topic.names { table[normalized(name)] = topic } }
        return table
    }()

    public static let all: [TopicInfo] = [
        TopicInfo(id: "mx", names: ["MX", "MX record", "mail exchanger", "MX记录", "邮件交换"],
                  title: L("MX: which servers take a domain's mail", "MX：哪些服务器接收一个域名的邮件"),
                  paragraphs: [
                      L("An MX record in DNS names a host that takes mail for a domain, with a preference: the lowest is tried first, the next ones when it fails for now. A sending server looks up the MX records of the part after the @ and connects to port 25 of those hosts.",
                        "DNS 中的 MX 记录指出接收一个域名邮件的主机，并带有优先级：数值最小的先试，它暂时失败时再试后面的。发送服务器查询 @ 后面那部分的 MX 记录，然后连接这些主机的 25 端口。"),
                      L("With no MX record the domain's own address (A or AAAA) is used, the \"implicit MX\". An MX of preference 0 pointing at \".\" (a null MX, RFC 7505) says the domain takes no mail at all.",
                        "如果没有 MX 记录，就使用域名本身的地址（A 或 AAAA），即「隐式 MX」。优先级为 0、指向「.」的 MX（空 MX，RFC 7505）表示这个域名根本不收邮件。"),
                  ],
                  tryIt: L("dig MX example.org shows the records; smtpx connects to the host you name, so name the MX host.",
                           "dig MX example.org 可以查看记录；smtpx 连接你指定的主机，所以请写 MX 主机。"),
                  references: ["RFC 5321 §5.1", "RFC 7505"]),
        TopicInfo(id: "envelope", names: ["envelope", "envelope sender", "envelope recipient", "return-path", "信封", "信封地址"],
                  title: L("The envelope and the header", "信封与邮件头"),
                  paragraphs: [
                      L("SMTP carries two sets of addresses. The envelope, MAIL FROM and RCPT TO, is what the servers act on: where to deliver, where to send a bounce. The header, From:, To: and Cc: inside DATA, is what the reader's mail program shows.",
                        "SMTP 携带两组地址。信封，也就是 MAIL FROM 和 RCPT TO，是服务器据以行动的：投递到哪里、退信发到哪里。邮件头，也就是 DATA 中的 From:、To: 和 Cc:，是读者的邮件程序显示出来的。"),
                      L("Nothing makes them agree. A mailing list, a blind copy, a forwarder and a forger all send mail whose envelope differs from its header. The last server writes the envelope sender into a Return-Path: header.",
                        "没有任何机制让两者一致。邮件列表、密送、转发者和伪造者发出的邮件，信封都与邮件头不同。最后一台服务器会把信封发件人写进 Return-Path: 邮件头。"),
                  ],
                  tryIt: L("Send a message on the practice server: after the final \".\" the explainer sets the envelope beside the header.",
                           "在练习服务器上发一封邮件：在最后的「.」之后，解释面板会把信封和邮件头并排列出。"),
                  references: ["RFC 5321 §2.3.1", "RFC 5321 §4.4", "RFC 5322 §3.6"]),
        TopicInfo(id: "bcc", names: ["BCC", "CC", "blind copy", "blind carbon copy", "carbon copy", "密送", "抄送"],
                  title: L("Cc and Bcc: there is no such command", "抄送和密送：SMTP 没有这样的命令"),
                  paragraphs: [
                      L("SMTP has no CC or BCC command: every recipient, whatever the header says, is one RCPT TO. Cc: is only a header line that the readers see. A blind copy is a recipient given in RCPT TO and left out of the headers, so the other readers never learn of it.",
                        "SMTP 没有 CC 或 BCC 命令：无论邮件头怎么写，每个收件人都是一条 RCPT TO。Cc: 只是读者能看到的一行邮件头。密送就是在 RCPT TO 中给出、却不写进邮件头的收件人，所以其他读者永远不知道它。"),
                      L("A mail program that is asked for a Bcc removes the Bcc: header before it sends (RFC 5322 §3.6.3); a Bcc: header that reaches the server would tell every reader.",
                        "邮件程序在被要求密送时，会在发送前删掉 Bcc: 邮件头（RFC 5322 §3.6.3）；如果 Bcc: 邮件头到达服务器，每个读者都会看到它。"),
                  ],
                  tryIt: L("On the practice server, give two RCPT TO and write only one of them in To:; the explainer marks the other as a blind copy.",
                           "在练习服务器上给出两条 RCPT TO，只把其中一个写进 To:；解释面板会把另一个标为密送。"),
                  references: ["RFC 5321 §3.3", "RFC 5322 §3.6.3"]),
        TopicInfo(id: "open-relay", names: ["open relay", "relay", "relaying", "开放中继", "中继"],
                  title: L("Relaying and the open relay", "中继与开放中继"),
                  paragraphs: [
                      L("A server relays when it takes a message for a domain it does not serve and sends it on. It should relay only for its own users, who have logged in (AUTH on submission) or come from its own network; for everyone else it takes mail only for its own domains.",
                        "当服务器接收一封发往它不负责的域名的邮件并把它转发出去时，它就在中继。它只应为自己的用户中继，这些用户已经登录（在提交端口上 AUTH）或来自它自己的网络；对其他所有人，它只接收发往自己域名的邮件。"),
                      L("An open relay takes mail from anyone to anywhere. In the early Internet that was normal; spammers used it to hide, and today an open relay lands on blocklists within hours. The usual refusal is 554 or 550 with 5.7.1 to the RCPT.",
                        "开放中继接收任何人发往任何地方的邮件。在早期的互联网上这很正常；垃圾邮件发送者借它隐藏身份，如今开放中继几个小时内就会上黑名单。通常的拒绝是对 RCPT 回答 554 或 550，带 5.7.1。"),
                  ],
                  tryIt: L("RCPT TO:<someone@elsewhere.example> on the practice server: it never relays, and says so.",
                           "在练习服务器上输入 RCPT TO:<someone@elsewhere.example>：它从不中继，并会这样说明。"),
                  references: ["RFC 5321 §3.6", "RFC 2505", "RFC 6409 §4.3"]),
        TopicInfo(id: "dot-stuffing", names: ["dot-stuffing", "transparency", "lone dot", "点填充", "透明性"],
                  title: L("The lone \".\" and dot-stuffing", "单独的「.」与点填充"),
                  paragraphs: [
                      L("After 354 the message ends with a line that holds a single \".\". A line of the message that begins with \".\" would be misread, so the client puts one more \".\" in front of it, and the server takes the first one away (RFC 5321 §4.5.2, \"transparency\").",
                        "在 354 之后，邮件以只有一个「.」的一行结束。邮件中以「.」开头的行会被误读，所以客户端在它前面再加一个「.」，服务器再把第一个去掉（RFC 5321 §4.5.2，「透明性」）。"),
                      L("smtpx does this for you in DATA mode: you type the text as it is, it shows what went on the wire.",
                        "smtpx 在 DATA 模式下替你完成这件事：你照原样输入文字，它显示实际发送的内容。"),
                  ],
                  tryIt: L("In DATA, type a line \".hidden\": the stream shows \"..hidden\" sent, the mailbox gets \".hidden\".",
                           "在 DATA 中输入一行「.hidden」：数据流中显示发送的是「..hidden」，邮箱收到的是「.hidden」。"),
                  references: ["RFC 5321 §4.5.2"]),
        TopicInfo(id: "greylisting", names: ["greylisting", "graylisting", "greylist", "灰名单"],
                  title: L("Greylisting", "灰名单"),
                  paragraphs: [
                      L("A defence against spam: the server answers 450 or 451 with 4.7.1 to the first attempt of an unknown (client address, sender, recipient), and accepts the same three after a delay. Real mail servers keep the message queued and retry; many spam tools never come back.",
                        "一种反垃圾邮件的手段：服务器对一个陌生的（客户端地址、发件人、收件人）组合的第一次尝试回答 450 或 451 加 4.7.1，延迟之后再接受同样的组合。真正的邮件服务器会把邮件留在队列中重试；很多垃圾邮件工具再也不会回来。"),
                      L("The cost is delay: the first mail from a new sender waits minutes. The refusal is temporary, nothing is wrong with the addresses.",
                        "代价是延迟：来自新发件人的第一封邮件要等几分钟。这种拒绝是暂时的，地址本身没有任何问题。"),
                  ],
                  tryIt: L("smtpx --scenario greylist: the first RCPT is deferred, the same one after the delay is accepted.",
                           "smtpx --scenario greylist：第一次 RCPT 被推迟，延迟之后同样的 RCPT 被接受。"),
                  references: ["RFC 6647"]),
        TopicInfo(id: "spf", names: ["SPF", "sender policy framework"],
                  title: L("SPF: which machines may send for a domain", "SPF：哪些机器可以为一个域名发信"),
                  paragraphs: [
                      L("The domain of MAIL FROM publishes in DNS (a TXT record starting v=spf1) the addresses allowed to send its mail; the receiving server checks the address of the client that connected. SPF checks the envelope, not the From: header that the reader sees.",
                        "MAIL FROM 中的域名在 DNS 中（以 v=spf1 开头的 TXT 记录）公布允许为它发信的地址；接收服务器检查连接上来的客户端地址。SPF 检查的是信封，而不是读者看到的 From: 邮件头。"),
                  ],
                  tryIt: nil, references: ["RFC 7208"]),
        TopicInfo(id: "dkim", names: ["DKIM", "domainkeys", "domainkeys identified mail"],
                  title: L("DKIM: a domain signs the message", "DKIM：由域名为邮件签名"),
                  paragraphs: [
                      L("The sending side signs chosen headers and the body, and adds a DKIM-Signature: header naming its domain (d=) and a key published in DNS. The receiver checks the signature: the message was not changed, and that domain took responsibility for it. The signing domain need not be the From: domain.",
                        "发送方对选定的邮件头和正文签名，并加上一个 DKIM-Signature: 邮件头，写明它的域名（d=）和在 DNS 中公布的密钥。接收方验证签名：邮件没有被改动，而且这个域名为它负责。签名的域名不一定是 From: 的域名。"),
                  ],
                  tryIt: nil, references: ["RFC 6376"]),
        TopicInfo(id: "dmarc", names: ["DMARC"],
                  title: L("DMARC: protecting the From: the reader sees", "DMARC：保护读者看到的 From:"),
                  paragraphs: [
                      L("The domain in From: publishes a policy (a TXT record at _dmarc.domain): a message must pass SPF or DKIM for a domain that aligns with From:, or be treated as the policy says (none, quarantine, reject). It is what stops a forged From: at the large mailbox providers.",
                        "From: 中的域名公布一条策略（_dmarc.域名 上的 TXT 记录）：邮件必须对一个与 From: 对齐的域名通过 SPF 或 DKIM，否则按策略处理（none、quarantine、reject）。正是它让大型邮箱服务商挡住伪造的 From:。"),
                  ],
                  tryIt: nil, references: ["RFC 7489"]),
    ]
}
