import SMTPCore

/// The words of a `***` line in the stream, in both languages. Every face (the screen, batch
/// output, records, replay) says a local event with these.
extension LocalEvent {
    /// True when ``Explainer/explain(event:)`` has more to say than the line's words.
    public var isExplained: Bool {
        switch self {
        case .connectFailed, .closed, .tlsEstablished, .tlsFailed, .refusedPlaintext, .timedOut, .replyTooLong, .authRefused,
             .plaintextAuthAllowed, .tlsRequirementUnmet, .startTLSRequired, .serverClosing, .greetingRefused,
             .linesNotSent, .dns, .routeFound, .mxFailed, .mxNone, .routeRefused, .tlsWeak:
            return true
        case .connecting, .connected, .startingTLS, .discarded, .authenticated, .authCancelled, .notConnected, .usage,
             .unknownCommand, .notAvailableHere, .languageSet, .saved, .saveFailed, .recordFailed, .recorded, .mxAttempt,
             .chainSaved:
            return false
        }
    }

    public var words: Localized {
        switch self {
        case .connecting(let host, let port): return L("Trying {0}:{1}…", "正在连接 {0}:{1}…").format(host, port)
        case .connected(let remote, let local):
            return local.isEmpty ? L("Connected to {0}", "已连接到 {0}").format(remote)
                                 : L("Connected to {0} (from {1})", "已连接到 {0}（本地 {1}）").format(remote, local)
        case .connectFailed(let failure): return Self.failureWords(failure)
        case .closed(let reason, _):
            switch reason {
            case .byServer: return L("Connection closed by the server", "服务器关闭了连接")
            case .byClient: return L("Connection closed", "连接已关闭")
            case .error(let words): return L("Connection lost: {0}", "连接中断：{0}").format(words)
            case .idleTimeout(let seconds):
                return L("Nothing from the server for {0} s; connection closed", "服务器 {0} 秒没有任何数据；连接已关闭").format(seconds)
            }
        case .startingTLS: return L("Starting TLS…", "正在启动 TLS…")
        case .tlsEstablished(let info, _):
            let verdict = info.verified ? L("certificate verified", "证书已验证")
                                        : L("certificate NOT verified (--insecure)", "证书未通过验证（--insecure）")
            return L("TLS established: {0}, {1}; {2}", "TLS 已建立：{0}，{1}；{2}")
                .format(info.version, info.cipherSuite ?? "?").formatEach(index: 2) { verdict[$0] }
        case .tlsFailed(let failure):
            return Explainer.tlsFailed.formatEach(index: 0) { language in
                failure.reasons.map { Explainer(language: language).describe($0) }.joined(separator: "; ")
            }
        case .tlsWeak(let weaknesses): return TLSTexts.warning(weaknesses)
        case .chainSaved(let count, let path):
            return L("Saved the server's chain ({0} certificates) to {1}", "已将服务器的证书链（{0} 张证书）保存到 {1}").format(count, path)
        case .refusedPlaintext(let count, let preview):
            return L("{0} bytes arrived in plaintext after the 220 to STARTTLS and were thrown away: {1}",
                     "在 STARTTLS 的 220 之后有 {0} 个字节以明文到达，已被丢弃：{1}").format(count, preview)
        case .discarded(let count):
            return L("{0} more bytes of an over-long line were dropped", "过长行的其余 {0} 个字节已丢弃").format(count)
        case .timedOut(let seconds, let awaiting):
            return L("No reply to {1} for {0} s: giving up (--timeout)", "{0} 秒内没有收到对 {1} 的回复：放弃（--timeout）")
                .format(Self.seconds(seconds), awaiting)
        case .replyTooLong(let seconds):
            return L("A reply went on for {0} s without its last line: giving up", "一个回复持续了 {0} 秒仍没有最后一行：放弃")
                .format(Self.seconds(seconds))
        case .authenticated(let user): return L("Authenticated as {0}", "已认证为 {0}").format(user)
        case .authRefused(let why):
            switch why {
            case .plaintext:
                return L("/auth did not send the secret: the connection is not encrypted (STARTTLS first, or --allow-plaintext-auth)",
                         "/auth 没有发送密码：连接没有加密（请先 STARTTLS，或使用 --allow-plaintext-auth）")
            case .notOffered:
                return L("/auth did not send the secret: the server does not offer AUTH (EHLO lists what it offers)",
                         "/auth 没有发送密码：服务器没有提供 AUTH（EHLO 会列出它提供的功能）")
            case .mechanismNotOffered:
                return L("/auth did not send the secret: the server does not offer that mechanism",
                         "/auth 没有发送密码：服务器没有提供这种机制")
            case .noSecret:
                return L("/auth needs a secret: set SMTPX_SECRET, or run where smtpx can ask on a terminal",
                         "/auth 需要密码：请设置 SMTPX_SECRET，或在 smtpx 能通过终端询问的环境中运行")
            }
        case .plaintextAuthAllowed(let mechanism):
            return L("Sending {0} credentials without encryption, as --allow-plaintext-auth allows",
                     "按照 --allow-plaintext-auth 的允许，在未加密的连接上发送 {0} 凭据").format(mechanism)
        case .authCancelled: return L("AUTH cancelled", "已取消 AUTH")
        case .tlsRequirementUnmet(let why):
            switch why {
            case .notOffered:
                return L("--require-tls: the server does not offer STARTTLS; stopping", "--require-tls：服务器不提供 STARTTLS；停止")
            case .refused: return L("--require-tls: the server refused STARTTLS; stopping", "--require-tls：服务器拒绝了 STARTTLS；停止")
            case .failed: return L("--require-tls: TLS could not be started; stopping", "--require-tls：无法启动 TLS；停止")
            case .plaintextCommand:
                return L("--require-tls: this command would go without TLS; stopping", "--require-tls：这条命令将在没有 TLS 的情况下发送；停止")
            }
        case .startTLSRequired(let before):
            return L("--require-tls: STARTTLS before {0}", "--require-tls：在 {0} 之前先执行 STARTTLS").format(before)
        case .serverClosing(let notSent):
            return notSent == 0
                ? L("The server is closing the connection (421): nothing more is sent", "服务器正在关闭连接（421）：不再发送任何内容")
                : L("The server is closing the connection (421): {0} queued lines are not sent",
                    "服务器正在关闭连接（421）：队列中的 {0} 行不再发送").format(notSent)
        case .greetingRefused(let code):
            return L("The server greeted with {0}, not 220: it will not take mail now", "服务器以 {0} 而不是 220 问候：它现在不接收邮件")
                .format(code)
        case .linesNotSent(let count, let reason):
            switch reason {
            case .dataRefused:
                return L("DATA was refused: the {0} message lines after it are not sent", "DATA 被拒绝：其后的 {0} 行邮件内容不发送")
                    .format(count)
            case .closed: return L("The connection is closed: {0} queued lines are not sent", "连接已关闭：队列中的 {0} 行不发送").format(count)
            case .stopped: return L("{0} queued lines are not sent", "队列中的 {0} 行不发送").format(count)
            }
        case .notConnected: return L("Not connected. Type /connect HOST [PORT].", "尚未连接。请输入 /connect 主机 [端口]。")
        case .usage(let usage): return L("Usage: {0}", "用法：{0}").format(usage)
        case .unknownCommand(let name): return L("Unknown command /{0}; /help lists them.", "未知命令 /{0}；/help 会列出所有命令。").format(name)
        case .notAvailableHere(let name):
            return L("/{0} is not available here", "/{0} 在这里不可用").format(name)
        case .languageSet(let code):
            return code == "zh" ? L("语言：简体中文", "语言：简体中文") : L("Language: English", "Language: English")
        case .saved(let lines, let path): return L("Saved {0} lines to {1}", "已将 {0} 行保存到 {1}").format(lines, path)
        case .saveFailed(let path, let reason): return L("Could not save to {0}: {1}", "无法保存到 {0}：{1}").format(path, reason)
        case .recordFailed(let path, let reason):
            return L("Recording to {0} stopped: {1}", "记录到 {0} 已停止：{1}").format(path, reason)
        case .recorded(let text): return L(text, text)
        case .dns(let step):
            if case .note(let note) = step { return RouteTexts.note(note) }
            let line = RouteReport.line(step)
            return L(line, line)
        case .routeFound(let summary):
            let best = summary.exchangers.first { !$0.addresses.isEmpty }
            let words = L("Route for {0}: {1}", "{0} 的路由：{1}").format(summary.query, summary.result.rawValue)
            guard let best else { return words }
            return words.appending(L("; best: {0} {1} ({2})", "；最优：{0} {1}（{2}）")
                .format(best.preference.map { "MX \($0)" } ?? "A", best.host, best.addresses.joined(separator: " ")))
        case .routeRefused(let input, let problem):
            return L("Cannot look up {0}: ", "无法查找 {0}：").format(input).appending(RouteTexts.problem(problem))
        case .mxAttempt(let preference, let host, let address, let port):
            return L("Trying {0}", "正在尝试 {0}").format(Self.exchanger(preference, host, address, port))
        case .mxFailed(let preference, let host, let address, let port, let reason, let next):
            let what = Self.exchanger(preference, host, address, port)
            let why: Localized
            switch reason {
            case .refused: why = L("refused", "拒绝了连接")
            case .timeout: why = L("did not answer", "没有应答")
            case .unreachable: why = L("is unreachable", "无法到达")
            case .unknownHost, .other: why = L("failed", "连接失败")
            }
            return next ? L("{0} {1}, trying the next", "{0} {1}，尝试下一个").format(what).formatEach(index: 1) { why[$0] }
                        : L("{0} {1}; no exchanger left", "{0} {1}；没有剩下的邮件交换主机").format(what).formatEach(index: 1) { why[$0] }
        case .mxNone(let domain): return L("No exchanger of {0} has an address to connect to", "{0} 没有任何可以连接的邮件交换主机").format(domain)
        }
    }

    /// `MX 10 mx2.example.org [192.0.2.7]:25`.
    static func exchanger(_ preference: Int?, _ host: String, _ address: String, _ port: Int) -> String {
        (preference.map { "MX \($0) " } ?? "") + host + " [\(address)]:\(port)"
    }

    static func failureWords(_ failure: ConnectFailure) -> Localized {
        let target = "\(failure.host):\(failure.port)"
        switch failure.kind {
        case .refused: return L("Connection refused by {0}", "{0} 拒绝了连接").format(target)
        case .unreachable: return L("{0} is unreachable: {1}", "无法到达 {0}：{1}").format(target, failure.detail)
        case .unknownHost where failure.detail.hasPrefix("no IPv"):
            let family = failure.detail.contains("IPv6") ? "IPv6" : "IPv4"
            return L("{0} has no {1} address", "{0} 没有 {1} 地址").format(failure.host, family)
        case .unknownHost: return L("Unknown host {0}", "未知主机 {0}").format(failure.host)
        case .timeout: return L("No answer from {0}", "{0} 没有应答").format(target)
        case .other: return L("Could not connect to {0}: {1}", "无法连接到 {0}：{1}").format(target, failure.detail)
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

extension Localized {
    /// Fills `{index}` with text made for each language.
    func formatEach(index: Int, _ make: (Language) -> String) -> Localized {
        Localized(en.replacingOccurrences(of: "{\(index)}", with: make(.en)),
                  zh.replacingOccurrences(of: "{\(index)}", with: make(.zh)))
    }
}
