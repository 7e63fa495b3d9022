/// A complete POP3 response: its status line, and for a multi-line one the lines up to the
/// lone "." (byte-unstuffed).
public struct POP3Response: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case ok = "+OK", err = "-ERR"
        /// `+ ` and base64: the next step of AUTH (RFC 5034 §4).
        case continuation = "+"
    }

    public var status: Status
    /// The status line's text after the status, safe to show.
    public var text: String
    /// An RFC 2449 response code at the start of the text: `IN-USE`, `SYS/TEMP`, `AUTH`.
    public var code: String?
    /// The lines of a multi-line response, unstuffed, without their CRLF; a RETR's message is
    /// kept up to its blank line (the headers), the rest counted.
    public var lines: [[UInt8]]
    /// Lines of the body not kept.
    public var droppedLines: Int
    /// Octets of the multi-line part as received.
    public var octets: Int
    public var multiline: Bool
    public var anomalies: ReplyAnomalies

    public init(status: Status, text: String, lines: [[UInt8]] = [], droppedLines: Int = 0, octets: Int = 0,
                multiline: Bool = false, anomalies: ReplyAnomalies = []) {
        self.status = status
        self.text = text
        self.code = Self.responseCode(text)
        self.lines = lines
        self.droppedLines = droppedLines
        self.octets = octets
        self.multiline = multiline
        self.anomalies = anomalies
    }

    public var isOK: Bool { status == .ok }

    /// `[IN-USE] …` → `IN-USE`; `[SYS/TEMP]` → `SYS/TEMP` (RFC 2449 §8, RFC 3206).
    static func responseCode(_ text: String) -> String? {
        guard text.hasPrefix("["), let close = text.firstIndex(of: "]") else { return nil }
        let code = text[text.index(after: text.startIndex)..<close]
        guard !code.isEmpty, code.count <= 40, code.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return nil }
        return String(code).uppercased()
    }

    /// Whether a later try may succeed: RFC 3206's SYS/TEMP and RFC 2449's IN-USE and
    /// LOGIN-DELAY are transient; every other -ERR is taken as permanent.
    public var isTransientFailure: Bool {
        guard status == .err, let code else { return false }
        return code.hasPrefix("SYS/TEMP") || code.hasPrefix("IN-USE") || code.hasPrefix("LOGIN-DELAY")
    }

    /// As an SMTP-like class for exit statuses: 2 +OK, 3 a continuation, 4 a transient -ERR, 5 others.
    public var statusClass: Int {
        switch status {
        case .ok: return 2
        case .continuation: return 3
        case .err: return isTransientFailure ? 4 : 5
        }
    }

    /// The `<…>` of an APOP-capable greeting (RFC 1939 §7).
    public var apopTimestamp: String? {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return nil }
        let stamp = String(text[open...close])
        return stamp.contains("@") ? stamp : nil
    }
}

/// Reads POP3 responses from bytes in any chunking. Whether a `+OK` starts a multi-line
/// response depends on the command, so the caller says what it expects next.
public struct POP3ResponseReader: Sendable {
    public enum Event: Sendable, Hashable {
        /// A line as soon as it has arrived (its raw bytes, and whether it ends the response).
        case line(raw: [UInt8], final: Bool, anomalies: ReplyAnomalies)
        case response(POP3Response)
        /// A line that is no status line when one was expected.
        case stray([UInt8])
        /// The end of a cut over-long line: this many bytes were dropped.
        case discarded(Int)
    }

    enum State: Sendable, Hashable {
        case status
        /// After a +OK that starts a multi-line response.
        case body(POP3Response, headers: Bool)
    }

    var buffer: [UInt8] = []
    var start = 0
    var state = State.status
    var skipping = 0
    var queue: [Event] = []
    /// What the next status line opens, oldest first: multi-line or not.
    public var expectations: [Bool] = []
    /// Lines of a RETR body kept for the explanation beyond the headers, and the most header
    /// (or list) lines kept.
    public static let keptBodyLines = 20
    public static let keptHeaderLines = 2000

    func bodyKept(_ response: POP3Response) -> Int {
        guard let blank = response.lines.firstIndex(where: \.isEmpty) else { return 0 }
        return response.lines.count - blank - 1
    }

    public init() {}

    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Bytes not yet read (handed back at STLS, so they are not taken as TLS).
    public mutating func takeUnread() -> [UInt8] {
        let rest = Array(buffer[start...])
        buffer = []
        start = 0
        return rest
    }

    public mutating func next() -> Event? {
        if !queue.isEmpty { return queue.removeFirst() }
        while true {
            let cap: Int
            if case .body = state { cap = POP3Limits.bodyLineCap } else { cap = POP3Limits.responseLineOctets * 8 }
            guard let lf = buffer[start...].firstIndex(of: 0x0A) else {
                if bufferedByteCount > cap {
                    // An endless line: keep reading it, but drop what does not fit.
                    skipping += bufferedByteCount
                    buffer = []
                    start = 0
                }
                compact()
                return nil
            }
            var raw = Array(buffer[start...lf])
            start = lf + 1
            if skipping > 0 {
                let dropped = skipping + raw.count
                skipping = 0
                compact()
                return .discarded(dropped)
            }
            var anomalies = ReplyAnomalies()
            if raw.count < 2 || raw[raw.count - 2] != 0x0D { anomalies.insert(.bareLF) }
            if raw.count > cap {
                raw = Array(raw.prefix(cap))
                anomalies.insert(.overLong)
            }
            compact()
            if let event = take(raw, anomalies) { return event }
        }
    }

    mutating func compact() {
        if start > 65536 || start == buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    static func content(_ raw: [UInt8]) -> [UInt8] {
        var line = raw
        if line.last == 0x0A { line.removeLast() }
        if line.last == 0x0D { line.removeLast() }
        return line
    }

    mutating func take(_ raw: [UInt8], _ anomalies: ReplyAnomalies) -> Event? {
        let line = Self.content(raw)
        switch state {
        case .status:
            var flags = anomalies
            if line.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) { flags.insert(.controlBytes) }
            if line.contains(where: { $0 >= 0x80 }) { flags.insert(.nonASCII) }
            let text = String(decoding: line, as: UTF8.self)
            let status: POP3Response.Status
            let rest: Substring
            if text.hasPrefix("+OK") {
                status = .ok
                rest = text.dropFirst(3)
            } else if text.hasPrefix("-ERR") {
                status = .err
                rest = text.dropFirst(4)
            } else if text.hasPrefix("+ ") || text == "+" {
                status = .continuation
                rest = text.dropFirst(1)
            } else {
                return .stray(raw)
            }
            let multiline = expectations.isEmpty ? false : expectations.removeFirst()
            let response = POP3Response(status: status, text: String(rest.drop { $0 == " " }), multiline: status == .ok && multiline,
                                        anomalies: flags)
            if response.multiline {
                state = .body(response, headers: true)
                return .line(raw: raw, final: false, anomalies: flags)
            }
            queue.append(.response(response))
            return .line(raw: raw, final: true, anomalies: flags)
        case .body(var response, var headers):
            if line == [0x2E] {
                state = .status
                queue.append(.response(response))
                return .line(raw: raw, final: true, anomalies: anomalies)
            }
            // Byte-stuffing (RFC 1939 §3): a line that starts with "." was sent with one more.
            let unstuffed = line.first == 0x2E ? Array(line.dropFirst()) : line
            response.octets += raw.count
            // The headers and the start of the body are kept, never more than a bound.
            let keep = headers ? response.lines.count < Self.keptHeaderLines
                               : response.lines.count < Self.keptHeaderLines && response.droppedLines == 0 && bodyKept(response) < Self.keptBodyLines
            if keep {
                response.lines.append(unstuffed)
            } else {
                response.droppedLines += 1
            }
            if unstuffed.isEmpty { headers = false }
            state = .body(response, headers: headers)
            return .line(raw: raw, final: false, anomalies: anomalies)
        }
    }
}
