import Foundation

/// Something that happened on this side of a conversation, shown as a `***` line. It is data,
/// so that its words follow the language of the moment, its explanation can be built when it
/// is selected, and a JSON record can be read back by replay.
public enum LocalEvent: Sendable, Hashable {
    case connecting(host: String, port: Int)
    case connected(remote: String, local: String)
    case connectFailed(ConnectFailure)
    /// The connection ended; `expected` after QUIT, a 421 or a refused greeting.
    case closed(CloseReason, expected: Bool)
    case startingTLS
    /// TLS is up; `upgrade` after STARTTLS (the server forgot the session: EHLO again).
    case tlsEstablished(TLSInfo, upgrade: Bool)
    case tlsFailed(TLSFailure)
    /// The TLS session works but has these weaknesses (old version, weak suite, expiry near).
    case tlsWeak([TLSWeakness])
    /// The server's chain was written as PEM (`--save-chain`, `/cert save`).
    case chainSaved(certificates: Int, path: String)
    /// Plaintext bytes behind the 220 to STARTTLS, thrown away (RFC 3207 §4.2).
    case refusedPlaintext(count: Int, preview: String)
    /// The end of a cut over-long line was dropped.
    case discarded(byteCount: Int)
    /// Nothing came from the server for this long while a reply was awaited.
    case timedOut(seconds: Double, awaiting: String)
    /// A reply went on for this long without its last line (a flood of continuation lines).
    case replyTooLong(seconds: Double)
    case authenticated(user: String)
    /// `/auth` was not started: the reason.
    case authRefused(AuthRefusal)
    /// A secret goes over a connection without TLS because the user allowed it.
    case plaintextAuthAllowed(mechanism: String)
    case authCancelled
    /// `--require-tls` is not met: the run stops.
    case tlsRequirementUnmet(TLSRequirementFailure)
    /// smtpx sent STARTTLS on its own because `--require-tls` asks for TLS before this command.
    case startTLSRequired(before: String)
    /// A 421: the server is closing; lines still queued are not sent.
    case serverClosing(notSent: Int)
    /// The greeting was not 220: the server will not take mail in this session.
    case greetingRefused(code: Int)
    /// Queued lines that were not sent, and why.
    case linesNotSent(count: Int, reason: NotSentReason)
    case notConnected
    /// A slash command used wrongly: its usage.
    case usage(String)
    case unknownCommand(String)
    /// A slash command this face does not have (batch mode has no `/clear`).
    case notAvailableHere(String)
    case languageSet(String)
    case saved(lines: Int, path: String)
    case saveFailed(path: String, reason: String)
    case recordFailed(path: String, reason: String)
    /// A line from a record that carried only its words.
    case recorded(String)
    /// A question, an answer or a note of a mail route.
    case dns(RouteStep)
    /// The route is known.
    case routeFound(RouteSummary)
    /// The name given to `/route`, `/mx` or `--mx` cannot be looked up: why, in words.
    case routeRefused(input: String, problem: DomainNameProblem)
    /// Connecting to an exchanger of the route (`preference` nil for the implicit MX).
    case mxAttempt(preference: Int?, host: String, address: String, port: Int)
    /// That connection failed; `next` when another exchanger is tried.
    case mxFailed(preference: Int?, host: String, address: String, port: Int, reason: ConnectFailure.Kind, next: Bool)
    /// The route has nowhere to connect.
    case mxNone(domain: String)

    /// Why `/auth` did not send anything.
    public enum AuthRefusal: String, Sendable, Hashable {
        /// The connection is not encrypted and the mechanism sends the secret readable.
        case plaintext
        /// The server did not announce AUTH.
        case notOffered
        /// The server announced AUTH without this mechanism.
        case mechanismNotOffered
        /// The secret could not be had (no SMTPX_SECRET, no terminal).
        case noSecret
    }

    public enum TLSRequirementFailure: String, Sendable, Hashable {
        case notOffered, refused, failed, plaintextCommand
    }

    public enum NotSentReason: String, Sendable, Hashable {
        case dataRefused, closed, stopped
    }

    /// The kind of line it makes.
    public var kind: TranscriptEntry.Kind {
        switch self {
        case .startingTLS: return .tls
        case .tlsEstablished(let info, _): return info.verified ? .tls : .warning
        case .closed(let reason, let expected):
            if expected { return .note }
            if case .byClient = reason { return .note }
            return .warning
        case .connectFailed, .tlsFailed, .refusedPlaintext, .discarded, .timedOut, .replyTooLong, .authRefused,
             .plaintextAuthAllowed,
             .tlsRequirementUnmet, .serverClosing, .greetingRefused, .linesNotSent, .notConnected, .usage,
             .unknownCommand, .notAvailableHere, .saveFailed, .recordFailed, .tlsWeak:
            return .warning
        case .connecting, .connected, .authenticated, .authCancelled, .startTLSRequired, .languageSet, .saved, .chainSaved,
             .recorded, .dns, .routeFound, .mxAttempt:
            return .note
        case .routeRefused, .mxFailed, .mxNone:
            return .warning
        }
    }
}
