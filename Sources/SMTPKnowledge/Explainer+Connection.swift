import Foundation
import SMTPCore

extension Explainer {
    /// Why a connection could not be made, and what to check.
    public func explain(connectFailure failure: ConnectFailure) -> Explanation {
        let target = "\(failure.host):\(failure.port)"
        let (title, why, advice): (Localized, Localized, Localized)
        switch failure.kind {
        case .refused:
            title = L("Connection refused", "连接被拒绝")
            why = L("The host answered, but nothing listens on port {0}: the server is not running, or listens on another port or address.",
                    "主机有应答，但端口 {0} 上没有程序在监听：服务器没有运行，或者它在监听别的端口或地址。").format(failure.port)
            advice = L("Check the port (25 relay, 587 submission, 465 implicit TLS; the practice server uses 2525) and that the server is running.",
                       "检查端口（25 为中继，587 为提交，465 为隐式 TLS；练习服务器用 2525），并确认服务器正在运行。")
        case .unreachable:
            title = L("Host unreachable", "无法到达主机")
            why = L("No route to {0}: the network is down, the address is wrong, or a firewall drops the packets.",
                    "没有通往 {0} 的路由：网络断开、地址错误，或者防火墙丢弃了数据包。").format(failure.host)
            advice = L("Check the address and your network; many home and cloud networks block outgoing port 25.",
                       "检查地址和你的网络；许多家庭网络和云服务会封锁出站 25 端口。")
        case .unknownHost:
            title = L("Unknown host", "未知主机")
            why = L("The name {0} did not resolve to any address.", "名称 {0} 无法解析为任何地址。").format(failure.host)
            advice = L("Check the spelling. To reach a domain's mail server, look up its MX record first (dig MX example.org).",
                       "检查拼写。要连接某个域名的邮件服务器，先查询它的 MX 记录（dig MX example.org）。")
        case .timeout:
            title = L("No answer", "没有应答")
            why = L("{0} did not answer in time: packets are dropped on the way, often by a firewall.",
                    "{0} 没有及时应答：数据包在途中被丢弃，通常是防火墙所为。").format(target)
            advice = L("Try again with a longer --timeout, or check whether port {0} is blocked on your network.",
                       "用更长的 --timeout 重试，或者检查你的网络是否封锁了 {0} 端口。").format(failure.port)
        case .other:
            title = L("Could not connect", "无法连接")
            why = L("The system said: {0}", "系统提示：{0}").format(failure.detail)
            advice = L("Check the host and port, then /connect again.", "检查主机和端口，然后再次 /connect。")
        }
        return Explanation(kind: .unknown, subject: target, title: t(title) + " — " + target, recognized: true, sections: [
            .init(.meaning, heading: t(Words.meaning), paragraphs: [t(why)]),
            .init(.advice, heading: t(Words.advice), paragraphs: [t(advice), t(L("Type /connect HOST [PORT] to try again.", "输入 /connect 主机 [端口] 重试。"))]),
        ])
    }

    /// What a `***` line is about, when there is more to say than its words (see
    /// ``LocalEvent/isExplained``).
    public func explain(event: LocalEvent) -> Explanation? {
        switch event {
        case .connectFailed(let failure): return explain(connectFailure: failure)
        case .closed(let reason, let expected): return explain(close: reason, expected: expected)
        case .tlsEstablished(let info, let upgrade):
            var explanation = explain(tls: info)
            if upgrade {
                explanation.sections.insert(.init(.next, paragraphs: [t(L(
                    "TLS is up: the server has forgotten everything, so send EHLO again and compare the extensions.",
                    "TLS 已建立：服务器已忘记之前的一切，请再次发送 EHLO 并比较扩展列表。"))]), at: 0)
            }
            return explanation
        case .tlsFailed(let failure): return explain(tlsFailure: failure)
        case .tlsWeak(let weaknesses):
            return Explanation(kind: .unknown, subject: "TLS", title: t(event.words), recognized: true,
                               sections: [.init(.problems, heading: t(Words.problems), items: weaknesses.map {
                                   .init(t(TLSTexts.words($0)), t(TLSTexts.advice($0)))
                               })], references: ["RFC 8996", "RFC 9325"])
        case .refusedPlaintext(let count, _): return explainRefusedPlaintext(count: count)
        case .timedOut, .replyTooLong, .authRefused, .plaintextAuthAllowed, .tlsRequirementUnmet, .startTLSRequired,
             .serverClosing,
             .greetingRefused, .linesNotSent:
            return explainPolicy(event)
        case .dns(let step):
            return Explanation(kind: .unknown, subject: RouteReport.line(step), title: t(event.words), recognized: true,
                               sections: [.init(.meaning, heading: t(Words.meaning), paragraphs: [t(RouteTexts.explain(step))])],
                               references: ["RFC 5321 §5.1"])
        case .routeFound(let summary): return explain(route: summary)
        case .routeRefused, .mxNone:
            return Explanation(kind: .unknown, subject: "", title: t(event.words), recognized: true,
                               sections: [.init(.advice, heading: t(Words.advice), paragraphs: [t(L(
                                   "Give an address or a domain: /route user@example.org shows the lookup, /mx example.org connects to its best exchanger.",
                                   "请给出地址或域名：/route user@example.org 显示查找过程，/mx example.org 连接到它最好的邮件交换主机。"))])])
        case .mxFailed(_, _, _, _, _, let next):
            let text = next
                ? L("A sender that cannot reach one exchanger tries the next, best preference first (RFC 5321 §5.1); so does smtpx.",
                    "无法连接某个邮件交换主机的发送方会尝试下一个，优先级最好的先试（RFC 5321 §5.1）；smtpx 也是这样做的。")
                : L("Every exchanger was tried. A sender would keep the message in its queue and try again later.",
                    "所有邮件交换主机都试过了。发送方会把邮件留在队列中，稍后再试。")
            return Explanation(kind: .unknown, subject: "", title: t(event.words), recognized: true,
                               sections: [.init(.meaning, heading: t(Words.meaning), paragraphs: [t(text)])],
                               references: ["RFC 5321 §5.1"])
        case .connecting, .connected, .startingTLS, .discarded, .authenticated, .authCancelled, .notConnected, .usage,
             .unknownCommand, .notAvailableHere, .languageSet, .saved, .saveFailed, .recordFailed, .recorded, .mxAttempt,
             .chainSaved:
            return nil
        }
    }

    /// A finished route: where mail goes, and each step of the lookup with what it means.
    public func explain(route summary: RouteSummary) -> Explanation {
        let report = RouteReport(summary: summary, resolver: nil, language: language)
        var sections = [Explanation.Section(.meaning, heading: t(Words.meaning), paragraphs: report.summaryLines.dropFirst().map {
            $0.trimmingCharacters(in: .whitespaces)
        })]
        let lookup = summary.steps.compactMap { step -> Explanation.Item? in
            if case .query = step { return nil }
            if case .note = step { return .init("***", t(RouteTexts.explain(step))) }
            return .init(RouteReport.line(step), t(RouteTexts.explain(step)))
        }
        if !lookup.isEmpty { sections.append(.init(.details, heading: t(L("The lookup", "查找过程")), items: lookup)) }
        return Explanation(kind: .unknown, subject: summary.query,
                           title: t(L("Route for {0}: {1}", "{0} 的路由：{1}").format(summary.query, summary.result.rawValue)),
                           recognized: true, sections: sections, references: ["RFC 5321 §5.1", "RFC 7505"])
    }

    /// Why smtpx stopped, waited or held something back.
    func explainPolicy(_ event: LocalEvent) -> Explanation {
        let why: Localized
        var references: [String] = []
        switch event {
        case .timedOut:
            why = L("The server sent nothing for as long as --timeout allows while a reply was awaited. Whatever it sent before is shown above. A slow server, a tarpit or greylisting delay on purpose; try a longer --timeout.",
                    "在等待回复期间，服务器在 --timeout 允许的时间内什么也没有发送。它之前发送的内容都显示在上面。慢速服务器、tarpit 或灰名单会故意延迟；可以试试更长的 --timeout。")
            references = ["RFC 5321 §4.5.3.2"]
        case .replyTooLong:
            why = L("The server kept sending lines of one reply (\"250-…\") and never its last line. --timeout counts silence, so it never came; a reply may take at most ten times --timeout (and 20 seconds at least). smtpx read at its own pace all along, so its memory stayed bounded.",
                    "服务器不停地发送同一个回复的续行（「250-…」），却始终不发最后一行。--timeout 计算的是沉默时间，所以不会触发；一个回复最多允许 --timeout 的十倍时间（至少 20 秒）。smtpx 一直按自己的节奏读取，因此内存始终有界。")
            references = ["RFC 5321 §4.2.1"]
        case .authRefused(.plaintext), .plaintextAuthAllowed:
            why = L("PLAIN, LOGIN and XOAUTH2 send the secret barely encoded: anyone on the path can read it. smtpx sends it only under TLS (STARTTLS, or --tls), unless you allow it with --allow-plaintext-auth (or /auth --allow-plaintext). CRAM-MD5 never sends the password itself.",
                    "PLAIN、LOGIN 和 XOAUTH2 几乎不加掩饰地发送密码：路径上的任何人都能读到。smtpx 只在 TLS 之下（STARTTLS 或 --tls）发送它，除非你用 --allow-plaintext-auth（或 /auth --allow-plaintext）明确允许。CRAM-MD5 从不发送密码本身。")
            references = ["RFC 4954 §4", "RFC 8314"]
        case .authRefused:
            why = L("A secret goes only to a server that asked for it: its EHLO reply must list AUTH with this mechanism. Send EHLO first and read the AUTH line. Many servers list PLAIN and LOGIN only after STARTTLS.",
                    "密码只发送给要求它的服务器：服务器的 EHLO 回复必须列出包含这种机制的 AUTH。请先发送 EHLO 并查看 AUTH 那一行。许多服务器只在 STARTTLS 之后才列出 PLAIN 和 LOGIN。")
            references = ["RFC 4954 §3"]
        case .tlsRequirementUnmet, .startTLSRequired:
            why = L("With --require-tls, smtpx sends nothing that matters (MAIL, AUTH, the message) without TLS: it starts STARTTLS itself when the server offers it, and stops when it does not or when TLS fails.",
                    "使用 --require-tls 时，smtpx 不会在没有 TLS 的情况下发送任何要紧的内容（MAIL、AUTH、邮件）：服务器提供 STARTTLS 时它会自行启动，服务器不提供或 TLS 失败时则停止。")
            references = ["RFC 3207", "RFC 8314 §3"]
        case .serverClosing:
            why = L("421 means the server is about to close the connection (RFC 5321 §3.8). Nothing sent after it would be read, so smtpx sends nothing more; a message not yet acknowledged with 250 must be sent again later.",
                    "421 表示服务器即将关闭连接（RFC 5321 §3.8）。之后发送的内容都不会被读取，所以 smtpx 不再发送；尚未得到 250 确认的邮件以后必须重新发送。")
            references = ["RFC 5321 §3.8"]
        case .greetingRefused:
            why = L("A server that greets with 554 (or another code than 220) will not take mail in this session. A client should send QUIT and try elsewhere or later (RFC 5321 §3.1, §4.3.1).",
                    "以 554（或 220 以外的代码）问候的服务器不会在这次会话中接收邮件。客户端应当发送 QUIT，稍后或换一台服务器再试（RFC 5321 §3.1、§4.3.1）。")
            references = ["RFC 5321 §3.1"]
        default:
            why = L("After DATA was refused, the lines that were to be the message are not sent as commands.",
                    "DATA 被拒绝之后，原本作为邮件内容的行不会被当作命令发送。")
            references = ["RFC 5321 §4.1.1.4"]
        }
        return Explanation(kind: .unknown, subject: "", title: t(event.words), recognized: true,
                           sections: [.init(.meaning, paragraphs: [t(why)])], references: references)
    }

    /// Why a connection ended.
    public func explain(close reason: CloseReason, expected: Bool) -> Explanation {
        let (title, text): (Localized, Localized)
        switch reason {
        case .byServer where expected, .error where expected:
            title = L("The session is over", "会话结束")
            text = L("The server closed the connection after QUIT, a 421 or a greeting that refused the session, as it should (RFC 5321 §3.8, §4.1.1.10).",
                     "在 QUIT、421 或拒绝会话的问候之后，服务器关闭了连接，这是正常的（RFC 5321 §3.8、§4.1.1.10）。")
        case .byServer:
            title = L("The server closed the connection", "服务器关闭了连接")
            text = L("Without a QUIT from you: after a 421, after too many errors, after a timeout, or because the server crashed. A message not yet acknowledged with 250 must be sent again.",
                     "并不是因为你发了 QUIT：可能是在 421 之后、错误太多之后、超时之后，或服务器崩溃了。还没有得到 250 确认的邮件必须重新发送。")
        case .byClient:
            title = L("Connection closed", "连接已关闭")
            text = L("smtpx closed the connection.", "smtpx 关闭了连接。")
        case .error(let words):
            title = L("Connection lost", "连接中断")
            text = L("The connection broke: {0}. A message not yet acknowledged with 250 must be sent again.",
                     "连接中断：{0}。还没有得到 250 确认的邮件必须重新发送。").format(words)
        case .idleTimeout(let seconds):
            title = L("Idle timeout", "空闲超时")
            text = L("Nothing happened for {0} seconds.", "{0} 秒内没有任何活动。").format(seconds)
        }
        return Explanation(kind: .unknown, subject: t(title), title: t(title), recognized: true, sections: [
            .init(paragraphs: [t(text), t(L("Type /connect to connect again.", "输入 /connect 重新连接。"))]),
        ])
    }

    /// The STARTTLS injection: plaintext bytes behind the 220 were refused.
    public func explainRefusedPlaintext(count: Int) -> Explanation {
        Explanation(kind: .unknown, subject: "STARTTLS", title: t(L("Plaintext after STARTTLS refused", "已拒绝 STARTTLS 之后的明文")),
                    recognized: true, sections: [
                        .init(paragraphs: [
                            t(L("{0} bytes arrived after the server's 220 to STARTTLS but before TLS began. Anyone on the path could have put them there; a client that kept them would read them as if they came over TLS (the STARTTLS command injection flaw, CVE-2011-0411 and others). smtpx threw them away, as RFC 3207 §4.2 asks.",
                                "在服务器对 STARTTLS 回复 220 之后、TLS 开始之前，到达了 {0} 个字节。路径上的任何人都可能插入它们；如果客户端保留这些字节，就会把它们当作经 TLS 传来的内容（STARTTLS 命令注入漏洞，例如 CVE-2011-0411）。smtpx 按照 RFC 3207 §4.2 的要求丢弃了它们。").format(count)),
                        ]),
                    ], references: ["RFC 3207 §4.2, §6"])
    }

    /// `/cert` before any TLS session.
    public func explainNoTLS() -> Explanation {
        Explanation(kind: .unknown, subject: "TLS", title: noChainWords, recognized: true, sections: [
            .init(.advice, heading: t(Words.advice), paragraphs: [t(L(
                "Send EHLO, then STARTTLS (or connect with --tls to port 465); /cert then shows the server's certificates.",
                "先发送 EHLO，再发送 STARTTLS（或用 --tls 连接 465 端口）；之后 /cert 会显示服务器的证书。"))]),
        ])
    }

    /// Why there is no chain to show or save.
    public var noChainWords: String {
        t(L("no TLS session: the server has sent no certificate", "没有 TLS 会话：服务器尚未发送证书"))
    }

    /// What a TLS failure means, in words.
    public func describe(_ reason: TLSFailure.Reason) -> String {
        switch reason {
        case .expired(let date):
            return t(L("the certificate expired on {0}", "证书已于 {0} 过期").format(Self.day(date)))
        case .notYetValid(let date):
            return t(L("the certificate is not valid before {0}", "证书在 {0} 之前无效").format(Self.day(date)))
        case .selfSigned:
            return t(L("the certificate is self-signed: nobody vouches for it", "证书是自签名的：没有任何机构为它担保"))
        case .wrongName(let expected, let names):
            return t(L("the certificate is for {0}, not {1}", "证书签发给 {0}，而不是 {1}")
                .format(names.isEmpty ? "?" : names.joined(separator: ", "), expected))
        case .unknownIssuer(let issuer):
            return t(L("the issuer ({0}) is not in the trust store", "签发者（{0}）不在受信任的证书库中").format(issuer))
        case .pinMismatch(let pin):
            return t(L("no certificate of the chain has the pinned key {0}", "证书链中没有任何证书具有固定的密钥 {0}").format(pin))
        case .handshake(let words):
            return t(L("{0}", "握手失败：{0}").format(words))
        }
    }

    /// "TLS failed: why", on the stream, in batch output and as the explanation's title.
    public static let tlsFailed = Localized("TLS failed: {0}", "TLS 失败：{0}")

    /// A failed TLS handshake, with what to do.
    public func explain(tlsFailure failure: TLSFailure) -> Explanation {
        var sections = [Explanation.Section(.problems, heading: t(Words.problems), paragraphs: failure.reasons.map(describe))]
        let certificate = failure.reasons.contains { if case .handshake = $0 { false } else { true } }
        let advice = certificate
            ? L("smtpx did not use this connection. For a test server you trust, connect again with --insecure to see it anyway; the problems stay on screen.",
                "smtpx 没有使用这条连接。如果这是你信任的测试服务器，可以加上 --insecure 重新连接；问题仍会显示在屏幕上。")
            : L("No TLS session was made, so nothing more was sent. If you asked for TLS from the first byte (--tls), check the port: implicit TLS is usually 465, while 25 and 587 begin in plaintext and offer STARTTLS after EHLO. Type /connect to try again.",
                "没有建立 TLS 会话，因此没有再发送任何内容。如果你要求从第一个字节起使用 TLS（--tls），请检查端口：隐式 TLS 通常使用 465，而 25 和 587 端口以明文开始，在 EHLO 之后提供 STARTTLS。输入 /connect 重试。")
        sections.append(.init(.advice, heading: t(Words.advice), paragraphs: [t(advice)]))
        sections += chainSections(failure.chain)
        return Explanation(kind: .unknown, subject: "TLS", title: t(Self.tlsFailed.format(describe(failure.reason))),
                           recognized: true, sections: sections,
                           references: certificate ? ["RFC 6125", "RFC 5280"] : ["RFC 8314 §3", "RFC 3207"])
    }

    /// The negotiated TLS session and the server's chain.
    public func explain(tls info: TLSInfo) -> Explanation {
        var items = [Explanation.Item(t(L("version", "版本")), info.version)]
        if let suite = info.cipherSuite { items.append(.init(t(L("cipher", "密码套件")), suite)) }
        if let exchange = info.keyExchange { items.append(.init(t(L("key exchange", "密钥交换")), exchange)) }
        items.append(.init(t(L("certificate", "证书")), info.verified
            ? t(L("verified against the trust store and the host name", "已根据受信任证书库和主机名验证"))
            : t(L("NOT verified: ", "未通过验证：")) + info.verificationProblems.map(describe).joined(separator: "; ")))
        var sections = [Explanation.Section(items: items)]
        let weaknesses = TLSWeakness.find(in: info, at: Date())
        if !weaknesses.isEmpty {
            sections.append(.init(.problems, heading: t(Words.problems), items: weaknesses.map {
                .init(t(TLSTexts.words($0)), t(TLSTexts.advice($0)))
            }))
        }
        return Explanation(kind: .unknown, subject: "TLS", title: "TLS — " + info.version, recognized: true,
                           sections: sections + chainSections(info.chain), references: ["RFC 3207", "RFC 8446"])
    }

    func chainSections(_ chain: [CertificateSummary], at now: Date = Date()) -> [Explanation.Section] {
        chain.enumerated().map { index, certificate in
            .init(.details, heading: t(L("Certificate {0}", "证书 {0}").format(index)), items: certificateItems(certificate, at: now))
        }
    }

    /// Subject, issuer, names, validity with the days left, key, signature, SHA-256.
    func certificateItems(_ certificate: CertificateSummary, at now: Date) -> [Explanation.Item] {
        var items: [Explanation.Item] = [
            .init(t(L("subject", "主体")), certificate.subject),
            .init(t(L("issuer", "签发者")), certificate.issuer),
            .init(t(L("names", "名称")), certificate.names.joined(separator: ", ")),
            .init(t(L("valid", "有效期")), Self.day(certificate.notBefore) + " – " + Self.day(certificate.notAfter)
                  + " (" + daysLeftText(certificate.daysLeft(at: now)) + ")"),
        ]
        if !certificate.publicKey.isEmpty { items.append(.init(t(L("key", "密钥")), certificate.publicKey)) }
        if !certificate.signatureAlgorithm.isEmpty {
            items.append(.init(t(L("signature", "签名")), certificate.signatureAlgorithm))
        }
        items.append(.init("SHA-256", certificate.sha256))
        return items
    }

    func daysLeftText(_ days: Int) -> String {
        days < 0 ? t(L("expired {0} days ago", "已过期 {0} 天").format(-days)) : t(L("{0} days left", "还剩 {0} 天").format(days))
    }

    /// The TLS session and the chain as plain lines, for batch mode's text output.
    public func tlsFacts(_ info: TLSInfo, at now: Date) -> [String] {
        var lines = [info.version + (info.cipherSuite.map { " " + $0 } ?? "") + (info.keyExchange.map { " (\($0))" } ?? "") + ", "
                     + (info.verified ? t(L("certificate verified", "证书已验证"))
                                      : t(L("NOT verified: ", "未通过验证：")) + info.verificationProblems.map(describe).joined(separator: "; "))]
        for (index, certificate) in info.chain.enumerated() {
            lines.append(t(L("certificate {0}:", "证书 {0}：").format(index)))
            for item in certificateItems(certificate, at: now) { lines.append("  " + item.term + ": " + item.text) }
        }
        return lines
    }

    static func day(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
}
