import Foundation

/// Writes and reads transcripts: swaks-style text for people, JSON Lines for tools and replay.
public enum TranscriptFormat {
    /// One entry as a text line: its mark, its visible text and, on a reply's last line,
    /// its latency: `<-  250 2.1.0 Ok  (+3ms)`.
    public static func text(_ entry: TranscriptEntry, showSecrets: Bool = false, timings: Bool = true) -> String {
        var body = entry.isSensitive && !showSecrets ? entry.text() : VisibleText.escape(entry.bytes)
        if timings, let latency = entry.latency { body += "  (+\(milliseconds(latency))ms)" }
        return "\(entry.mark) \(body)"
    }

    /// One entry as a JSON object on one line, keys in a fixed order.
    public static func jsonLine(_ entry: TranscriptEntry, showSecrets: Bool = false) -> String {
        var fields: [(String, String)] = [
            ("time", quote(timestamp(entry.time))),
            ("dir", quote(entry.direction.rawValue)),
            ("tls", entry.tls ? "true" : "false"),
        ]
        if entry.isSensitive && !showSecrets {
            fields.append(("raw", quote(entry.text() + "\r\n")))
            fields.append(("masked", "true"))
        } else if let text = String(validating: entry.bytes, as: UTF8.self) {
            fields.append(("raw", quote(text)))
        } else {
            fields.append(("raw", quote(String(decoding: entry.bytes, as: UTF8.self))))
            fields.append(("raw_b64", quote(Data(entry.bytes).base64EncodedString())))
        }
        if let code = entry.code { fields.append(("code", String(code))) }
        if let enhanced = entry.enhancedCode { fields.append(("enhanced", quote(enhanced.description))) }
        if let latency = entry.latency { fields.append(("latency_ms", milliseconds(latency))) }
        if let answers = entry.answers { fields.append(("answers", quote(answers))) }
        if let explanation = entry.explanation { fields.append(("explanation", quote(explanation))) }
        return "{" + fields.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// Reads a transcript written in either format. Unknown lines are skipped.
    public static func read(_ contents: String) -> [TranscriptEntry] {
        contents.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .compactMap { line in
                line.hasPrefix("{") ? entry(fromJSON: String(line)) : entry(fromText: String(line))
            }
    }

    static func entry(fromJSON line: String) -> TranscriptEntry? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let dir = (object["dir"] as? String).flatMap(TranscriptEntry.Direction.init(rawValue:))
        else { return nil }
        var bytes: [UInt8]
        if let b64 = object["raw_b64"] as? String, let data = Data(base64Encoded: b64) {
            bytes = Array(data)
        } else {
            bytes = Array((object["raw"] as? String ?? "").utf8)
        }
        if dir == .local, bytes.last == 0x0A { bytes.removeLast() }
        let time = (object["time"] as? String).flatMap(parseTimestamp) ?? Date(timeIntervalSince1970: 0)
        var entry = TranscriptEntry(direction: dir, bytes: bytes, time: time, tls: object["tls"] as? Bool ?? false,
                                    answers: object["answers"] as? String,
                                    latency: (object["latency_ms"] as? Double).map { $0 / 1000 })
        if object["masked"] as? Bool == true { entry.masked = entry.text() }
        entry.explanation = object["explanation"] as? String
        return entry
    }

    static func entry(fromText line: String) -> TranscriptEntry? {
        let marks: [(String, TranscriptEntry.Direction, Bool)] = [
            (" -> ", .sent, false), (" ~> ", .sent, true), ("<-  ", .received, false),
            ("<~  ", .received, true), ("*** ", .local, false),
        ]
        guard let (mark, direction, tls) = marks.first(where: { line.hasPrefix($0.0) }) else { return nil }
        var body = String(line.dropFirst(mark.count))
        var latency: Double?
        if let range = body.range(of: #"  \(\+[0-9.]+ms\)$"#, options: .regularExpression) {
            let number = body[range].dropFirst(4).dropLast(3)
            latency = Double(number).map { $0 / 1000 }
            body.removeSubrange(range)
        }
        let ending = direction == .local ? "" : "\r\n"
        return TranscriptEntry(direction: direction, bytes: Array((body + ending).utf8),
                               time: Date(timeIntervalSince1970: 0), tls: tls, latency: latency)
    }

    // MARK: - Helpers

    static func milliseconds(_ seconds: Double) -> String {
        let ms = seconds * 1000
        return ms < 10 ? String(format: "%.1f", ms) : String(Int(ms.rounded()))
    }

    public static func timestamp(_ date: Date) -> String {
        var seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var ms = Int(((date.timeIntervalSince1970 - Double(seconds)) * 1000).rounded())
        if ms == 1000 { seconds += 1; ms = 0 }
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), ms)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
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
