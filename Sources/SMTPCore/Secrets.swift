/// Masking of credentials in what smtpx shows and records. The real bytes still go to
/// the server; only the display and the transcript are masked.
public enum Secrets {
    public static let mask = "********"

    /// The command as it may be shown: an AUTH initial response is masked (RFC 4954 §4).
    public static func masked(_ command: Command) -> String {
        guard command.verb == .auth else { return command.line }
        let parts = command.argument.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return command.line }
        let response = parts[1].trimming(" ")
        if response == "=" { return command.line }
        return "\(command.keyword) \(parts[0]) \(mask)"
    }

}

extension StringProtocol {
    /// This text without any of `characters` at either end.
    func trimming(_ characters: String) -> String {
        var text = self[...]
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }

    /// This text without spaces at either end.
    var trimmingSpaces: String { trimming(" ") }
}
