extension ContextRules {
    static let message: [ContextRule] = [
        // MARK: DATA
        ContextRule("data-go", [354], nil, .verbs([.data]),
            meaning: L("Send the message now: headers (From:, To:, Subject:…), an empty line, the body, then a line with a lone \".\". What you type until then is message text, not commands.",
                       "现在发送邮件：邮件头（From:、To:、Subject:……）、一个空行、正文，然后是只有一个「.」的一行。在那之前你输入的都是邮件内容，不是命令。")),
        ContextRule("data-no-recipients", [554, 503], nil, .verbs([.data]),
            meaning: L("No recipient was accepted (or MAIL is missing), so there is nobody to send the message to.",
                       "没有任何收件人被接受（或者缺少 MAIL），所以邮件无处可送。"),
            advice: L("Give at least one RCPT TO that the server accepts, then DATA.",
                      "至少给出一条被服务器接受的 RCPT TO，然后再 DATA。")),
        ContextRule("data-temporary", [450, 451, 452], nil, .verbs([.data]),
            meaning: L("The server cannot take the message now; retry the whole transaction later.",
                       "服务器现在不能接收邮件；稍后重试整个事务。")),

        // MARK: The final ".", BDAT
        ContextRule("message-accepted", [250], nil, .messageEnd,
            meaning: L("The message is accepted: the server now answers for it, and will deliver it or send a bounce to the envelope sender. It does not mean it is in an inbox yet.",
                       "邮件已被接受：服务器现在要对它负责，会投递它，或者给信封发件人发退信。这并不表示它已经进了收件箱。")),
        ContextRule("message-too-big", [552], nil, .messageEnd,
            meaning: L("The message is over the size limit: nothing was kept.", "邮件超过了大小限制：什么也没有保留。"),
            advice: L("Send a smaller message: the EHLO SIZE line says the limit.",
                      "发送更小的邮件：EHLO 回复中的 SIZE 行给出了上限。")),
        ContextRule("message-refused", [550, 554], nil, .messageEnd,
            meaning: L("The message itself is refused (its content: spam, a virus, a policy such as DMARC): nothing was kept, for any recipient.",
                       "邮件本身被拒绝（因为内容：垃圾邮件、病毒，或者 DMARC 之类的策略）：对任何收件人都没有保留。"),
            advice: L("Read the text: content, authentication (SPF, DKIM, DMARC) or reputation. Sending the same message again will be refused again.",
                      "看服务器的文字：是内容、认证（SPF、DKIM、DMARC）还是信誉问题。原样再发还会被拒绝。")),
        ContextRule("message-temporary", [450, 451, 452], nil, .messageEnd,
            meaning: L("The message was not kept, for a reason that may pass (the server's disk, a check it could not finish). It was not sent: send it again later.",
                       "邮件没有被保留，原因可能是暂时的（服务器的磁盘、没能完成的检查）。它并没有发出：稍后重新发送。")),
        ContextRule("chunk-ok", [250], nil, .verbs([.bdat]),
            meaning: L("This chunk arrived; send the next with BDAT, or end with BDAT n LAST.",
                       "这个分块已送达；用 BDAT 发送下一块，或者用 BDAT n LAST 结束。")),
        ContextRule("chunk-sequence", [503], nil, .verbs([.bdat]),
            meaning: L("BDAT before MAIL and an accepted RCPT: the chunk was read and thrown away.",
                       "在 MAIL 和被接受的 RCPT 之前发了 BDAT：这个分块被读取后丢弃了。")),
    ]

    static let other: [ContextRule] = [
        // MARK: VRFY, EXPN
        ContextRule("vrfy-exists", [250, 251], nil, .verbs([.vrfy]),
            meaning: L("The user exists here (the server told you who it is). There is no mail involved: VRFY only asks about a name.",
                       "这里有这个用户（服务器告诉了你是谁）。这里没有涉及邮件：VRFY 只是询问一个名字。")),
        ContextRule("vrfy-cannot", [252], nil, .verbs([.vrfy]),
            meaning: L("The server will not say whether the user exists (to keep its users from spammers), but would take mail for it.",
                       "服务器不愿透露这个用户是否存在（以免垃圾邮件发送者知道它的用户），但会接收发给它的邮件。")),
        ContextRule("vrfy-unknown", [550, 551, 553], nil, .verbs([.vrfy]),
            meaning: L("There is no such user here. VRFY only asked: nothing was refused.", "这里没有这个用户。VRFY 只是询问：并没有拒绝什么。")),
        ContextRule("expn-refused", [502, 500, 252, 550], nil, .verbs([.expn]),
            meaning: L("The server will not show the members of a list: most public servers turn EXPN off.",
                       "服务器不愿列出邮件列表的成员：大多数公开服务器都关闭了 EXPN。")),
        ContextRule("expn-members", [250], nil, .verbs([.expn]),
            meaning: L("The members of the list, one per line: mail to the list goes to each of them.", "邮件列表的成员，每行一个：发给列表的邮件会送到他们每个人。")),
        ContextRule("vrfy-off", [502, 500], nil, .verbs([.vrfy]),
            meaning: L("VRFY is switched off on this server.", "这台服务器关闭了 VRFY。")),

        // MARK: HELP, NOOP, RSET, QUIT
        ContextRule("help", [214, 211], nil, .verbs([.help]),
            meaning: L("Help text for a person: what the server says it knows.", "写给人看的帮助：服务器说它懂得哪些命令。")),
        ContextRule("noop", [250], nil, .verbs([.noop]),
            meaning: L("Nothing was done: the connection is alive, and the time this took is the server's round trip.",
                       "什么也没做：连接还活着，所花的时间就是与服务器往返一次的时间。")),
        ContextRule("rset", [250], nil, .verbs([.rset]),
            meaning: L("The transaction is forgotten (sender, recipients, message); the session stays, with its EHLO and login.",
                       "事务已被忘掉（发件人、收件人、邮件）；会话保持，EHLO 和登录也仍然有效。")),
        ContextRule("quit", [221], nil, .verbs([.quit]),
            meaning: L("Goodbye: the server closes the connection. Messages it accepted with 250 are its business now.",
                       "再见：服务器关闭连接。它已经用 250 接受的邮件从此由它负责。")),

        // MARK: Obsolete and unknown verbs
        ContextRule("obsolete", [502, 500, 504], nil, .verbs([.send, .soml, .saml, .turn]),
            meaning: L("This RFC 821 command was withdrawn, so the server does not implement it. Nothing is out of order: use MAIL instead (or, for TURN, ETRN or ATRN).",
                       "这条 RFC 821 命令已被撤销，所以服务器没有实现它。并没有什么顺序错误：改用 MAIL（对于 TURN，改用 ETRN 或 ATRN）。")),
        ContextRule("not-implemented", [502], nil, .verbs([.etrn, .atrn, .burl]),
            meaning: L("The server knows this extension command but does not offer it.", "服务器认识这条扩展命令，但不提供它。")),
        ContextRule("nonstandard-verb", [500, 502, 503, 550], nil, .catalogVerb,
            meaning: L("This is no SMTP command but one server's own (or LMTP's, for LHLO): a server that does not implement it, or does not trust you with it, refuses it. smtpx explain on the verb says whose it is.",
                       "这不是 SMTP 命令，而是某种服务器自己的命令（LHLO 则属于 LMTP）：没有实现它、或不信任你使用它的服务器会拒绝。对这个命令运行 smtpx explain 可以知道它属于谁。")),
        ContextRule("unknown-verb", [500, 502], nil, .unknownVerb,
            meaning: L("The server does not know this command: check its spelling (HELP lists what it knows).",
                       "服务器不认识这条命令：检查拼写（HELP 会列出它认识的命令）。")),

        // MARK: Whatever was answered
        ContextRule("closing", [421], nil, .anything,
            meaning: L("The server is closing the connection (too many errors, a timeout, a shutdown): nothing more will be read. What was not acknowledged with 250 must be sent again later.",
                       "服务器正在关闭连接（错误太多、超时或者关机）：之后发送的内容都不会被读取。没有得到 250 确认的内容以后必须重新发送。")),
    ]
}
