import SMTPCore
import SMTPKnowledge

extension ExplorerModel {
    /// Tells the model the terminal's size (before rendering, and on every resize).
    public mutating func resize(width: Int, height: Int) {
        lastSize = (width, height)
    }

    var streamRows: Int { Layout(width: lastSize.width, height: lastSize.height).stream.height }
    var explainerRows: Int { Layout(width: lastSize.width, height: lastSize.height).explainer.height }

    /// The whole screen.
    public func render(width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let layout = Layout(width: width, height: height)
        guard layout.fits else {
            let text = UIText.tooSmall.format(Layout.minimumWidth, Layout.minimumHeight)[language]
            canvas.put(TextWidth.truncate(text, to: width), x: 0, y: height / 2, role: .warning)
            return canvas
        }
        drawFrame(&canvas, layout)
        StreamPane(stream: stream, scrollOffset: scrollOffset, selected: selected, showLineEndings: showLineEndings,
                   masked: masked).draw(into: &canvas, rect: layout.stream)
        drawExplainer(&canvas, layout)
        drawInput(&canvas, layout)
        if helpVisible { drawHelp(&canvas, layout) }
        return canvas
    }

    // MARK: - Frame and status bar

    func drawFrame(_ canvas: inout Canvas, _ layout: Layout) {
        let (w, h) = (layout.width, layout.height)
        canvas.put("┌" + String(repeating: "─", count: w - 2) + "┐", x: 0, y: 0, role: .border)
        for y in 1..<(h - 1) {
            canvas.put("│", x: 0, y: y, role: .border)
            canvas.put("│", x: w - 1, y: y, role: .border)
        }
        canvas.put("└" + String(repeating: "─", count: w - 2) + "┘", x: 0, y: h - 1, role: .border)
        if layout.wide {
            for y in 1..<layout.separator { canvas.put("│", x: layout.divider, y: y, role: .border) }
            canvas.put("┬", x: layout.divider, y: 0, role: .border)
            canvas.put("├" + String(repeating: "─", count: w - 2) + "┤", x: 0, y: layout.separator, role: .border)
            canvas.put("┴", x: layout.divider, y: layout.separator, role: .border)
        } else {
            canvas.put("├" + String(repeating: "─", count: w - 2) + "┤", x: 0, y: layout.divider, role: .border)
            canvas.put("├" + String(repeating: "─", count: w - 2) + "┤", x: 0, y: layout.separator, role: .border)
        }
        // Status at the top, key hints at the bottom.
        let name = " smtpx "
        let status = " " + statusText() + " "
        let room = w - 4 - TextWidth.of(name)
        canvas.put(TextWidth.truncate(status, to: room), x: 2, y: 0, role: .status)
        canvas.put(name, x: w - 2 - TextWidth.of(name), y: 0, role: .title)
        canvas.put(" " + TextWidth.truncate(UIText.footer[language], to: w - 6) + " ", x: 2, y: h - 1, role: .dim)
        if !layout.wide {
            let title = " " + TextWidth.truncate(explanationLines(width: layout.explainer.width).title, to: w - 8) + " "
            canvas.put(title, x: 2, y: layout.divider, role: .heading)
        }
    }

    /// host:port · address · TLS · auth · phase
    func statusText() -> String {
        var parts: [String] = []
        let target = config.label?[language] ?? host.map { "\($0):\(port)" }
        switch link {
        case .idle:
            parts.append(target ?? UIText.notConnected[language])
            if target != nil { parts.append(UIText.notConnected[language]) }
        case .connecting:
            parts.append(target ?? "")
            parts.append(UIText.connecting[language])
        case .connected(let remote):
            if let target { parts.append(target) }
            // The address, when the host was a name: "mx.example.org:25 · 192.0.2.1".
            let address = remote.hasPrefix("[") ? String(remote.dropFirst().prefix { $0 != "]" })
                                                 : String(remote.prefix { $0 != ":" })
            if let host, host != address { parts.append(address) }
            if let tls {
                parts.append([tls.version, tls.cipherSuite].compactMap { $0 }.joined(separator: " ")
                             + (tls.verified ? "" : " (" + UIText.unverified[language] + ")"))
            } else {
                parts.append(UIText.plaintext[language])
            }
            if let session {
                if session.isAuthenticated { parts.append(UIText.authenticated.format(authUser ?? "")[language]) }
                parts.append(UIText.phase(session.phase, recipients: session.acceptedRecipients)[language])
            }
        case .closed:
            if let target { parts.append(target) }
            parts.append(UIText.phase(.closed, recipients: 0)[language])
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    // MARK: - Explainer

    func drawExplainer(_ canvas: inout Canvas, _ layout: Layout) {
        let rect = layout.explainer
        guard rect.width > 4, rect.height > 0 else { return }
        var lines = explanationLines(width: rect.width).lines
        if !layout.wide, !lines.isEmpty, lines[0].spans.first?.role == .title {
            // The narrow layout shows the title on the divider row.
            lines.removeFirst()
        }
        let top = min(explainerScroll, max(0, lines.count - rect.height))
        for (row, line) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            var x = rect.x
            for span in line.spans {
                x += canvas.put(span.text, x: x, y: rect.y + row, role: Self.role(span.role), limit: rect.maxX - x)
            }
        }
        if lines.count - top > rect.height {
            canvas.put("↓", x: rect.maxX - 1, y: rect.maxY - 1, role: .dim)
        }
        if top > 0 { canvas.put("↑", x: rect.maxX - 1, y: rect.y, role: .dim) }
    }

    static func role(_ role: StyledLine.Role) -> Role {
        switch role {
        case .title: return .title
        case .heading: return .heading
        case .body: return .normal
        case .term: return .term
        case .reference: return .reference
        case .warning: return .warning
        case .error: return .error
        }
    }

    // MARK: - Input line

    var prompt: String {
        switch session?.inputMode {
        case .messageText?: return "msg> "
        case .chunk(let remaining)?: return "bdat \(remaining)> "
        case .saslResponse?: return "auth> "
        case .command?, nil: return "> "
        }
    }

    func drawInput(_ canvas: inout Canvas, _ layout: Layout) {
        let rect = layout.input
        if let caption = config.caption {
            canvas.put(TextWidth.truncate(caption, to: rect.width), x: rect.x, y: rect.y, role: .hint)
            canvas.cursor = nil
            return
        }
        if let prompt = secretPrompt {
            let label = prompt.mechanism == .xoauth2 ? Localized("token: ", "令牌：") : Localized("password: ", "密码：")
            let width = canvas.put(label[language], x: rect.x, y: rect.y, role: .prompt)
            let stars = String(repeating: "*", count: min(prompt.secret.count, rect.width - width - 1))
            canvas.put(stars, x: rect.x + width, y: rect.y, role: .normal)
            canvas.cursor = (rect.x + width + stars.count, rect.y)
            return
        }
        let promptWidth = canvas.put(prompt, x: rect.x, y: rect.y, role: .prompt)
        let available = rect.width - promptWidth - 1
        let characters = input.characters
        // Scroll the text horizontally so the cursor stays visible.
        var start = 0
        var cursorColumn = characters[..<input.cursor].reduce(0) { $0 + TextWidth.of($1) }
        while cursorColumn > available, start < characters.count {
            cursorColumn -= TextWidth.of(characters[start])
            start += 1
        }
        let visible = String(characters[start...])
        let used = canvas.put(visible, x: rect.x + promptWidth, y: rect.y, role: .normal, limit: available)
        canvas.cursor = (rect.x + promptWidth + cursorColumn, rect.y)
        // The syntax of the verb being typed, at the right when there is room.
        if let hint = inputHint() {
            let hintWidth = TextWidth.of(hint)
            if promptWidth + used + hintWidth + 4 <= rect.width {
                canvas.put(hint, x: rect.maxX - hintWidth, y: rect.y, role: .hint)
            }
        }
    }

    func inputHint() -> String? {
        switch session?.inputMode {
        case .messageText?: return input.isEmpty ? Localized("a lone \".\" ends the message", "单独一个「.」结束邮件")[language] : nil
        case .saslResponse?: return Localized("base64, or * to cancel", "base64，或 * 取消")[language]
        case .chunk?: return nil
        case .command?, nil:
            let text = input.text
            if text.hasPrefix("/") {
                let name = text.dropFirst().split(separator: " ").first.map(String.init) ?? ""
                return SlashCommand.all.first { $0.name.hasPrefix(name.lowercased()) }?.usage
            }
            guard let word = text.split(separator: " ").first, let verb = Verb(keyword: word) else { return nil }
            return verb.syntax
        }
    }

    // MARK: - Help

    func helpLines(width: Int) -> [StyledLine] {
        var lines: [StyledLine] = [StyledLine([(UIText.helpTitle[language], .title)]), StyledLine([("", .body)]),
                                   StyledLine([(UIText.helpKeys[language], .heading)])]
        let keyWidth = min(20, KeyMap.bindings.map { TextWidth.of($0.names) }.max() ?? 10)
        for binding in KeyMap.bindings {
            let name = TextWidth.truncate(binding.names, to: keyWidth)
            let pad = String(repeating: " ", count: keyWidth - TextWidth.of(name) + 2)
            for (index, text) in TextWidth.wrap(binding.help[language], width: max(10, width - keyWidth - 4)).enumerated() {
                lines.append(index == 0 ? StyledLine([("  " + name, .term), (pad + text, .body)])
                                        : StyledLine([(String(repeating: " ", count: keyWidth + 4) + text, .body)]))
            }
        }
        lines.append(StyledLine([("", .body)]))
        lines.append(StyledLine([(UIText.helpCommands[language], .heading)]))
        let usageWidth = min(24, SlashCommand.all.map { TextWidth.of($0.usage) }.max() ?? 10)
        for command in SlashCommand.all {
            let usage = TextWidth.truncate(command.usage, to: usageWidth)
            let pad = String(repeating: " ", count: usageWidth - TextWidth.of(usage) + 2)
            for (index, text) in TextWidth.wrap(command.help[language], width: max(10, width - usageWidth - 4)).enumerated() {
                lines.append(index == 0 ? StyledLine([("  " + usage, .term), (pad + text, .body)])
                                        : StyledLine([(String(repeating: " ", count: usageWidth + 4) + text, .body)]))
            }
        }
        lines.append(StyledLine([("", .body)]))
        for text in [UIText.helpSlashLiteral[language], UIText.helpClose[language]] {
            for line in TextWidth.wrap(text, width: width - 2) { lines.append(StyledLine([("  " + line, .body)])) }
        }
        return lines
    }

    func drawHelp(_ canvas: inout Canvas, _ layout: Layout) {
        let rect = Rect(x: 1, y: 1, width: layout.width - 2, height: layout.height - 2)
        canvas.fill(rect)
        canvas.put("│", x: 0, y: layout.separator, role: .border)
        canvas.put("│", x: layout.width - 1, y: layout.separator, role: .border)
        if !layout.wide {
            canvas.put("│", x: 0, y: layout.divider, role: .border)
            canvas.put("│", x: layout.width - 1, y: layout.divider, role: .border)
        }
        let lines = helpLines(width: rect.width - 2)
        let top = min(helpScroll, max(0, lines.count - rect.height))
        for (row, line) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            var x = rect.x + 1
            for span in line.spans {
                x += canvas.put(span.text, x: x, y: rect.y + row, role: Self.role(span.role), limit: rect.maxX - x)
            }
        }
        canvas.cursor = nil
    }
}
