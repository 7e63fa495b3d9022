import Foundation

extension TranscriptFormat {
    /// One logged session of the practice server: its id, the client, when it began.
    public struct LoggedSession: Sendable, Hashable {
        public var id: Int
        public var client: String
        public var started: Date
        public var lines: Int
    }

    /// The sessions a practice-server log holds, in order.
    public static func sessions(inServerLog contents: String) -> [LoggedSession] {
        var found: [Int: LoggedSession] = [:]
        var order: [Int] = []
        for line in contents.split(separator: "\n") {
            guard let parsed = serverLogLine(line) else { continue }
            if found[parsed.id] == nil {
                found[parsed.id] = LoggedSession(id: parsed.id, client: parsed.client, started: parsed.time, lines: 0)
                order.append(parsed.id)
            }
            found[parsed.id]?.lines += 1
        }
        return order.compactMap { found[$0] }
    }

    /// One session of a practice-server log as a recording: `C:` lines sent, `S:` lines
    /// received, TLS from "TLS established" on, a message's text (logged as its size) stood for
    /// by its final ".", the rest as notes.
    public static func entries(inServerLog contents: String, session: Int) -> [TranscriptEntry] {
        var entries: [TranscriptEntry] = []
        var tls = false
        for line in contents.split(separator: "\n") {
            guard let parsed = serverLogLine(line), parsed.id == session else { continue }
            entries += self.entries(fromLogText: parsed.text, time: parsed.time, tls: &tls)
        }
        return entries
    }

    /// What one logged line of a session stands for in a recording; `tls` carries whether the
    /// session is in TLS from one line to the next.
    public static func entries(fromLogText text: String, time: Date, tls: inout Bool) -> [TranscriptEntry] {
        if text.hasPrefix("C: ") {
            let said = String(text.dropFirst(3))
            if said.hasPrefix("(message text: ") && said.hasSuffix("then \".\")") {
                return [.local(said, time: time, tls: tls),
                        TranscriptEntry(direction: .sent, bytes: Array(".\r\n".utf8), time: time, tls: tls)]
            }
            return [TranscriptEntry(direction: .sent, bytes: Array((said + "\r\n").utf8), time: time, tls: tls,
                                    masked: said.contains(Secrets.mask) ? said : nil)]
        }
        if text.hasPrefix("S: ") {
            return [TranscriptEntry(direction: .received, bytes: Array((text.dropFirst(3) + "\r\n").utf8), time: time, tls: tls)]
        }
        if text.hasPrefix("TLS established") { tls = true }
        return [.local(text, time: time, tls: tls)]
    }

    /// `TIME [CLIENT #ID] TEXT`.
    public static func serverLogLine(_ line: Substring) -> (time: Date, client: String, id: Int, text: String)? {
        guard isServerLogLine(line), let space = line.firstIndex(of: " "),
              let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return nil }
        let inside = line[line.index(after: open)..<close]
        guard let hash = inside.lastIndex(of: "#"), let id = Int(inside[inside.index(after: hash)...]) else { return nil }
        guard let time = parseTimestamp(String(line[..<space])) else { return nil }
        let client = inside[..<hash].trimmingCharacters(in: .whitespaces)
        var text = line[line.index(after: close)...]
        if text.hasPrefix(" ") { text = text.dropFirst() }
        return (time, client, id, String(text))
    }
}
