import Foundation
import SMTPCore
import SMTPKnowledge

extension ConversationLog {
    /// The reply a received line belongs to, rebuilt from the log, and the index of the line it
    /// answers. Like the parser, it keeps at most `SMTPLimits.replyLinesHardCap` lines (the first
    /// ones and the last), so a reply of a million lines costs no more than one of a thousand.
    public func reply(containing index: Int) -> (reply: Reply, answers: Int?)? {
        guard let line = self[index], line.kind == .received else { return nil }
        let cap = SMTPLimits.replyLinesHardCap
        let first = max(index - line.replyBack, firstIndex)
        var indexes: [Int] = []
        var cursor = first
        while indexes.count < cap - 1, let current = self[cursor] {
            // A note inside the reply (the tail of a cut line dropped) is passed over.
            if current.isLocal && continues(from: cursor + 1, replyStartingAt: first) {
                cursor += 1
                continue
            }
            guard current.kind == .received else { break }
            indexes.append(cursor)
            if current.isFinal { break }
            cursor += 1
        }
        var dropped = 0
        if let last = indexes.last, self[last]?.isFinal == false {
            // Find the final line, looking a bounded distance past the given line.
            var probe = max(index, last + 1)
            while probe < endIndex, probe - index < cap, let current = self[probe], current.kind == .received {
                if current.isFinal {
                    dropped = probe - last - 1
                    indexes.append(probe)
                    break
                }
                probe += 1
            }
        }
        var lines: [ReplyLine] = []
        var parser = ReplyParser()
        for position in indexes {
            guard let current = self[position] else { continue }
            parser.feed(current.bytes)
            // A line cut at the hard cap was logged without its end: end it here, so the next
            // line is not read as the rest of it.
            if current.bytes.count >= SMTPLimits.replyLineHardCap && current.bytes.last != 0x0A { parser.feed([0x0A]) }
            while let event = parser.next() {
                switch event {
                case .line(let parsed), .stray(let parsed): lines.append(parsed)
                case .reply, .discarded: break
                }
            }
        }
        for event in parser.finish() {
            if case .line(let parsed) = event { lines.append(parsed) }
        }
        guard !lines.isEmpty else { return nil }
        let answers = indexes.last.flatMap { self[$0]?.answers } ?? line.answers
        return (Reply(lines: lines, droppedLineCount: dropped), answers)
    }

    /// Whether the next line past local ones from `index` is a line of the reply that starts at
    /// `first`.
    private func continues(from index: Int, replyStartingAt first: Int) -> Bool {
        var cursor = index
        while let entry = self[cursor], entry.isLocal, cursor - index < 16 { cursor += 1 }
        guard let entry = self[cursor], entry.kind == .received else { return false }
        return cursor - entry.replyBack == first
    }

    /// The line a received line answers, as shown (secrets masked), while it is in the log.
    public func answeredLine(_ index: Int) -> String? {
        guard let answers = self[index]?.answers, self[answers] != nil else { return nil }
        return display(answers)
    }

    /// The command a sent line carried, secrets masked.
    public func command(at index: Int) -> Command? {
        guard let entry = self[index], entry.kind == .sent else { return nil }
        return Command(parsing: display(index))
    }

    /// The index of the first line of the reply a received line belongs to.
    public func replyStart(of index: Int) -> Int? {
        guard let entry = self[index], entry.kind == .received else { return nil }
        return max(firstIndex, index - entry.replyBack)
    }

    /// The index of the last line of the reply that starts at or contains `index`, if it
    /// arrived.
    public func replyEnd(of index: Int) -> Int? {
        var cursor = replyStart(of: index) ?? index
        while let entry = self[cursor], entry.kind == .received {
            if entry.isFinal { return cursor }
            cursor += 1
        }
        return nil
    }

    /// One line as a record: the words of a local event in `language`, the latency on a
    /// reply's last line, what it answers, its masked form.
    public func transcriptEntry(_ index: Int, language: Language) -> TranscriptEntry? {
        guard let entry = self[index] else { return nil }
        let event = events[index]
        let bytes = event.map { Array($0.words[language].utf8) } ?? Array(entry.bytes)
        var record = TranscriptEntry(kind: entry.kind, bytes: bytes, time: entry.time, tls: entry.tls, event: event)
        if wire(at: index) != .smtp { record.wire = wire(at: index) }
        if entry.sensitive { record.masked = masked[index] ?? Secrets.mask }
        if entry.kind == .received {
            if let answers = entry.answers, self[answers] != nil { record.answers = display(answers) }
            if entry.isFinal {
                let first = index - entry.replyBack
                record.latencySeconds = self[first]?.latencySeconds
                if entry.replyBack > 0 { record.lastLineLatencySeconds = entry.lastLineLatencySeconds }
            }
        }
        return record
    }

    /// Every line kept, as a transcript file: JSON Lines or swaks-style text.
    public func transcript(json: Bool, language: Language, showSecrets: Bool) -> (contents: String, lines: Int) {
        var lines: [String] = []
        for index in indices {
            guard let record = transcriptEntry(index, language: language) else { continue }
            lines.append(json ? TranscriptFormat.jsonLine(record, showSecrets: showSecrets)
                              : TranscriptFormat.text(record, showSecrets: showSecrets))
        }
        return (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n"), lines.count)
    }
}
