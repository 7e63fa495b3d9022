import Foundation

/// Writes and reads transcripts: swaks-style text for people, JSON Lines for tools and replay.
public enum TranscriptFormat {
    /// One entry as a text line: its mark, its visible text and, on a reply's last line,
    /// its latency: `<-  250 2.1.0 Ok  (+3ms)`; a reply of several lines also gives the time
    /// to its last line: `(+3ms, last line +5ms)`.
    public static func text(_ entry: TranscriptEntry, showSecrets: Bool = false, timings: Bool = true) -> String {
        var body = entry.isSensitive && !showSecrets ? VisibleText.sanitize(entry.text()) : VisibleText.escape(entry.bytes)
        if timings, let latency = entry.latencySeconds { body += "  (" + latencyText(latency, last: entry.lastLineLatencySeconds) + ")" }
        return "\(entry.mark) \(body)"
    }

    /// "+3.1ms", or "+3.1ms, last line +5.0ms".
    public static func latencyText(_ first: Double, last: Double?) -> String {
        var text = "+\(milliseconds(first))ms"
        if let last, milliseconds(last) != milliseconds(first) { text += ", last line +\(milliseconds(last))ms" }
        return text
    }

    /// One entry as a JSON object on one line, keys in a fixed order.
    public static func jsonLine(_ entry: TranscriptEntry, showSecrets: Bool = false) -> String {
        var fields: [(String, JSONValue)] = [
            ("time", .string(timestamp(entry.time))),
            ("dir", .string(entry.direction.rawValue)),
            ("kind", .string(entry.kind.rawValue)),
            ("tls", .bool(entry.tls)),
        ]
        if let wire = entry.wire, wire != .smtp { fields.append(("protocol", .string(wire.rawValue))) }
        if entry.isSensitive && !showSecrets {
            fields.append(("raw", .string(entry.text() + "\r\n")))
            fields.append(("masked", .bool(true)))
        } else if let text = String(validating: entry.bytes, as: UTF8.self) {
            fields.append(("raw", .string(text)))
        } else {
            fields.append(("raw", .string(String(decoding: entry.bytes, as: UTF8.self))))
            fields.append(("raw_b64", .string(Data(entry.bytes).base64EncodedString())))
        }
        if let code = entry.code { fields.append(("code", .int(code))) }
        if let enhanced = entry.enhancedCode { fields.append(("enhanced", .string(enhanced.description))) }
        if let latency = entry.latencySeconds { fields.append(("latency_ms", .number(millisecondValue(latency)))) }
        if let last = entry.lastLineLatencySeconds { fields.append(("latency_last_ms", .number(millisecondValue(last)))) }
        if let answers = entry.answers { fields.append(("answers", .string(answers))) }
        if let explanation = entry.explanation { fields.append(("explanation", .string(explanation))) }
        if let notes = entry.notes, !notes.isEmpty { fields.append(("notes", .array(notes.map(JSONValue.string)))) }
        if let event = entry.event { fields.append(("event", event.json(at: entry.time))) }
        return JSONValue.object(fields).serialized
    }

    /// What a file handed to replay is.
    public enum Kind: Sendable, Hashable {
        case jsonLines, text, handout, serverLog, unknown
    }

    /// Tells a recording from a Markdown handout and from the practice server's log.
    public static func kind(of contents: String) -> Kind {
        let lines = contents.split(separator: "\n", maxSplits: 200, omittingEmptySubsequences: true).prefix(200)
        if lines.contains(where: { $0.hasPrefix("{") && $0.contains("\"dir\"") }) { return .jsonLines }
        // A handout's code blocks hold `***` lines too: it is told by its title and its C:/S: lines.
        if lines.first?.hasPrefix("# ") == true, lines.contains(where: { $0.hasPrefix("C: ") || $0.hasPrefix("S: ") }) {
            return .handout
        }
        if lines.contains(where: { $0.hasPrefix(" -> ") || $0.hasPrefix("<-  ") || $0.hasPrefix("*** ") || $0.hasPrefix(" ~> ") }) {
            return .text
        }
        if lines.contains(where: isServerLogLine) { return .serverLog }
        return .unknown
    }

    /// `2026-12-01T20:18:04.216Z [127.0.0.1:50240 #1] …`: a line of the practice server's log.
    static func isServerLogLine(_ line: Substring) -> Bool {
        let bytes = Array(line.utf8.prefix(80))
        guard bytes.count > 26, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54,
              bytes[0..<4].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let zone = bytes.firstIndex(of: 0x5A), zone + 2 < bytes.count, bytes[zone + 1] == 0x20, bytes[zone + 2] == 0x5B,
              let close = bytes[zone...].firstIndex(of: 0x5D) else { return false }
        return bytes[zone..<close].contains(0x23)
    }

    /// The dialog of a Markdown handout (`C:`, `S:` and `***` lines in its code blocks).
    public static func readHandout(_ contents: String) -> [TranscriptEntry] {
        var entries: [TranscriptEntry] = []
        var inBlock = false
        let start = Date(timeIntervalSince1970: 0)
        for line in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            guard inBlock else { continue }
            if line.hasPrefix("C: ") {
                entries.append(TranscriptEntry(direction: .sent, bytes: Array((line.dropFirst(3) + "\r\n").utf8), time: start, tls: false))
            } else if line.hasPrefix("S: ") {
                entries.append(TranscriptEntry(direction: .received, bytes: Array((line.dropFirst(3) + "\r\n").utf8), time: start,
                                               tls: false))
            } else if line.hasPrefix("*** ") && !line.hasPrefix("***   ") {
                entries.append(.local(String(line.dropFirst(4)), time: start))
            }
        }
        return entries
    }

    /// Reads a transcript written in either format. Unknown lines are skipped.
    public static func read(_ contents: String) -> [TranscriptEntry] {
        var contents = contents
        return contents.withUTF8 { bytes in
            let pieces = 8
            guard bytes.count > 4 * 1024 * 1024 else { return read(lines: bytes) }
            // A long recording is read in pieces cut at line ends, on every core, in order.
            var cuts = [0]
            for piece in 1..<pieces {
                var cut = bytes.count / pieces * piece
                while cut < bytes.count, bytes[cut] != 0x0A { cut += 1 }
                cuts.append(max(cut, cuts.last!))
            }
            cuts.append(bytes.count)
            let parts = UnsafeMutableBufferPointer<[TranscriptEntry]>.allocate(capacity: pieces)
            parts.initialize(repeating: [])
            defer { parts.deallocate() }
            nonisolated(unsafe) let slots = parts
            nonisolated(unsafe) let whole = bytes
            let bounds = cuts
            DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                slots[piece] = read(lines: UnsafeBufferPointer(rebasing: whole[bounds[piece]..<bounds[piece + 1]]))
            }
            return Array(parts.joined())
        }
    }

    /// The entries of whole lines of bytes.
    static func read(lines bytes: UnsafeBufferPointer<UInt8>) -> [TranscriptEntry] {
        // Lines found on their bytes (LF, or CR LF) in place: splitting a long recording by
        // Characters took longer than reading its JSON, and a generic split made an array of
        // every line first.
        var entries: [TranscriptEntry] = []
        var start = 0
        while start < bytes.count {
            let end = bytes.firstLF(from: start) ?? bytes.count
            var line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            start = end + 1
            if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
            guard let first = line.first else { continue }
            let read = first == UInt8(ascii: "{")
                ? Self.entry(fromJSON: JSONReader.parse(line))
                : Self.entry(fromText: String(decoding: line, as: UTF8.self))
            if let read { entries.append(read) }
        }
        return entries
    }

    static func entry(fromJSON line: [UInt8]) -> TranscriptEntry? {
        entry(fromJSON: JSONValue.parse(bytes: line))
    }

    static func entry(fromJSON object: JSONValue?) -> TranscriptEntry? {
        guard let object,
              let direction = object["dir"]?.string.flatMap(TranscriptEntry.Direction.init(rawValue:))
        else { return nil }
        var bytes: [UInt8]
        if let b64 = object["raw_b64"]?.string, let data = Data(base64Encoded: b64) {
            bytes = Array(data)
        } else {
            bytes = Array((object["raw"]?.string ?? "").utf8)
        }
        if direction == .local, bytes.last == 0x0A { bytes.removeLast() }
        let time = object["time"]?.string.flatMap(parseTimestamp) ?? Date(timeIntervalSince1970: 0)
        var kind = object["kind"]?.string.flatMap(TranscriptEntry.Kind.init(rawValue:))
        if kind?.direction != direction { kind = nil }
        var entry = TranscriptEntry(direction: direction, bytes: bytes, time: time, tls: object["tls"]?.bool ?? false,
                                    answers: object["answers"]?.string,
                                    latencySeconds: object["latency_ms"]?.double.flatMap(Self.recordedLatency))
        if let kind { entry.kind = kind }
        entry.lastLineLatencySeconds = object["latency_last_ms"]?.double.flatMap(Self.recordedLatency)
        if object["masked"]?.bool == true { entry.masked = entry.text() }
        entry.explanation = object["explanation"]?.string
        entry.notes = object["notes"]?.array?.compactMap(\.string)
        entry.wire = object["protocol"]?.string.flatMap(WireProtocol.init(rawValue:))
        entry.event = object["event"].flatMap(LocalEvent.init(json:))
        return entry
    }

    static func entry(fromText line: String) -> TranscriptEntry? {
        let marks: [(String, TranscriptEntry.Direction, Bool)] = [
            (" -> ", .sent, false), (" ~> ", .sent, true), ("<-  ", .received, false),
            ("<~  ", .received, true), ("*** ", .local, false),
        ]
        guard let (mark, direction, tls) = marks.first(where: { line.hasPrefix($0.0) }) else { return nil }
        var body = String(line.dropFirst(mark.count))
        let (latency, last, suffix) = latencySuffix(body)
        body.removeLast(suffix)
        let ending = direction == .local ? "" : "\r\n"
        var entry = TranscriptEntry(direction: direction, bytes: Array((body + ending).utf8),
                                    time: Date(timeIntervalSince1970: 0), tls: tls, latencySeconds: latency)
        entry.lastLineLatencySeconds = last
        return entry
    }

    /// A text line's `  (+3.1ms)` or `  (+3.1ms, last line +5ms)` at its end: the two times in
    /// seconds and how many characters the suffix takes (0 when there is none).
    static func latencySuffix(_ body: String) -> (Double?, Double?, Int) {
        guard body.hasSuffix("ms)"), let open = body.range(of: "  (+", options: .backwards) else { return (nil, nil, 0) }
        let inside = body[open.upperBound..<body.index(body.endIndex, offsetBy: -3)]
        let parts = inside.components(separatedBy: "ms, last line +")
        guard (1...2).contains(parts.count), let first = number(parts[0]) else { return (nil, nil, 0) }
        let second = parts.count == 2 ? number(parts[1]) : nil
        if parts.count == 2 && second == nil { return (nil, nil, 0) }
        return (first / 1000, second.map { $0 / 1000 }, body.distance(from: open.lowerBound, to: body.endIndex))
    }

    /// Digits with at most one ".", as the text form writes milliseconds.
    static func number(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              text.filter({ $0 == "." }).count <= 1 else { return nil }
        return Double(text)
    }

    // MARK: - Helpers

    /// A recorded latency in milliseconds as seconds, if it is one: finite, not negative, under
    /// a day (a record edited or damaged by hand says nothing else).
    static func recordedLatency(_ milliseconds: Double) -> Double? {
        milliseconds.isFinite && milliseconds >= 0 && milliseconds < 86_400_000 ? milliseconds / 1000 : nil
    }

    static func milliseconds(_ seconds: Double) -> String {
        let ms = min(max(seconds.isFinite ? seconds * 1000 : 0, 0), 86_400_000)
        return ms < 10 ? String(format: "%.1f", ms) : String(Int(ms.rounded()))
    }

    /// Milliseconds as JSON writes them: a tenth of a millisecond under 10 ms, whole above.
    static func millisecondValue(_ seconds: Double) -> Double {
        let ms = seconds * 1000
        return ms < 10 ? (ms * 10).rounded() / 10 : ms.rounded()
    }

    public static func timestamp(_ date: Date) -> String {
        var seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var ms = Int(((date.timeIntervalSince1970 - Double(seconds)) * 1000).rounded())
        if ms == 1000 { seconds += 1; ms = 0 }
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        // Digits by hand: String(format:) costs more than the rest of a log line.
        var text: [UInt8] = []
        text.reserveCapacity(24)
        // As %0Nd writes them: a sign counts in the width, more digits than the width all show.
        func put(_ value: Int, _ width: Int, then separator: UInt8?) {
            var width = width
            if value < 0 {
                text.append(0x2D)
                width -= 1
            }
            var digits: [UInt8] = []
            var rest = value.magnitude
            repeat {
                digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            if digits.count < width { text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
            text.append(contentsOf: digits.reversed())
            if let separator { text.append(separator) }
        }
        put(Int(parts.tm_year) + 1900, 4, then: 0x2D)
        put(Int(parts.tm_mon) + 1, 2, then: 0x2D)
        put(Int(parts.tm_mday), 2, then: UInt8(ascii: "T"))
        put(Int(parts.tm_hour), 2, then: 0x3A)
        put(Int(parts.tm_min), 2, then: 0x3A)
        put(Int(parts.tm_sec), 2, then: 0x2E)
        put(ms, 3, then: UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// `2026-12-01T20:18:04.216Z` (what `timestamp` writes) read directly; any other ISO 8601
    /// form through Foundation's formatter, which is a hundred times slower to set up.
    public static func parseTimestamp(_ text: String) -> Date? {
        if let date = parseUTC(Array(text.utf8)) { return date }
        // The longest ISO 8601 time worth reading (nine digits of fraction and an offset) is 35
        // bytes; Foundation's formatter dies on some longer ones (a long fraction: SIGFPE).
        guard text.utf8.count <= 36 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f…]Z`, or nil.
    static func parseUTC(_ bytes: [UInt8]) -> Date? {
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[4] == 0x2D, bytes[7] == 0x2D,
              bytes[10] == UInt8(ascii: "T"), bytes[13] == 0x3A, bytes[16] == 0x3A else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction = 0.0
        if bytes.count > 20 {
            // At most nine digits of fraction, counted before they are read (more would overflow).
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21, bytes.count - 21 <= 9,
                  let digits = number(20..<(bytes.count - 1)) else { return nil }
            fraction = Double(digits) / pow(10, Double(bytes.count - 21))
        } else if bytes[19] != UInt8(ascii: "Z") {
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// A JSON string literal.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // Controls and every invisible scalar of the display policy (``VisibleText``)
                // as escapes: the JSON means the same, a terminal showing it acts on nothing.
                if VisibleText.isShownEscaped(scalar) {
                    out += VisibleText.jsonEscape(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
