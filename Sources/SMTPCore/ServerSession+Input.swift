import Foundation

extension ServerSession {
    /// The transaction in progress, apart from its body.
    struct Envelope: Sendable {
        var sender: String
        var smtputf8: Bool
        var recipients: [Recipient] = []
        var chunked = false
        var failedRecipients = 0
    }

    /// Counts that end or slow a session.
    struct Counters: Sendable {
        var errors = 0
        /// Commands that did no mail work (NOOP, RSET, VRFY, EXPN, HELP).
        var junk = 0
        var recipients = 0
    }
}

/// The message as it arrives: appended in place, dot-stuffing undone, never past the size limit
/// (over it, octets are counted and thrown away). Past `spoolBytes` what is held goes out to the
/// spool (`takeSpool`), so a session holds at most that much of a message in memory.
struct MessageBody: Sendable {
    /// Bytes of a message a session holds before they go to the spool.
    static let spoolBytes = 256 * 1024

    private(set) var data: [UInt8] = []
    private(set) var size = 0
    /// Bytes already handed to the spool, from the message's start.
    private(set) var spooled = 0
    private(set) var oversized = false
    /// The last bytes appended did not end a line.
    var midLine = false

    /// Bytes exactly as they came (a BDAT chunk).
    mutating func append(_ bytes: ArraySlice<UInt8>, limit: Int) {
        size += bytes.count
        guard !oversized else { return }
        if size > limit {
            oversized = true
            data = []
            return
        }
        data.append(contentsOf: bytes)
    }

    /// What is held, once it is over the spool threshold (or `all` of it): it leaves memory.
    mutating func takeSpool(all: Bool = false) -> [UInt8]? {
        guard !oversized, !data.isEmpty, all || data.count >= Self.spoolBytes else { return nil }
        let piece = data
        spooled += piece.count
        data = []
        return piece
    }

    /// Message text after DATA: a line's leading "." was added by the client (RFC 5321 §4.5.2).
    mutating func appendText<Bytes: Collection>(_ bytes: Bytes, atLineStart: Bool, limit: Int) where Bytes.Element == UInt8 {
        var slice = ArraySlice(bytes)
        if atLineStart && slice.first == 0x2E { slice = slice.dropFirst() }
        append(slice, limit: limit)
    }
}

/// The bytes a client sent and the session has not read yet, framed into lines.
struct CommandInput: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    /// The line in progress is over the hard cap: its bytes are dropped up to its LF.
    private var discarding = false
    /// When the first byte of the unfinished line arrived, if one is buffered.
    private(set) var partialSince: Double?
    private var time = 0.0

    enum Command {
        case line([UInt8])
        /// A line over 512 octets (its start); `first` is false for the end of a cut one.
        case tooLong(ArraySlice<UInt8>, first: Bool)
    }

    var pending: Int { buffer.count - start }

    mutating func append<Bytes: Sequence>(_ bytes: Bytes, at time: Double) where Bytes.Element == UInt8 {
        self.time = time
        let before = pending
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
        if before == 0 && pending > 0 { partialSince = time }
    }

    /// A command line: framed at LF (CRLF expected, a bare LF tolerated).
    mutating func nextCommand() -> Command? {
        guard let lf = findLF() else {
            guard pending > SMTPLimits.commandLineHardCap else { return nil }
            let cut = buffer[start..<(start + 80)]
            start = buffer.count
            partialSince = nil
            guard !discarding else { return nil }
            discarding = true
            return .tooLong(ArraySlice(cut), first: true)
        }
        var end = lf
        if end > start && buffer[end - 1] == 0x0D { end -= 1 }
        let line = Array(buffer[start..<end])
        consume(through: lf)
        if discarding {
            discarding = false
            return .tooLong(line.prefix(80), first: false)
        }
        if line.count + 2 > SMTPLimits.commandLineLength { return .tooLong(line.prefix(80), first: true) }
        return .line(line)
    }

    /// What one line of message text did.
    enum TextLine {
        /// No whole line is buffered yet.
        case needMore
        /// The line went into the body.
        case appended
        /// The lone "." that ends the message.
        case end
    }

    /// Moves one line of message text into `body`, straight from the buffer: its leading "."
    /// undone, CRLF kept. Only CRLF "." CRLF ends the message; a line ending in a bare LF is
    /// data, and so is what follows it up to the next CRLF (no smuggling, RFC 5321 §4.1.1.4).
    mutating func nextTextLine(into body: inout MessageBody, limit: Int) -> TextLine {
        guard let lf = findLF() else { return .needMore }
        let crlf = lf > start && buffer[lf - 1] == 0x0D
        let atLineStart = !body.midLine
        if crlf && atLineStart && lf - start == 2 && buffer[start] == 0x2E {
            consume(through: lf)
            return .end
        }
        body.appendText(buffer[start...lf], atLineStart: atLineStart, limit: limit)
        body.midLine = !crlf
        consume(through: lf)
        return .appended
    }

    /// Message text with no LF yet, once it is longer than a command may be: it moves into the
    /// message now (a final CR stays, in case its LF comes next).
    mutating func takeLongPiece() -> ArraySlice<UInt8>? {
        guard pending > SMTPLimits.commandLineHardCap else { return nil }
        let keep = buffer[buffer.count - 1] == 0x0D ? 1 : 0
        let piece = buffer[start..<(buffer.count - keep)]
        start = buffer.count - keep
        return piece
    }

    /// Up to `count` bytes, exactly (a BDAT chunk).
    mutating func take(upTo count: Int) -> ArraySlice<UInt8> {
        let taken = buffer[start..<(start + min(count, pending))]
        start += taken.count
        if pending == 0 { partialSince = nil }
        return taken
    }

    /// Everything buffered is thrown away; returns how many bytes (STARTTLS, RFC 3207 §4.2).
    mutating func discardAll() -> Int {
        let count = pending
        start = buffer.count
        partialSince = nil
        return count
    }

    mutating func compact() {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    private mutating func consume(through lf: Int) {
        start = lf + 1
        // What is left began arriving no later than now: its time is counted from here.
        partialSince = pending > 0 ? time : nil
    }

    private func findLF() -> Int? {
        buffer.withUnsafeBufferPointer { $0.firstLF(from: start) }
    }
}
