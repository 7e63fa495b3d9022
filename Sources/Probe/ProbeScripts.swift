import SMTPCore

// Theory of operation
//
// A probe is a handful of short SMTP sessions, each a script run through the conversation
// engine as batch mode runs one: the first looks at the plaintext session (EHLO, HELO, VRFY,
// EXPN, the null sender, the relay attempts, a few unknown commands to see whether errors slow
// the server down), the second at STARTTLS and what EHLO says inside it, one pipelines a
// transaction, and one per TLS version asks for that version alone. No script has DATA or BDAT:
// `ProbeScripts.isSafe` is asserted of every line before it is handed to the engine, and every
// transaction ends with RSET, then QUIT.

/// The lines of each stage of a probe.
public enum ProbeScripts {
    /// The outside addresses the relay test uses: example.net and example.com are reserved
    /// (RFC 2606), so a relay that accepted one delivers nowhere real.
    public static let outsideSender = "smtpx-probe@example.com"
    public static let outsideRecipient = "relay-test@example.net"

    /// The RCPT forms of the relay test, with what each tries (RFC 5321 §3.6, §4.1.1.3; the
    /// classic tricks that fooled old sendmail and qmail rules).
    public static func relayRecipients(serverAddress: String) -> [(kind: String, path: String)] {
        let literal = "[\(serverAddress.contains(":") ? "IPv6:" + serverAddress : serverAddress)]"
        let outside = outsideRecipient
        let local = String(outside.split(separator: "@")[0])
        return [
            ("plain", "<\(outside)>"),
            ("percent-hack", "<\(local)%example.net@\(literal)>"),
            ("source-route", "<@\(literal):\(outside)>"),
            ("quoted", "<\"\(outside)\">"),
            ("quoted-at-literal", "<\"\(outside)\"@\(literal)>"),
            ("at-in-local-part", "<\(outside)@\(literal)>"),
        ]
    }

    /// Unknown commands sent one by one: a server that answers each later than the one before
    /// is tarpitting (slowing down clients that make errors).
    public static let tarpitProbes = 4

    /// The plaintext (or, on 465, implicit TLS) session. `startTLS` first when the server
    /// refused MAIL before STARTTLS, so that the policy and relay checks see the real rules.
    public static func session(helo: String, serverAddress: String, startTLS: Bool) -> [String] {
        var lines = ["EHLO \(helo)"]
        if startTLS { lines += ["STARTTLS", "EHLO \(helo)"] }
        lines += ["HELO \(helo)", "EHLO \(helo)", "VRFY postmaster", "EXPN postmaster", "MAIL FROM:<>", "RSET",
                  "MAIL FROM:<\(outsideSender)>"]
        lines += relayRecipients(serverAddress: serverAddress).map { "RCPT TO:\($0.path)" }
        lines += ["RSET", "NOOP"]
        lines += (1...tarpitProbes).map { "XSMTPXPROBE\($0)" }
        lines.append("QUIT")
        return lines
    }

    /// STARTTLS and the EHLO inside it; the null sender is asked again inside TLS.
    public static func tls(helo: String) -> [String] {
        ["EHLO \(helo)", "STARTTLS", "EHLO \(helo)", "MAIL FROM:<>", "RSET", "QUIT"]
    }

    /// One pipelined transaction (RFC 2920): MAIL, RCPT and RSET go in one write.
    public static func pipelining(helo: String, startTLS: Bool) -> [String] {
        ["EHLO \(helo)"] + (startTLS ? ["STARTTLS", "EHLO \(helo)"] : []) + ["MAIL FROM:<>", "RCPT TO:<postmaster>", "RSET", "QUIT"]
    }

    /// A handshake at one TLS version; nothing is asked inside it.
    public static func version(helo: String, implicitTLS: Bool) -> [String] {
        implicitTLS ? ["QUIT"] : ["EHLO \(helo)", "STARTTLS", "QUIT"]
    }

    /// Connect and leave: the connect time of another address of the server.
    public static let reach = ["QUIT"]

    /// A line a probe may send: never one that starts a message.
    public static func isSafe(_ line: String) -> Bool {
        let verb = line.split(separator: " ", maxSplits: 1).first.map { $0.uppercased() } ?? ""
        return verb != "DATA" && verb != "BDAT" && !line.hasPrefix("/")
    }
}
