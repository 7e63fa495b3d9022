import Conversation
import SMTPCore
import SMTPKnowledge

extension ExplorerScreen {
    /// The whole screen. Mutating only to keep the laid-out explanation for the next frame.
    public mutating func render(width: Int, height: Int, at moment: Moment) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let layout = Layout(width: width, height: height, present: settings.present ? presentation : nil)
        guard layout.fits else {
            let text = UIText.tooSmall.format(Layout.minimumWidth, Layout.minimumHeight)[language]
            canvas.put(TextWidth.truncate(text, to: width), x: 0, y: height / 2, role: .warning)
            return canvas
        }
        let source = explanationSource(at: moment)
        let screen = self
        let laid = explainer.laid(source, width: layout.explainer.width, language: language, guide: guideGeneration) { source in
            var explanation = screen.explanation(for: source)
            if let guide = screen.guide { explanation.sections.insert(guide, at: 0) }
            return explanation
        }
        drawFrame(&canvas, layout, title: laid.title, at: moment)
        stream.draw(StreamPane.Source(log: conversation.log, queued: conversation.queuedLines, language: language,
                                      showSecrets: conversation.config.showSecrets),
                    into: &canvas, rect: layout.stream)
        explainer.draw(laid, into: &canvas, rect: layout.explainer, titleOnDivider: !layout.wide)
        drawInput(&canvas, layout)
        if help.visible && settings.interactive {
            let lines = HelpOverlay.lines(keys: KeyMap.explorer.entries, commands: SlashCommand.all,
                                          footer: [UIText.helpSlashLiteral, UIText.helpClose], language: language,
                                          width: layout.width - 4)
            help.draw(lines, into: &canvas, layout: layout)
        }
        return canvas
    }

    func drawFrame(_ canvas: inout Canvas, _ layout: Layout, title: String, at moment: Moment) {
        Self.drawBorders(&canvas, layout)
        let w = layout.width
        let name = " smtpx "
        var status = " " + StatusBar.text(conversation, label: settings.label, language: language, at: moment) + " "
        if recordingStopped { status = " " + UIText.recordingStopped[language] + " ·" + status }
        let room = w - 4 - TextWidth.of(name)
        canvas.put(TextWidth.truncate(status, to: room), x: 2, y: 0, role: .status)
        canvas.put(name, x: w - 2 - TextWidth.of(name), y: 0, role: .title)
        let footer = settings.present ? UIText.presentFooter : settings.interactive ? UIText.footer : UIText.replayFooter
        canvas.put(" " + TextWidth.truncate(footer[language], to: w - 6) + " ", x: 2, y: layout.height - 1, role: .dim)
        if !layout.wide && layout.explainer.height > 0 {
            canvas.put(" " + TextWidth.truncate(title, to: w - 8) + " ", x: 2, y: layout.divider, role: .heading)
        }
    }

    /// The box, the divider between stream and explainer, the separator above the input.
    static func drawBorders(_ canvas: inout Canvas, _ layout: Layout) {
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
    }

    // MARK: - Input row

    var prompt: String {
        switch Optional(conversation.inputMode) {
        case .messageText?: return "msg> "
        case .chunk(let remaining)?: return "bdat \(remaining)> "
        case .saslResponse?: return "auth> "
        case .command?, nil: return "> "
        }
    }

    func drawInput(_ canvas: inout Canvas, _ layout: Layout) {
        let rect = layout.input
        if let caption = settings.caption {
            canvas.put(TextWidth.truncate(caption[language], to: rect.width), x: rect.x, y: rect.y, role: .hint)
            canvas.cursor = nil
            return
        }
        if let secret {
            secret.draw(into: &canvas, rect: rect, language: language)
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
        switch Optional(conversation.inputMode) {
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
}
