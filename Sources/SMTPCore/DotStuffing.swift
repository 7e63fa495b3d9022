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
}
