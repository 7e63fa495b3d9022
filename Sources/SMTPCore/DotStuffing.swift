/// Transparency for message text (RFC 5321 §4.5.2): a line that starts with "." gets a
/// second "." so that it cannot be taken for the end of the message.
public enum DotStuffing {
    /// The wire bytes of one message line: stuffed, with CRLF.
    public static func stuff(line: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.count + 3)
        if line.first == 0x2E { bytes.append(0x2E) }
        bytes.append(contentsOf: line)
        bytes.append(contentsOf: [0x0D, 0x0A])
        return bytes
    }

    /// A whole message body as it goes after DATA: every line stuffed and ended with CRLF
    /// (bare LF and bare CR are taken as line ends), then the end marker ".".
    public static func encode(message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 32 + 5)
        var atLineStart = true
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == 0x0D || byte == 0x0A {
                output.append(contentsOf: [0x0D, 0x0A])
                if byte == 0x0D && index + 1 < message.count && message[index + 1] == 0x0A { index += 1 }
                atLineStart = true
            } else {
                if atLineStart && byte == 0x2E { output.append(0x2E) }
                output.append(byte)
                atLineStart = false
            }
            index += 1
        }
        if !atLineStart { output.append(contentsOf: [0x0D, 0x0A]) }
        output.append(contentsOf: [0x2E, 0x0D, 0x0A])
        return output
    }

    /// Undoes stuffing on one received line (without its CRLF): the server side.
    public static func unstuff(line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.first == 0x2E ? line.dropFirst() : line
    }
}
