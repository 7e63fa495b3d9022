import Foundation

/// One line of a conversation: sent, received, or a local event (connect, close, TLS, …).
public struct TranscriptEntry: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, Codable {
        case sent = "send", received = "recv", local
    }

    public var direction: Direction
    /// The exact bytes of the line, with its ending; for a local event, its UTF-8 text.
    public var bytes: [UInt8]
    /// Wall-clock time of the line.
    public var time: Date
    /// True when the line travelled inside TLS.
    public var tls: Bool
    /// For a received line: the line of the command its reply answers.
    public var answers: String?
    /// For the last line of a reply: seconds between the command and the reply.
    public var latency: Double?
    /// The line as it may be shown when its bytes hold a secret (see ``Secrets``).
    public var masked: String?
    /// An explanation added by batch mode's `--explain`.
    public var explanation: String?

    public init(direction: Direction, bytes: [UInt8], time: Date, tls: Bool, answers: String? = nil,
                latency: Double? = nil, masked: String? = nil, explanation: String? = nil) {
        self.direction = direction
        self.bytes = bytes
        self.time = time
        self.tls = tls
        self.answers = answers
        self.latency = latency
        self.masked = masked
        self.explanation = explanation
    }

    public static func local(_ text: String, time: Date, tls: Bool = false) -> TranscriptEntry {
        TranscriptEntry(direction: .local, bytes: Array(text.utf8), time: time, tls: tls)
    }

    public var isSensitive: Bool { masked != nil }

    /// The reply code of a received line.
    public var code: Int? {
        guard direction == .received, bytes.count >= 3,
              bytes[0...2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: bytes[0...2], as: UTF8.self))
    }

    /// The enhanced status code at the start of a received line's text.
    public var enhancedCode: EnhancedStatusCode? {
        guard code != nil, bytes.count > 4 else { return nil }
        return EnhancedStatusCode.parsePrefix(bytes[4...])?.0
    }

    /// The line without its ending, secrets masked unless `showSecrets`.
    public func text(showSecrets: Bool = false) -> String {
        if let masked, !showSecrets { return masked }
        var content = bytes[...]
        if content.last == 0x0A { content = content.dropLast() }
        if content.last == 0x0D { content = content.dropLast() }
        return String(decoding: content, as: UTF8.self)
    }

    /// The swaks mark of the line: `->` sent, `<-` received, `~>` `<~` under TLS, `***` local.
    public var mark: String {
        switch (direction, tls) {
        case (.sent, false): return " ->"
        case (.sent, true): return " ~>"
        case (.received, false): return "<- "
        case (.received, true): return "<~ "
        case (.local, _): return "***"
        }
    }
}
