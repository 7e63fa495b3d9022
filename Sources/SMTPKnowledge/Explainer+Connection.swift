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
            .init(heading: t(Words.meaning), paragraphs: [t(why)]),
            .init(heading: t(Words.advice), paragraphs: [t(advice), t(L("Type /connect HOST [PORT] to try again.", "输入 /connect 主机 [端口] 重试。"))]),
        ])
    }

    /// Why a connection ended.
    public func explain(close reason: CloseReason, quitSent: Bool) -> Explanation {
        let (title, text): (Localized, Localized)
        switch reason {
        case .byServer where quitSent:
            title = L("The session is over", "会话结束")
            text = L("You sent QUIT and the server closed the connection, as it should (RFC 5321 §4.1.1.10).",
                     "你发送了 QUIT，服务器随即关闭了连接，这是正常的（RFC 5321 §4.1.1.10）。")
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
        case .handshake(let words):
            return t(L("{0}", "握手失败：{0}").format(words))
        }
    }

    /// "TLS failed: why", on the stream, in batch output and as the explanation's title.
    public static let tlsFailed = Localized("TLS failed: {0}", "TLS 失败：{0}")

    /// A failed TLS handshake, with what to do.
    public func explain(tlsFailure failure: TLSFailure) -> Explanation {
        var sections = [Explanation.Section(heading: t(Words.problems), paragraphs: failure.reasons.map(describe))]
        let certificate = failure.reasons.contains { if case .handshake = $0 { false } else { true } }
        let advice = certificate
            ? L("smtpx did not use this connection. For a test server you trust, connect again with --insecure to see it anyway; the problems stay on screen.",
                "smtpx 没有使用这条连接。如果这是你信任的测试服务器，可以加上 --insecure 重新连接；问题仍会显示在屏幕上。")
            : L("No TLS session was made, so nothing more was sent. If you asked for TLS from the first byte (--tls), check the port: implicit TLS is usually 465, while 25 and 587 begin in plaintext and offer STARTTLS after EHLO. Type /connect to try again.",
                "没有建立 TLS 会话，因此没有再发送任何内容。如果你要求从第一个字节起使用 TLS（--tls），请检查端口：隐式 TLS 通常使用 465，而 25 和 587 端口以明文开始，在 EHLO 之后提供 STARTTLS。输入 /connect 重试。")
        sections.append(.init(heading: t(Words.advice), paragraphs: [t(advice)]))
        sections += chainSections(failure.chain)
        return Explanation(kind: .unknown, subject: "TLS", title: t(Self.tlsFailed.format(describe(failure.reason))),
                           recognized: true, sections: sections,
                           references: certificate ? ["RFC 6125", "RFC 5280"] : ["RFC 8314 §3", "RFC 3207"])
    }

    /// The negotiated TLS session and the server's chain.
    public func explain(tls info: TLSInfo) -> Explanation {
        var items = [Explanation.Item(t(L("version", "版本")), info.version)]
        if let suite = info.cipherSuite { items.append(.init(t(L("cipher", "密码套件")), suite)) }
        items.append(.init(t(L("certificate", "证书")), info.verified
            ? t(L("verified against the trust store and the host name", "已根据受信任证书库和主机名验证"))
            : t(L("NOT verified: ", "未通过验证：")) + info.verificationProblems.map(describe).joined(separator: "; ")))
        return Explanation(kind: .unknown, subject: "TLS", title: "TLS — " + info.version, recognized: true,
                           sections: [.init(items: items)] + chainSections(info.chain), references: ["RFC 3207", "RFC 8446"])
    }

    func chainSections(_ chain: [CertificateSummary]) -> [Explanation.Section] {
        chain.enumerated().map { index, certificate in
            .init(heading: t(L("Certificate {0}", "证书 {0}").format(index)), items: [
                .init(t(L("subject", "主体")), certificate.subject),
                .init(t(L("issuer", "签发者")), certificate.issuer),
                .init(t(L("names", "名称")), certificate.names.joined(separator: ", ")),
                .init(t(L("valid", "有效期")), Self.day(certificate.notBefore) + " – " + Self.day(certificate.notAfter)),
                .init("SHA-256", certificate.sha256),
            ])
        }
    }

    static func day(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
}
