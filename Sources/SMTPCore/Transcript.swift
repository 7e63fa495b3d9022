import Foundation

/// One line of a conversation: sent, received, or a local event (connect, close, TLS, …).
public struct TranscriptEntry: Sendable, Hashable {
    /// Which way the line went, as records write it (`"dir"`).
    public enum Direction: String, Sendable, Hashable, Codable {
        case sent = "send", received = "recv", local
    }

    /// What the line is. Identity is this value, never the line's words (they are in one of
    /// two languages).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Bytes the client wrote.
        case sent
        /// A line of a reply.
        case received
        /// A line from the server that belongs to no reply.
        case stray
        /// A local event: connecting, closing, a saved file.
        case note
        /// A local event that went wrong or needs attention.
        case warning
        /// A local event about TLS: starting, established.
        case tls

        public var direction: Direction {
            switch self {
            case .sent: return .sent
            case .received, .stray: return .received
            case .note, .warning, .tls: return .local
            }
        }

        public var isLocal: Bool { direction == .local }
    }

    public var kind: Kind
    /// The exact bytes of the line, with its ending; for a local event, its UTF-8 text.
    public var bytes: [UInt8]
    /// Wall-clock time of the line.
    public var time: Date
    /// True when the line travelled inside TLS.
    public var tls: Bool
    /// For a received line: the line of the command its reply answers.
    public var answers: String?
    /// On the last line of a reply: seconds from the last byte of the command to the first
    /// byte of the reply. The one definition of latency in smtpx.
    public var latencySeconds: Double?
    /// On the last line of a reply of several lines: seconds from the command to that line.
    public var lastLineLatencySeconds: Double?
    /// The line as it may be shown when its bytes hold a secret (see ``Secrets``).
    public var masked: String?
    /// An explanation added by batch mode's `--explain`.
    public var explanation: String?
    /// More lines of it: the envelope beside the headers, after a message is accepted.
    public var notes: [String]?
    /// For a local line: what happened, as data (so that a record can be read back).
    public var event: LocalEvent?
    /// The protocol the line belongs to; nil is SMTP.
    public var wire: WireProtocol?

    public init(kind: Kind, bytes: [UInt8], time: Date, tls: Bool, answers: String? = nil,
                latencySeconds: Double? = nil, lastLineLatencySeconds: Double? = nil, masked: String? = nil,
                explanation: String? = nil, event: LocalEvent? = nil) {
        self.kind = kind
        self.bytes = bytes
        self.time = time
        self.tls = tls
        self.answers = answers
        self.latencySeconds = latencySeconds
        self.lastLineLatencySeconds = lastLineLatencySeconds
        self.masked = masked
        self.explanation = explanation
        self.event = event
    }

    /// An entry by direction: a local line is a note.
    public init(direction: Direction, bytes: [UInt8], time: Date, tls: Bool, answers: String? = nil,
                latencySeconds: Double? = nil, masked: String? = nil) {
        let kind: Kind
        switch direction {
        case .sent: kind = .sent
        case .received: kind = .received
        case .local: kind = .note
        }
        self.init(kind: kind, bytes: bytes, time: time, tls: tls, answers: answers, latencySeconds: latencySeconds,
                  masked: masked)
    }

    /// A local line with its words in the language of the moment.
    public static func local(_ text: String, kind: Kind = .note, event: LocalEvent? = nil, time: Date,
                             tls: Bool = false) -> TranscriptEntry {
        TranscriptEntry(kind: kind, bytes: Array(text.utf8), time: time, tls: tls, event: event)
    }

    public var direction: Direction { kind.direction }
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

/// The protocol a conversation speaks.
public enum WireProtocol: String, Sendable, Hashable, Codable {
    case smtp, pop3
}

