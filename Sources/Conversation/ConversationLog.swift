import Foundation
import SMTPCore

/// One line of the log, as every face reads it.
public struct LogEntry: Sendable, Hashable {
    public let index: Int
    public let kind: TranscriptEntry.Kind
    /// Exactly what went over the wire, or a local event's words when it was logged.
    public let bytes: ArraySlice<UInt8>
    /// The line travelled inside TLS.
    public let tls: Bool
    public let code: Int?
    /// On the first line of a reply: seconds from the command to the reply's first byte.
    public let latencySeconds: Double?
    /// On the last line of a reply of several lines: seconds from the command to that line.
    public let lastLineLatencySeconds: Double?
    /// The last line of its reply.
    public let isFinal: Bool
    /// How many lines back the first line of this line's reply is (0 for the first).
    public let replyBack: Int
    /// The index of the sent line this reply answers, if known.
    public let answers: Int?
    public let time: Date
    /// The bytes hold a secret; show ``ConversationLog/display(_:)``.
    public let sensitive: Bool

    public var isReply: Bool { kind == .received }
    public var isLocal: Bool { kind.isLocal }
}

/// The transcript of a conversation: every line in both directions and every local event,
/// bounded by the scrollback. Lines keep their index for life; old ones fall off the front.
public struct ConversationLog: Sendable {
    var store: LineStore
    /// What a sensitive line shows instead of its bytes.
    var masked: [Int: String] = [:]
    /// What each local line is.
    var events: [Int: LocalEvent] = [:]
    /// What the lint found in each sent command, when it found anything.
    var findings: [Int: [LintFinding]] = [:]
    /// What each sent line that awaits a reply is (a command, the message's end, a SASL answer).
    var awaited: [Int: ClientSession.Sent] = [:]
    /// First lines of replies that answered the connection: greetings.
    var greetings: Set<Int> = []
    /// Where the protocol changed (`/pop3`, `/smtp`), oldest first: each line speaks the one
    /// of the last change at or before it.
    var wireChanges: [(index: Int, wire: WireProtocol)] = []
    /// POP3: the complete response a final line ends, what each sent line awaits, what the lint found.
    var pop3Responses: [Int: POP3Response] = [:]
    var pop3Awaited: [Int: POP3ClientSession.Sent] = [:]
    var pop3Findings: [Int: [POP3LintFinding]] = [:]
    /// Wall time of the log's start; lines keep milliseconds since then.
    let origin: Date

    init(capacity: Int, origin: Date) {
        store = LineStore(capacity: capacity)
        self.origin = origin
    }

    public var firstIndex: Int { store.firstIndex }
    public var endIndex: Int { store.endIndex }
    public var count: Int { store.count }
    public var isEmpty: Bool { store.count == 0 }
    public var indices: Range<Int> { firstIndex..<endIndex }

    public subscript(index: Int) -> LogEntry? {
        guard let (bytes, line) = store.line(index) else { return nil }
        let latency = line.latencyMilliseconds.map { $0 / 1000 }
        let first = line.replyBack == 0
        return LogEntry(index: index, kind: line.kind, bytes: bytes, tls: line.tls, code: line.code,
                        latencySeconds: line.kind == .received && first ? latency : nil,
                        lastLineLatencySeconds: line.kind == .received && !first ? latency : nil,
                        isFinal: line.isFinal, replyBack: line.replyBack, answers: line.answers,
                        time: origin.addingTimeInterval(line.timeMilliseconds / 1000), sensitive: line.sensitive)
    }

    /// The local event a `***` line stands for.
    public func event(_ index: Int) -> LocalEvent? { events[index] }

    /// What the lint found in a sent command.
    public func findings(_ index: Int) -> [LintFinding] { findings[index] ?? [] }

    /// What a sent line that awaited a reply was.
    public func awaited(_ index: Int) -> ClientSession.Sent? { awaited[index] }

    /// The reply that contains this line answered the connection.
    public func isGreeting(_ index: Int) -> Bool { replyStart(of: index).map(greetings.contains) ?? false }

    /// The line as it may be shown: a sensitive line's masked form, otherwise its bytes escaped.
    public func display(_ index: Int, showSecrets: Bool = false) -> String {
        guard let entry = self[index] else { return "" }
        if entry.sensitive && !showSecrets { return masked[index] ?? Secrets.mask }
        return VisibleText.escape(entry.bytes)
    }

    /// The masked form of a sent line that holds a secret.
    public func maskedText(_ index: Int) -> String? { masked[index] }

    // MARK: - Appending

    @discardableResult
    mutating func append(_ kind: TranscriptEntry.Kind, _ bytes: [UInt8], at time: Date, tls: Bool = false,
                         code: Int? = nil, latencySeconds: Double? = nil, isFinal: Bool = false, replyBack: Int = 0,
                         answers: Int? = nil, masked display: String? = nil, event: LocalEvent? = nil,
                         findings lint: [LintFinding] = []) -> Int {
        let line = LineStore.Line(kind: kind, tls: tls, code: code, latencyMilliseconds: latencySeconds.map { $0 * 1000 },
                                  isFinal: isFinal, replyBack: replyBack, answers: answers,
                                  timeMilliseconds: time.timeIntervalSince(origin) * 1000, sensitive: display != nil)
        let before = store.firstIndex
        let index = store.append(bytes, line)
        if let display { masked[index] = display }
        if let event { events[index] = event }
        if !lint.isEmpty { findings[index] = lint }
        if store.firstIndex != before { prune() }
        return index
    }

    mutating func setLastLineLatency(_ index: Int, seconds: Double) {
        store.setLatency(index, milliseconds: seconds * 1000)
    }

    mutating func removeAll() {
        store.removeAll()
        masked = [:]
        events = [:]
        findings = [:]
        awaited = [:]
        greetings = []
        pop3Responses = [:]
        pop3Awaited = [:]
        pop3Findings = [:]
        if let last = wireChanges.last { wireChanges = [(store.endIndex, last.wire)] }
    }

    /// The protocol of line `index`.
    public func wire(at index: Int) -> WireProtocol {
        wireChanges.last { $0.index <= index }?.wire ?? .smtp
    }

    mutating func setWire(_ wire: WireProtocol) {
        guard self.wire(at: store.endIndex) != wire else { return }
        wireChanges.append((store.endIndex, wire))
    }

    public func pop3Response(_ index: Int) -> POP3Response? { pop3Responses[index] }
    public func pop3Awaited(_ index: Int) -> POP3ClientSession.Sent? { pop3Awaited[index] }
    public func pop3Findings(_ index: Int) -> [POP3LintFinding] { pop3Findings[index] ?? [] }

    mutating func prune() {
        let first = store.firstIndex
        masked = masked.filter { $0.key >= first }
        events = events.filter { $0.key >= first }
        findings = findings.filter { $0.key >= first }
        awaited = awaited.filter { $0.key >= first }
        greetings = greetings.filter { $0 >= first }
        pop3Responses = pop3Responses.filter { $0.key >= first }
        pop3Awaited = pop3Awaited.filter { $0.key >= first }
        pop3Findings = pop3Findings.filter { $0.key >= first }
        if let keep = wireChanges.lastIndex(where: { $0.index <= first }), keep > 0 { wireChanges.removeFirst(keep) }
    }

    /// Bytes the lines take, for the benchmark.
    public var storageBytes: Int { store.storageBytes }
    public static var recordSize: Int { LineStore.recordSize }
}
