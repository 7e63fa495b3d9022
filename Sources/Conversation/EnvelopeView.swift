import SMTPCore
import SMTPKnowledge

/// One accepted message as the log shows it, envelope beside headers: MAIL FROM next to From:,
/// each accepted RCPT TO next to To: and Cc:. A recipient that is only in the envelope is a blind
/// copy; a From: that differs from MAIL FROM is what forged mail looks like. This is the seed
/// documents' central lesson: SMTP has no CC or BCC, only RCPT TO.
struct EnvelopeView {
    var sender: String
    /// Recipients the server accepted, in order.
    var recipients: [String]
    var draft: MessageDraft

    /// The message that ended with the "." at `end`, read back through the log (nil when it
    /// was sent with BDAT, or scrolled away).
    init?(log: ConversationLog, end: Int) {
        var cursor = end - 1
        var lines: [String] = []
        var data: Int?
        let floor = max(log.firstIndex, end - 20_000)
        while cursor >= floor {
            guard let entry = log[cursor] else { return nil }
            if entry.kind == .sent {
                if log.awaited(cursor) != nil, log.display(cursor).uppercased() == "DATA" {
                    data = cursor
                    break
                }
                if log.awaited(cursor) == nil { lines.append(log.display(cursor)) }
            }
            cursor -= 1
        }
        guard let data else { return nil }
        var recipients: [String] = []
        var sender: String?
        cursor = data - 1
        while cursor >= floor, sender == nil {
            if let entry = log[cursor], entry.kind == .sent, log.awaited(cursor) != nil {
                let command = Command(parsing: log.display(cursor))
                switch command.verb {
                case .rcpt?:
                    if Self.accepted(cursor, in: log), let path = command.pathArgument { recipients.insert(path.address, at: 0) }
                case .mail?:
                    sender = command.pathArgument?.address ?? ""
                default:
                    break
                }
            }
            cursor -= 1
        }
        guard let sender else { return nil }
        self.sender = sender
        self.recipients = recipients
        var draft = MessageDraft()
        for line in lines.reversed() {
            // The log holds the lines as sent: dot-stuffing undone here.
            _ = draft.add(line.hasPrefix("..") ? String(line.dropFirst()) : line)
        }
        self.draft = draft
    }

    /// The reply to the RCPT at `index` was 2xx.
    static func accepted(_ index: Int, in log: ConversationLog) -> Bool {
        var cursor = index + 1
        while cursor < min(log.endIndex, index + 5000) {
            if let entry = log[cursor], entry.kind == .received, entry.answers == index, entry.isFinal {
                return (entry.code ?? 0) / 100 == 2
            }
            cursor += 1
        }
        return false
    }

    /// The addresses in a header's value: `Name <a@b>, c@d` gives a@b and c@d.
    static func addresses(_ value: String) -> [String] {
        value.split(separator: ",").compactMap { part in
            if let open = part.lastIndex(of: "<"), let close = part.lastIndex(of: ">"), open < close {
                return String(part[part.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
            }
            let token = part.split(separator: " ").first { $0.contains("@") }
            return token.map(String.init)
        }
    }

    /// The comparison first, then why envelope and header may differ.
    func sections(explainer: Explainer) -> [Explanation.Section] {
        let t = { (text: Localized) in text[explainer.language] }
        let from = draft.value(of: "From")
        let to = draft.values(of: "To").flatMap(Self.addresses).map { $0.lowercased() }
        let cc = draft.values(of: "Cc").flatMap(Self.addresses).map { $0.lowercased() }
        var items: [Explanation.Item] = [
            .init("MAIL FROM", "<\(sender)>" + (sender.isEmpty ? " " + t(Localized("(the null sender: a bounce)", "（空发件人：退信）")) : "")),
            .init("From:", from ?? t(Localized("(no From: header)", "（没有 From: 头）"))),
        ]
        for recipient in recipients {
            let address = recipient.lowercased()
            let place: Localized = to.contains(address) ? Localized("also in To:", "也出现在 To: 中")
                : cc.contains(address) ? Localized("also in Cc:", "也出现在 Cc: 中")
                : Localized("only in the envelope: a blind copy (Bcc), which the other recipients cannot see",
                            "只在信封中：密送（Bcc），其他收件人看不到")
            items.append(.init("RCPT TO <\(recipient)>", t(place)))
        }
        for address in (to + cc) where !recipients.contains(where: { $0.lowercased() == address }) {
            items.append(.init((to.contains(address) ? "To: " : "Cc: ") + address,
                               t(Localized("in the header only: no RCPT TO named it, so it was not sent there",
                                           "只在邮件头中：没有 RCPT TO 指向它，所以邮件没有发到那里"))))
        }
        var paragraphs = [t(Localized(
            "SMTP has no CC or BCC command: every recipient is one RCPT TO. To: and Cc: are text inside the message, for the reader; servers act on the envelope (MAIL FROM, RCPT TO) only.",
            "SMTP 没有 CC 或 BCC 命令：每个收件人都是一条 RCPT TO。To: 和 Cc: 只是邮件里写给读者看的文字；服务器只按信封（MAIL FROM、RCPT TO）行事。"))]
        if let from, !sender.isEmpty, !Self.addresses(from).contains(where: { $0.lowercased() == sender.lowercased() }) {
            paragraphs.append(t(Localized(
                "The From: the reader sees ({0}) is not the envelope sender ({1}). SMTP never checks that they agree, so a From: can say anything: that is how forged mail works, and why it was accepted here. SPF lets a receiver check that the connecting server may send for the envelope sender's domain, DKIM signs the headers with the sending domain's key, and DMARC asks that the From: domain match one of them.",
                "读者看到的 From:（{0}）与信封发件人（{1}）不同。SMTP 从不检查二者是否一致，所以 From: 可以写任何内容：伪造邮件就是这样产生的，这里也因此被接受了。SPF 让收件方检查连接过来的服务器是否有权代表信封发件人的域名发信，DKIM 用发信域名的密钥给邮件头签名，DMARC 则要求 From: 的域名与它们之一相符。")
                .format(from, "<\(sender)>")))
        }
        return [.init(.envelope, heading: t(Localized("Envelope and headers", "信封与邮件头")), items: items),
                .init(.envelope, heading: t(Localized("Why they may differ", "为什么二者可以不同")), paragraphs: paragraphs)]
    }
}
