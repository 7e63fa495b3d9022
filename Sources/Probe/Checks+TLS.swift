import Foundation
import SMTPCore
import SMTPKnowledge

extension Checks {
    /// A reason in both languages, as the explainer words it.
    static func words(_ reason: TLSFailure.Reason) -> Localized {
        L(Explainer(language: .en).describe(reason), Explainer(language: .zh).describe(reason))
    }

    static func tls(_ server: ServerFindings, now: Date) -> [ProbeCheck] {
        var checks: [ProbeCheck] = []
        if let offer = offered(server) { checks.append(offer) }
        checks += versions(server)
        guard let info = server.tlsInfo else { return checks }
        checks.append(cipher(server, info, now: now))
        checks += certificate(server, info, now: now)
        if let after = ehloAfterTLS(server) { checks.append(after) }
        return checks
    }

    /// STARTTLS offered and working; on an implicit-TLS port, the handshake itself.
    static func offered(_ server: ServerFindings) -> ProbeCheck? {
        if server.implicitTLS {
            guard let session = server.session, session.connectFailure == nil else { return nil }
            if session.tls != nil {
                return ProbeCheck("tls.implicit", .tls, server: server.label, .ok, L("Implicit TLS", "隐式 TLS"),
                                  L("The port speaks TLS from the first byte (RFC 8314).", "端口从第一个字节起就是 TLS（RFC 8314）。"))
            }
            return ProbeCheck("tls.implicit", .tls, server: server.label, .problem, L("Implicit TLS fails", "隐式 TLS 失败"),
                              session.tlsFailure.map { words($0.reason) } ?? L("No TLS session could be made.", "无法建立 TLS 会话。"))
        }
        guard let session = server.session, session.greeting?.code == 220, let capabilities = session.capabilitiesBeforeTLS else { return nil }
        guard capabilities.has("STARTTLS") else {
            return ProbeCheck("tls.starttls", .tls, server: server.label, .problem, L("No STARTTLS", "没有 STARTTLS"),
                              L("The server does not offer STARTTLS: every message and password reaches it in the clear, readable on the way.",
                                "服务器不提供 STARTTLS：每封邮件和每个密码都以明文到达，途中可被读取。"))
        }
        guard let stage = server.tls else { return nil }
        let exchange = stage.exchanges(.starttls).first
        if stage.tls != nil {
            return ProbeCheck("tls.starttls", .tls, server: server.label, .ok, L("STARTTLS", "STARTTLS"),
                              L("Offered, and the handshake took {0}.", "已提供，握手用时 {0}。").format(ms(stage.handshakeSeconds)),
                              evidence: exchange?.evidence ?? [])
        }
        let why = stage.tlsFailure.map { words($0.reason) }
            ?? (exchange.map { L("STARTTLS was answered {0}.", "STARTTLS 得到 {0}。").format($0.code) } ?? L("No TLS session.", "没有 TLS 会话。"))
        return ProbeCheck("tls.starttls", .tls, server: server.label, .problem, L("STARTTLS fails", "STARTTLS 失败"),
                          L("STARTTLS is offered but does not work: \(why.en). Senders that insist on TLS cannot deliver; others fall back to plaintext.",
                            "提供了 STARTTLS 但无法使用：\(why.zh)。坚持 TLS 的发信方无法投递；其他的会退回明文。"),
                          evidence: exchange?.evidence ?? [])
    }

    /// Each version on its own: old ones accepted are warnings; neither 1.2 nor 1.3 a problem.
    static func versions(_ server: ServerFindings) -> [ProbeCheck] {
        guard !server.versions.isEmpty else { return [] }
        var checks: [ProbeCheck] = []
        var modern = false
        for version in ["1.0", "1.1", "1.2", "1.3"] {
            guard let stage = server.versions[version] else { continue }
            let accepted = stage.tls != nil
            if accepted && (version == "1.2" || version == "1.3") { modern = true }
            let evidence = accepted ? ["TLSv\(version) " + (stage.tls?.cipherSuite ?? "")]
                : [stage.tlsFailure.map { words($0.reason).en } ?? stage.exchanges(.starttls).first.map { "STARTTLS \($0.code)" } ?? "refused"]
            let verdict: Verdict
            let detail: Localized
            switch (version, accepted) {
            case ("1.0", true), ("1.1", true):
                verdict = .warning
                detail = L("TLS {0} is accepted. RFC 8996 deprecates it; a server should refuse it.", "接受 TLS {0}。RFC 8996 已将其废弃，服务器应当拒绝。").format(version)
            case ("1.0", false), ("1.1", false):
                verdict = .ok
                detail = L("TLS {0} is refused, as RFC 8996 asks.", "拒绝 TLS {0}，符合 RFC 8996。").format(version)
            case ("1.3", false):
                verdict = .note
                detail = L("TLS 1.3 is not offered: 1.2 is still safe, but 1.3 is faster and hides the certificate.", "不提供 TLS 1.3：1.2 仍然安全，但 1.3 更快并且隐藏证书。")
            case (_, true):
                verdict = .ok
                detail = L("TLS {0} is accepted.", "接受 TLS {0}。").format(version)
            default:
                verdict = .ok
                detail = L("TLS {0} is refused.", "拒绝 TLS {0}。").format(version)
            }
            checks.append(ProbeCheck("tls.version.\(version)", .tls, server: server.label, verdict,
                                     L("TLS {0}", "TLS {0}").format(version), detail, evidence: evidence))
        }
        if !modern && server.versions["1.2"] != nil && server.versions["1.3"] != nil {
            checks.append(ProbeCheck("tls.version.modern", .tls, server: server.label, .problem, L("No modern TLS", "没有现代 TLS"),
                                     L("Neither TLS 1.2 nor 1.3 is accepted: senders that follow RFC 8996 cannot use TLS here at all.",
                                       "TLS 1.2 和 1.3 都不接受：遵循 RFC 8996 的发信方在这里根本无法使用 TLS。")))
        }
        return checks
    }

    static func cipher(_ server: ServerFindings, _ info: TLSInfo, now: Date) -> ProbeCheck {
        let evidence = ["\(info.version) \(info.cipherSuite ?? "?")" + (info.keyExchange.map { " (\($0))" } ?? "")]
        let weak = TLSWeakness.find(in: info, at: now).filter {
            switch $0 {
            case .cbcSHA1, .rsaKeyExchange: return true
            default: return false
            }
        }
        if weak.isEmpty {
            return ProbeCheck("tls.cipher", .tls, server: server.label, .ok, L("Cipher suite", "密码套件"),
                              L("{0} with {1} key exchange.", "{0}，密钥交换 {1}。").format(info.cipherSuite ?? "?", info.keyExchange ?? "?"),
                              evidence: evidence)
        }
        return ProbeCheck("tls.cipher", .tls, server: server.label, .warning, L("Weak cipher suite", "弱密码套件"),
                          TLSTexts.warning(weak), evidence: evidence)
    }

    /// The chain: names, validity, key, signature, and what is wrong with it.
    static func certificate(_ server: ServerFindings, _ info: TLSInfo, now: Date) -> [ProbeCheck] {
        guard let leaf = info.chain.first else { return [] }
        var evidence: [String] = []
        for (index, certificate) in info.chain.enumerated() {
            evidence.append("\(index): subject \(certificate.subject); issuer \(certificate.issuer)")
            evidence.append("   names \(certificate.names.joined(separator: ", ")); \(certificate.publicKey); \(certificate.signatureAlgorithm)")
            evidence.append("   valid until \(ISO8601DateFormatter().string(from: certificate.notAfter)) (\(certificate.daysLeft(at: now)) days)")
        }
        var checks: [ProbeCheck] = []
        let problems = info.verificationProblems
        let submission = server.port == 465 || server.port == 587
        let expired = problems.contains { if case .expired = $0 { return true }; return false }
        let missingIntermediate = info.chain.count == 1 && leaf.subject != leaf.issuer
            && problems.contains { if case .unknownIssuer = $0 { return true }; return false }
        if missingIntermediate {
            checks.append(ProbeCheck("tls.chain", .tls, server: server.label, .problem, L("The chain lacks its intermediate", "证书链缺少中间证书"),
                                     L("The server sends only its own certificate, issued by {0}, and not the intermediate that links it to a root: clients cannot verify it. Configure the full chain (leaf, then intermediates).",
                                       "服务器只发送自己的证书（由 {0} 签发），没有发送连到根证书的中间证书：客户端无法验证。请配置完整证书链（先叶证书，再中间证书）。").format(leaf.issuer),
                                     evidence: evidence))
        }
        let others = problems.filter {
            if case .unknownIssuer = $0, missingIntermediate { return false }
            return true
        }
        if others.isEmpty && !missingIntermediate {
            checks.append(ProbeCheck("tls.certificate", .tls, server: server.label, .ok, L("Certificate", "证书"),
                                     L("Verified for {0}, {1} days left.", "已验证，适用于 {0}，还剩 {1} 天。").format(server.host, leaf.daysLeft(at: now)),
                                     evidence: evidence))
        } else if !others.isEmpty {
            // Opportunistic TLS on port 25 does not check certificates (RFC 7435), so a
            // self-signed one is a warning there; submission clients do check.
            let verdict: Verdict = expired || submission ? .problem : .warning
            let reasons = others.map(words)
            checks.append(ProbeCheck("tls.certificate", .tls, server: server.label, verdict, L("Certificate does not verify", "证书无法验证"),
                                     L(reasons.map(\.en).joined(separator: "; ") + (verdict == .warning
                                        ? ". On port 25 most senders use TLS without checking (RFC 7435), but DANE and MTA-STS senders refuse it."
                                        : "."),
                                       reasons.map(\.zh).joined(separator: "；") + (verdict == .warning
                                        ? "。在 25 端口大多数发信方使用 TLS 时不检查证书（RFC 7435），但使用 DANE 和 MTA-STS 的发信方会拒绝。"
                                        : "。")),
                                     evidence: evidence))
        }
        let days = leaf.daysLeft(at: now)
        if days >= 0 && days < TLSWeakness.expiryWarningDays {
            checks.append(ProbeCheck("tls.expiry", .tls, server: server.label, .warning, L("Certificate expires soon", "证书即将过期"),
                                     L("{0} days left: an automatic renewal should have happened by now.", "还剩 {0} 天：自动续期本应已经完成。").format(days),
                                     evidence: ["valid until \(ISO8601DateFormatter().string(from: leaf.notAfter))"]))
        }
        let weakKey = TLSWeakness.find(in: info, at: now).filter {
            switch $0 {
            case .weakKey, .sha1Signature: return true
            default: return false
            }
        }
        if !weakKey.isEmpty {
            checks.append(ProbeCheck("tls.key", .tls, server: server.label, .warning, L("Weak key or signature", "弱密钥或签名"),
                                     TLSTexts.warning(weakKey), evidence: ["\(leaf.publicKey); \(leaf.signatureAlgorithm)"]))
        }
        return checks
    }

    /// What EHLO inside TLS says compared with the one before it.
    static func ehloAfterTLS(_ server: ServerFindings) -> ProbeCheck? {
        guard let stage = server.tls, let before = stage.capabilitiesBeforeTLS, let after = stage.capabilitiesAfterTLS else { return nil }
        let changes = after.changes(from: before)
        let others = changes.added.map { "+ " + $0.text } + changes.removed.filter { $0.keyword != "STARTTLS" }.map { "- " + $0.text }
            + changes.changed.map { "~ \($0.before.text) → \($0.after.text)" }
        let evidence = (changes.removed.contains { $0.keyword == "STARTTLS" } ? ["- STARTTLS"] : []) + others
        if after.has("STARTTLS") {
            return ProbeCheck("tls.ehlo-after", .tls, server: server.label, .warning, L("STARTTLS still offered inside TLS", "TLS 中仍然提供 STARTTLS"),
                              L("EHLO inside TLS still lists STARTTLS, which RFC 3207 §4.2 forbids; a client may try it again and fail.",
                                "TLS 中的 EHLO 仍然列出 STARTTLS，RFC 3207 §4.2 禁止这样做；客户端可能再试一次并失败。"),
                              evidence: evidence)
        }
        return ProbeCheck("tls.ehlo-after", .tls, server: server.label, .ok, L("EHLO inside TLS", "TLS 中的 EHLO"),
                          others.isEmpty ? L("STARTTLS is gone and nothing else changed.", "STARTTLS 消失了，其他没有变化。")
                                         : L("STARTTLS is gone; {0} other changes, listed.", "STARTTLS 消失了；另有 {0} 处变化，见列表。").format(others.count),
                          evidence: evidence)
    }
}

