import Foundation
import SMTPCore
import SMTPKnowledge

/// Milliseconds, as the report shows a time.
func ms(_ seconds: Double?) -> String {
    guard let seconds else { return "?" }
    return seconds < 10 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.1f s", seconds)
}

/// The checks of one server, group by group. Each reads the stages and lookups and says what
/// it found, with the lines that show it.
public enum Checks {
    /// Connect time per address; the first is the session's own connection.
    static func connect(_ server: ServerFindings) -> ProbeCheck {
        let stages = [server.session].compactMap { $0 } + server.reach
        var evidence: [String] = []
        var failed = 0
        for stage in stages {
            if let failure = stage.connectFailure {
                failed += 1
                evidence.append("\(failure.host):\(failure.port) " + failure.kind.rawValue + ": " + failure.detail)
            } else {
                evidence.append("\(stage.remote ?? "?") \(ms(stage.connectSeconds))")
            }
        }
        let reached = stages.count - failed
        if reached == 0 {
            return ProbeCheck("connection.connect", .connection, server: server.label, .problem,
                              L("Could not connect", "无法连接"),
                              L("No address of the server accepted a connection on port {0}.", "服务器没有一个地址在端口 {0} 上接受连接。").format(server.port),
                              evidence: evidence)
        }
        if failed > 0 {
            return ProbeCheck("connection.connect", .connection, server: server.label, .warning,
                              L("Some addresses do not answer", "部分地址无法连接"),
                              L("{0} of {1} addresses accepted a connection; senders that pick a dead one wait for its timeout first.",
                                "{1} 个地址中有 {0} 个接受连接；选中不通地址的发信方要先等待超时。").format(reached, stages.count),
                              evidence: evidence)
        }
        return ProbeCheck("connection.connect", .connection, server: server.label, .ok,
                          L("Connected", "已连接"),
                          L("Every address accepted a connection ({0}).", "每个地址都接受了连接（{0}）。").format(stages.count),
                          evidence: evidence)
    }

    /// The banner: a 220, how long it took, and whether it came in pieces.
    static func banner(_ server: ServerFindings) -> ProbeCheck? {
        guard let session = server.session, session.connectFailure == nil else { return nil }
        guard let greeting = session.greeting else {
            return ProbeCheck("connection.banner", .connection, server: server.label, .problem,
                              L("No banner", "没有问候语"),
                              session.timedOut
                                ? L("The server accepted the connection but sent no 220 greeting in time.", "服务器接受了连接，但没有及时发送 220 问候。")
                                : L("The server closed the connection without a greeting.", "服务器没有问候就关闭了连接。"))
        }
        let evidence = greeting.evidence + ["(" + ms(greeting.latency) + ")"]
        if greeting.code != 220 {
            return ProbeCheck("connection.banner", .connection, server: server.label, .problem,
                              L("The banner refuses the session", "问候语拒绝了会话"),
                              L("The server greets with {0} instead of 220 (RFC 5321 §3.1): it will not take mail from this client.",
                                "服务器以 {0} 而不是 220 问候（RFC 5321 §3.1）：它不接收这个客户端的邮件。").format(greeting.code),
                              evidence: evidence)
        }
        let delay = greeting.latency ?? 0
        let spread = (greeting.lastLatency ?? delay) - delay
        if greeting.reply.lines.count > 1 && spread > 1 {
            return ProbeCheck("connection.banner", .connection, server: server.label, .note,
                              L("The banner comes in pieces", "问候语分段到达"),
                              L("A multi-line 220 whose lines came {0} apart: a pre-greet test (Postfix postscreen) that catches clients which talk before the banner ends. smtpx waited, as a correct client does.",
                                "多行 220，各行相隔 {0} 到达：这是问候前测试（如 Postfix postscreen），用来抓住在问候结束前就说话的客户端。smtpx 像正确的客户端那样等待了。").format(ms(spread)),
                              evidence: evidence)
        }
        if delay > 5 {
            return ProbeCheck("connection.banner", .connection, server: server.label, .note,
                              L("The banner is delayed", "问候语被延迟"),
                              L("The 220 came after {0}: a greet-pause, which stops spam software that talks first; senders wait up to 5 minutes (RFC 5321 §4.5.3.2).",
                                "220 在 {0} 后才到：这是问候暂停（greet-pause），用来挡住抢先说话的垃圾邮件程序；发信方会等待最多 5 分钟（RFC 5321 §4.5.3.2）。").format(ms(delay)),
                              evidence: evidence)
        }
        return ProbeCheck("connection.banner", .connection, server: server.label, .ok,
                          L("Banner", "问候语"), L("220 after {0}.", "{0} 后收到 220。").format(ms(delay)), evidence: evidence)
    }

    /// The address's PTR names, and whether one resolves back to it (FCrDNS).
    static func reverseDNS(_ server: ServerFindings) -> [ProbeCheck] {
        guard let reverse = server.reverse else { return [] }
        let evidence = ["PTR \(reverse.address): " + (reverse.names.isEmpty ? (reverse.failure ?? "none") : reverse.names.joined(separator: ", "))]
            + reverse.names.map { "\($0) → " + (reverse.forward[$0] ?? []).joined(separator: ", ") }
        var checks: [ProbeCheck] = []
        let isPrivate = Self.isPrivate(reverse.address)
        if reverse.names.isEmpty {
            checks.append(ProbeCheck("connection.fcrdns", .connection, server: server.label, isPrivate ? .note : .warning,
                                     L("No reverse DNS", "没有反向解析"),
                                     isPrivate
                                        ? L("The private address {0} has no PTR record; on a LAN that is usual. A server that sends to the Internet needs one.",
                                            "私有地址 {0} 没有 PTR 记录；在局域网里这很常见。向互联网发信的服务器需要一个。").format(reverse.address)
                                        : L("{0} has no PTR record: many receivers refuse or score down mail from an address without one.",
                                            "{0} 没有 PTR 记录：许多收信方会拒收或降低没有反向解析的地址发来的邮件。").format(reverse.address),
                                     evidence: evidence))
        } else if reverse.confirmed.isEmpty {
            checks.append(ProbeCheck("connection.fcrdns", .connection, server: server.label, .warning,
                                     L("Reverse DNS does not resolve back", "反向解析无法正向确认"),
                                     L("The PTR name of {0} does not resolve back to it (forward-confirmed reverse DNS fails); receivers treat such a name as unverified.",
                                       "{0} 的 PTR 名字无法正向解析回这个地址（FCrDNS 失败）；收信方会把这样的名字当作未经确认。").format(reverse.address),
                                     evidence: evidence))
        } else {
            checks.append(ProbeCheck("connection.fcrdns", .connection, server: server.label, .ok,
                                     L("Reverse DNS", "反向解析"),
                                     L("{0} is {1}, which resolves back to it.", "{0} 是 {1}，它能正向解析回来。").format(reverse.address, reverse.confirmed[0]),
                                     evidence: evidence))
        }
        if !reverse.names.isEmpty || server.host != server.address, let names = namesCompared(server, reverse) { checks.append(names) }
        return checks
    }

    /// The banner's and EHLO's names against the PTR name.
    static func namesCompared(_ server: ServerFindings, _ reverse: ReverseDNS) -> ProbeCheck? {
        guard let session = server.session, let greeting = session.greeting, greeting.code == 220 else { return nil }
        let bannerName = greeting.reply.lines.first.map { String($0.visibleText.split(separator: " ").first ?? "") } ?? ""
        let ehloName = session.capabilitiesBeforeTLS?.domain ?? ""
        let known = Set(reverse.confirmed.map { $0.lowercased() } + [server.host.lowercased()])
        let evidence = ["banner: \(bannerName)", "EHLO: \(ehloName)", "PTR: " + reverse.names.joined(separator: ", ")]
        let matches = known.contains(bannerName.lowercased()) && (ehloName.isEmpty || known.contains(ehloName.lowercased()))
        if matches {
            return ProbeCheck("connection.names", .connection, server: server.label, .ok,
                              L("The server's names agree", "服务器的名字一致"),
                              L("The banner and EHLO name the server as its DNS does.", "问候语和 EHLO 中的名字与 DNS 一致。"),
                              evidence: evidence)
        }
        return ProbeCheck("connection.names", .connection, server: server.label, .note,
                          L("The server's names differ", "服务器的名字不一致"),
                          L("The banner or EHLO names the server otherwise than its PTR record and the MX do. Nothing requires them to agree, but receivers and humans reading headers are helped when they do.",
                            "问候语或 EHLO 中的名字与 PTR 记录和 MX 不同。没有规定要求一致，但一致时收信方和读信头的人更容易理解。"),
                          evidence: evidence)
    }

    /// RFC 1918, loopback, link-local and unique-local addresses.
    static func isPrivate(_ address: String) -> Bool {
        let lower = address.lowercased()
        if lower == "::1" || lower.hasPrefix("fe80:") || lower.hasPrefix("fc") || lower.hasPrefix("fd") { return true }
        let parts = address.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4 else { return false }
        return parts[0] == 10 || parts[0] == 127 || (parts[0] == 172 && (16...31).contains(parts[1]))
            || (parts[0] == 192 && parts[1] == 168) || (parts[0] == 169 && parts[1] == 254)
    }

    // MARK: ESMTP

    static func esmtp(_ server: ServerFindings) -> [ProbeCheck] {
        guard let session = server.session, session.greeting?.code == 220 else { return [] }
        var checks: [ProbeCheck] = []
        let ehlo = session.exchanges(.ehlo).first
        if let ehlo, ehlo.code == 250 {
            let capabilities = Capabilities(ehloReply: ehlo.reply)
            let explained = capabilities.items.map { item -> String in
                let meaning = Extensions.info(item.keyword)?.title.en ?? "not a registered extension"
                return item.text + " — " + meaning
            }
            checks.append(ProbeCheck("esmtp.ehlo", .esmtp, server: server.label, .ok,
                                     L("EHLO", "EHLO"),
                                     L("The server speaks ESMTP and announces {0} extensions.", "服务器支持 ESMTP，宣布了 {0} 个扩展。").format(capabilities.items.count),
                                     evidence: ehlo.evidence + explained.map { "  " + $0 }))
        } else {
            checks.append(ProbeCheck("esmtp.ehlo", .esmtp, server: server.label, .problem,
                                     L("EHLO refused", "EHLO 被拒绝"),
                                     L("The server does not answer EHLO with 250: no extension (STARTTLS, SIZE, 8BITMIME) can be used.",
                                       "服务器没有以 250 回答 EHLO：任何扩展（STARTTLS、SIZE、8BITMIME）都无法使用。"),
                                     evidence: ehlo?.evidence ?? []))
        }
        if let helo = session.exchanges(.helo).first {
            let good = helo.code == 250
            checks.append(ProbeCheck("esmtp.helo", .esmtp, server: server.label, good ? .ok : .warning,
                                     L("HELO", "HELO"),
                                     good ? L("HELO is still accepted, as RFC 5321 §4.1.1.1 requires for old clients.", "仍然接受 HELO，符合 RFC 5321 §4.1.1.1 对旧客户端的要求。")
                                          : L("HELO is refused: RFC 5321 §4.1.1.1 says a server must accept it, and old clients and devices send nothing else.",
                                              "HELO 被拒绝：RFC 5321 §4.1.1.1 要求服务器接受它，旧的客户端和设备只会发送 HELO。"),
                                     evidence: helo.evidence))
        }
        if let size = sizeCheck(server, session) { checks.append(size) }
        if let pipelining = pipeliningCheck(server) { checks.append(pipelining) }
        return checks
    }

    static func sizeCheck(_ server: ServerFindings, _ session: StageRecord) -> ProbeCheck? {
        guard let capabilities = session.capabilitiesBeforeTLS else { return nil }
        guard capabilities.has("SIZE") else {
            return ProbeCheck("esmtp.size", .esmtp, server: server.label, .note, L("No SIZE", "没有 SIZE"),
                              L("The server does not say how large a message may be (RFC 1870): a sender finds out only after sending it all.",
                                "服务器没有说明邮件最大多大（RFC 1870）：发信方要发完整封邮件才知道。"))
        }
        let limit = capabilities.sizeLimit ?? 0
        let megabytes = Double(limit) / 1_048_576
        let words = limit == 0 ? "no fixed limit" : String(format: "%.1f MiB", megabytes)
        let evidence = ["SIZE \(limit) (\(words))"]
        if limit == 0 || megabytes >= 25 {
            return ProbeCheck("esmtp.size", .esmtp, server: server.label, .ok, L("Message size limit", "邮件大小上限"),
                              L("{0}: as large as the big mail providers take (25–50 MB).", "{0}：与大型邮件服务商相当（25–50 MB）。").format(words), evidence: evidence)
        }
        if megabytes >= 10 {
            return ProbeCheck("esmtp.size", .esmtp, server: server.label, .note, L("Message size limit", "邮件大小上限"),
                              L("{0}: below the 25 MB that Gmail and Outlook accept; a large attachment from them bounces here. Base64 makes an attachment a third larger.",
                                "{0}：低于 Gmail 和 Outlook 接受的 25 MB；从那里发来的大附件会在这里被退回。Base64 编码会让附件大三分之一。").format(words), evidence: evidence)
        }
        return ProbeCheck("esmtp.size", .esmtp, server: server.label, .warning, L("Small message size limit", "邮件大小上限偏小"),
                          L("{0}: under 10 MB, everyday attachments bounce.", "{0}：小于 10 MB，日常附件都会被退回。").format(words), evidence: evidence)
    }

    /// PIPELINING announced, and a pipelined group answered in order.
    static func pipeliningCheck(_ server: ServerFindings) -> ProbeCheck? {
        guard let announced = server.session?.capabilitiesBeforeTLS?.has("PIPELINING") else { return nil }
        guard announced else {
            return ProbeCheck("esmtp.pipelining", .esmtp, server: server.label, .note, L("No PIPELINING", "没有 PIPELINING"),
                              L("Every command waits for its reply: slower for senders over long distances (RFC 2920).",
                                "每条命令都要等回复：对远距离的发信方更慢（RFC 2920）。"))
        }
        guard let stage = server.pipelining else { return nil }
        let group = stage.exchanges.filter { [.mail, .rcpt, .rset].contains($0.verb) }
        let evidence = group.flatMap(\.evidence)
        let expected: [Verb] = [.mail, .rcpt, .rset]
        let inOrder = group.map(\.verb) == expected && group.count == 3
            && (group[0].enhanced.map { $0.hasSuffix(".1.0") || !$0.hasPrefix("2") } ?? true)
            && !group.contains { $0.code == 503 || $0.code == 500 }
        if inOrder && group[0].code == 250 && group[2].code == 250 {
            return ProbeCheck("esmtp.pipelining", .esmtp, server: server.label, .ok, L("PIPELINING", "PIPELINING"),
                              L("MAIL, RCPT and RSET went in one write and their replies came back in order.", "MAIL、RCPT 和 RSET 一次写出，回复按顺序返回。"),
                              evidence: evidence)
        }
        return ProbeCheck("esmtp.pipelining", .esmtp, server: server.label, .problem, L("PIPELINING is not honoured", "PIPELINING 没有被遵守"),
                          L("PIPELINING is announced, but a pipelined MAIL, RCPT, RSET did not get three replies in order: senders that pipeline (most) fail here.",
                            "服务器宣布了 PIPELINING，但成组发送的 MAIL、RCPT、RSET 没有按顺序得到三条回复：大多数会成组发送的发信方会在这里失败。"),
                          evidence: evidence)
    }
}
