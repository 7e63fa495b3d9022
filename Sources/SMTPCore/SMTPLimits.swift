/// The size limits of SMTP, as RFC 5321 §4.5.3.1 names them, and the hard caps smtpx adds
/// so that nothing a peer sends can make a buffer grow without bound.
///
/// The RFC values are minimums a server must accept; real servers exceed some of them, so
/// the parsers *report* a line over the RFC limit and only *cut* a line at the hard cap.
public enum SMTPLimits {
    /// RFC 5321 §4.5.3.1.1: a local-part is at most 64 octets.
    public static let localPartLength = 64
    /// RFC 5321 §4.5.3.1.2: a domain is at most 255 octets.
    public static let domainLength = 255
    /// RFC 5321 §4.5.3.1.3: a reverse-path or forward-path is at most 256 octets,
    /// including the angle brackets.
    public static let pathLength = 256
    /// RFC 5321 §4.5.3.1.4: a command line is at most 512 octets, including the verb
    /// and the final CRLF.
    public static let commandLineLength = 512
    /// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets, including the code and CRLF.
    public static let replyLineLength = 512
    /// RFC 5321 §4.5.3.1.6: a line of message text is at most 1000 octets, including CRLF.
    public static let textLineLength = 1000
    /// RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients in one transaction.
    public static let minimumRecipientBuffer = 100

    /// A reply line longer than this is cut and the rest of it dropped (smtpx's cap,
    /// eight times the RFC limit, so that long but real lines still arrive whole).
    public static let replyLineHardCap = 4096
    /// A multi-line reply keeps at most this many lines; later lines are counted, not kept.
    /// RFC 5321 sets no limit; EHLO replies have a few dozen lines, HELP a few hundred.
    public static let replyLinesHardCap = 1000
    /// The practice server closes the connection on a command line longer than this
    /// instead of buffering it.
    public static let commandLineHardCap = 4096

    /// A client's reply timeout counts silence (RFC 5321 §4.5.3.2 times each wait); one reply
    /// that keeps coming without its last line may take at most this many times the timeout,
    /// and never less than `replyDurationFloorSeconds`.
    public static let replyDurationFactor = 10.0
    public static let replyDurationFloorSeconds = 20.0
}
