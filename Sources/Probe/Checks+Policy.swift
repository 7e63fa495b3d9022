import Foundation
import SMTPCore
import SMTPKnowledge

extension Checks {
    static func policy(_ server: ServerFindings) -> [ProbeCheck] {
        guard let session = server.session, session.greeting?.code == 220 else { return [] }
        var checks: [ProbeCheck] = []
        let before = session.capabilitiesBeforeTLS
        // AUTH in the clear (not on an implicit-TLS port, where nothing is in the clear).
        if !server.implicitTLS, let before {
            let plaintext = before.authMechanisms.filter { ["PLAIN", "LOGIN"].contains($0.uppercased()) }
            if !plaintext.isEmpty {
                checks.append(ProbeCheck("policy.auth-before-tls", .policy, server: server.label, .warning,
                                         L("Passwords accepted before TLS", "TLS 之前接受密码"),
                                         L("AUTH {0} is offered before STARTTLS: a client that logs in there sends its password readable on the wire. Offer them only inside TLS (Postfix: smtpd_tls_auth_only = yes).",
                                           "STARTTLS 之前就提供 AUTH {0}：在那里登录的客户端会把密码以可读的形式发出。只在 TLS 中提供它们（Postfix：smtpd_tls_auth_only = yes）。").format(plaintext.joined(separator: " ")),
                                         evidence: before.items.filter { $0.keyword == "AUTH" }.map { "< 250 " + $0.text }))
            } else {
                checks.append(ProbeCheck("policy.auth-before-tls", .policy, server: server.label, .ok,
                                         L("No password in the clear", "没有明文密码"),
                                         before.has("AUTH") ? L("Before TLS only mechanisms that do not send the password are offered.", "TLS 之前只提供不发送密码本身的机制。")
                                                            : L("AUTH is not offered before TLS.", "TLS 之前不提供 AUTH。")))
            }
        }
        // MAIL before STARTTLS, where STARTTLS is offered.
        if !server.implicitTLS, before?.has("STARTTLS") == true, let mail = session.exchanges(.mail).first {
            if mail.code == 250 {
                checks.append(ProbeCheck("policy.mail-before-tls", .policy, server: server.label, .note,
                                         L("Mail accepted without TLS", "不用 TLS 也接收邮件"),
                                         L("MAIL is accepted before STARTTLS. On port 25 that is normal (opportunistic TLS, RFC 3207 §4); a server for known senders only may require TLS.",
                                           "STARTTLS 之前也接受 MAIL。在 25 端口这很正常（机会性 TLS，RFC 3207 §4）；只为已知发信方服务的服务器可以要求 TLS。"),
                                         evidence: mail.evidence))
            } else if mail.code == 530 || mail.enhanced == "5.7.0" {
                checks.append(ProbeCheck("policy.mail-before-tls", .policy, server: server.label, server.port == 25 ? .note : .ok,
                                         L("TLS required before mail", "要求先 TLS 再发信"),
                                         L("MAIL is refused until STARTTLS. On port 25 this refuses senders without TLS (RFC 3207 §4 says a public server must not), on submission it is right.",
                                           "STARTTLS 之前拒绝 MAIL。在 25 端口这会拒绝不用 TLS 的发信方（RFC 3207 §4 规定公开服务器不得如此），在提交端口则是正确的。"),
                                         evidence: mail.evidence))
            }
        }
        let policySession = server.policySession ?? session
        if let null = policySession.exchanges(.mail).first {
            let accepted = null.code == 250
            checks.append(ProbeCheck("policy.null-sender", .policy, server: server.label, accepted ? .ok : .problem,
                                     L("Null sender", "空发信人"),
                                     accepted ? L("MAIL FROM:<> is accepted: bounces and delivery reports can reach this server.", "接受 MAIL FROM:<>：退信和投递报告可以到达这台服务器。")
                                              : L("MAIL FROM:<> is refused, but RFC 5321 §4.5.5 says it must be accepted: bounces and delivery reports to this domain are lost.",
                                                  "拒绝了 MAIL FROM:<>，但 RFC 5321 §4.5.5 要求必须接受：发往这个域的退信和投递报告会丢失。"),
                                     evidence: null.evidence))
        }
        for verb in [Verb.vrfy, .expn] {
            guard let exchange = policySession.exchanges(verb).first else { continue }
            let name = verb == .vrfy ? "VRFY" : "EXPN"
            let discloses = exchange.code == 250 || exchange.code == 251
            checks.append(ProbeCheck("policy.\(name.lowercased())", .policy, server: server.label, discloses ? .note : .ok,
                                     L("{0} postmaster", "{0} postmaster").format(name),
                                     discloses
                                        ? L("{0} confirms addresses: anyone can test which mailboxes exist. RFC 5321 §7.3 allows turning it off (Postfix: disable_vrfy_command = yes).",
                                            "{0} 会确认地址：任何人都能测试哪些邮箱存在。RFC 5321 §7.3 允许关闭它（Postfix：disable_vrfy_command = yes）。").format(name)
                                        : L("{0} does not confirm addresses (reply {1}).", "{0} 不确认地址（回复 {1}）。").format(name, exchange.code),
                                     evidence: exchange.evidence))
        }
        return checks
    }

    /// The relay test: an outside sender to an outside recipient, in every classic form.
    static func relay(_ server: ServerFindings) -> ProbeCheck? {
        guard let session = server.policySession, session.greeting?.code == 220 else { return nil }
        let mails = session.exchanges(.mail)
        guard mails.count >= 2 else { return nil }
        let outsideMail = mails[1]
        let recipients = session.exchanges(.rcpt)
        let evidence = outsideMail.evidence + recipients.flatMap(\.evidence)
        if outsideMail.code != 250 {
            let requiresTLS = outsideMail.code == 530
            return ProbeCheck("relay", .relay, server: server.label, requiresTLS ? .note : .ok,
                              requiresTLS ? L("Relay not tested", "未测试中继") : L("Not an open relay", "不是开放中继"),
                              requiresTLS ? L("The server wants TLS before MAIL, and TLS did not work: relaying could not be tried.", "服务器要求先 TLS 再 MAIL，而 TLS 没有成功：无法测试中继。")
                                          : L("The outside sender is refused before any recipient.", "外部发信人在任何收件人之前就被拒绝了。"),
                              evidence: evidence)
        }
        let forms = ProbeScripts.relayRecipients(serverAddress: server.address)
        let accepted = zip(forms, recipients).filter { $0.1.code / 100 == 2 }.map { $0.0.kind }
        if !accepted.isEmpty {
            return ProbeCheck("relay", .relay, server: server.label, .problem, L("OPEN RELAY", "开放中继"),
                              L("Mail from an outside sender to an outside domain is accepted ({0}). Spammers find such a server within hours and its address ends on blocklists. Accept outside recipients only from authenticated clients (Postfix: smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination).",
                                "外部发信人发往外部域的邮件被接受了（{0}）。垃圾邮件发送者几小时内就会找到这样的服务器，它的地址会进入黑名单。只对已认证的客户端接受外部收件人（Postfix：smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination）。").format(accepted.joined(separator: ", ")),
                              evidence: evidence)
        }
        return ProbeCheck("relay", .relay, server: server.label, .ok, L("Not an open relay", "不是开放中继"),
                          L("All {0} relay attempts (plain, % hack, source route, quoted, @ in the local part) are refused.",
                            "全部 {0} 种中继尝试（普通、% 技巧、源路由、引号、本地部分中的 @）都被拒绝。").format(recipients.count),
                          evidence: evidence)
    }

    /// How long each stage took, and whether errors are answered ever more slowly.
    static func timing(_ server: ServerFindings) -> [ProbeCheck] {
        guard let session = server.session, session.connectFailure == nil else { return [] }
        var lines = ["connect " + ms(session.connectSeconds)]
        if let greeting = session.greeting { lines.append("banner " + ms(greeting.latency)) }
        for verb in [Verb.ehlo, .helo, .mail, .rcpt, .rset, .noop, .quit] {
            let latencies = session.exchanges(verb).compactMap(\.totalLatency)
            if let worst = latencies.max() { lines.append("\(verb.rawValue) " + ms(worst) + (latencies.count > 1 ? " (slowest of \(latencies.count))" : "")) }
        }
        if let handshake = server.tls?.handshakeSeconds { lines.append("TLS handshake " + ms(handshake)) }
        var checks = [ProbeCheck("timing.stages", .timing, server: server.label, .ok, L("Timings", "耗时"),
                                 L("How long each step took (the slowest of each command).", "每一步的耗时（每种命令中最慢的一次）。"),
                                 evidence: lines)]
        let errors = session.exchanges.filter { $0.command != nil && $0.code >= 400 }.compactMap { exchange in
            exchange.totalLatency.map { (exchange, $0) }
        }
        if errors.count >= 3 {
            let first = errors[0].1, last = errors[errors.count - 1].1
            let rising = zip(errors, errors.dropFirst()).filter { $0.1.1 > $0.0.1 + 0.2 }.count
            let evidence = errors.map { "\($0.0.command ?? "") → \($0.0.code) after " + ms($0.1) }
            if last >= 0.5 && last > first + 0.5 && rising >= 1 {
                checks.append(ProbeCheck("timing.tarpit", .timing, server: server.label, .note, L("Errors slow the server down", "出错后服务器变慢"),
                                         L("Each error is answered later ({0} at first, {1} at the end): a tarpit, which makes address harvesting and spam runs slow. A correct sender makes few errors and does not notice.",
                                           "每次出错的回复都更慢（开始 {0}，最后 {1}）：这是“焦油坑”，让收集地址和群发垃圾邮件变慢。正确的发信方很少出错，不会察觉。").format(ms(first), ms(last)),
                                         evidence: evidence))
            } else {
                checks.append(ProbeCheck("timing.tarpit", .timing, server: server.label, .ok, L("No tarpit", "没有焦油坑"),
                                         L("{0} errors were answered without slowing down.", "{0} 次出错的回复没有变慢。").format(errors.count),
                                         evidence: evidence))
            }
        }
        return checks
    }
}
