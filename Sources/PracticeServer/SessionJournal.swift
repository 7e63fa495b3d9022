/// What one session may write to the teacher's log: at most `byteBudget` bytes (then one line
/// says the rest is left out), and an exchange that repeats (one line again, or a cycle of up to
/// `longestCycle` lines, as `C: HELP` and its four-line 214) is counted once a whole cycle has
/// matched, not written again. A client that sends HELP a million times costs a few lines of log.
struct SessionJournal: Sendable {
    /// Bytes of log one session may write, counting what each line's stamp and label add.
    static let byteBudget = 256 * 1024
    /// Bytes a written line takes besides its text (time stamp and session label).
    static let lineOverhead = 48
    /// The longest exchange whose repetition is counted instead of written.
    static let longestCycle = 8

    private var written = 0
    /// The last lines written or counted, newest last.
    private var recent: [String] = []
    /// Lines that match the cycle so far but are not yet a whole one.
    private var candidate: [String] = []
    private var period = 0
    private var repeats = 0
    private var silenced = false

    mutating func write(_ line: String, to sink: (String) -> Void) {
        if period == 0, let found = (1...Self.longestCycle).first(where: { recent.count >= $0 && recent[recent.count - $0] == line }) {
            period = found
        }
        if period > 0, recent.count >= period, recent[recent.count - period] == line {
            candidate.append(line)
            remember(line)
            if candidate.count == period || repeats > 0 {
                repeats += candidate.count
                candidate = []
            }
            return
        }
        // The cycle broke: what matched only partly is written after all.
        let partial = candidate
        candidate = []
        period = 0
        flushRepeats(to: sink)
        for earlier in partial { emit(earlier, to: sink) }
        remember(line)
        emit(line, to: sink)
    }

    /// Says how often lines repeated at the end, if they did.
    mutating func finish(to sink: (String) -> Void) {
        let partial = candidate
        candidate = []
        flushRepeats(to: sink)
        for earlier in partial { emit(earlier, to: sink) }
    }

    private mutating func emit(_ line: String, to sink: (String) -> Void) {
        guard !silenced else { return }
        if written + line.utf8.count + Self.lineOverhead > Self.byteBudget {
            silenced = true
            sink("(this session's log stops here: over \(Self.byteBudget / 1024) KiB)")
            return
        }
        written += line.utf8.count + Self.lineOverhead
        sink(line)
    }

    private mutating func remember(_ line: String) {
        recent.append(line)
        if recent.count > Self.longestCycle { recent.removeFirst() }
    }

    private mutating func flushRepeats(to sink: (String) -> Void) {
        guard repeats > 0 else { return }
        if !silenced { sink("(\(repeats) more lines repeating the lines above)") }
        repeats = 0
    }
}
