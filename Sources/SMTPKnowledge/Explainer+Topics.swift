extension Explainer {
    /// A mail port: what speaks there and how TLS starts. A port that reads as a reply code too
    /// (110, 465, 587…) is explained as both, the port first.
    public func explain(port: Int) -> Explanation? {
        guard let info = Ports.info(port) else { return nil }
        var sections: [Explanation.Section] = [
            .init(.meaning, heading: t(L("What speaks there", "在这里通信的是什么")), paragraphs: [t(info.speaks)]),
            .init(.details, heading: "TLS", paragraphs: [t(info.tls)]),
        ]
        var references = info.references
        if (100...599).contains(port) {
            let code = explain(replyCode: port)
            sections.append(.init(.other, heading: t(L("As a reply code: {0}", "作为回复码：{0}").format(code.title))))
            sections += code.sections
            references += code.references.filter { !references.contains($0) }
        }
        return Explanation(kind: .port, subject: String(port),
                           title: t(L("Port {0} — {1}", "端口 {0} — {1}").format(port, t(info.title))),
                           recognized: true, sections: sections, references: references)
    }

    /// A topic: MX, the envelope, Bcc, relaying, dot-stuffing, greylisting, SPF, DKIM, DMARC.
    public func explain(topic phrase: String) -> Explanation? {
        guard let info = Topics.info(phrase) else { return nil }
        var sections: [Explanation.Section] = [.init(.meaning, heading: t(Words.meaning), paragraphs: info.paragraphs.map(t))]
        if let tryIt = info.tryIt {
            sections.append(.init(.advice, heading: t(L("Try it", "动手试试")), paragraphs: [t(tryIt)]))
        }
        return Explanation(kind: .topic, subject: info.id, title: t(info.title), recognized: true,
                           sections: sections, references: info.references)
    }

    /// A number that may be a port (1–65535).
    static func port(_ text: String) -> Int? {
        guard (1...5).contains(text.count), text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber),
              let value = Int(text), (1...65535).contains(value) else { return nil }
        return value
    }
}
