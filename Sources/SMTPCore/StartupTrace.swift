#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a run's first milliseconds go: with `SMTPX_STARTUP_TIMES` set in the environment,
/// each mark is written to standard error as `startup: WHAT +MS` (milliseconds since `main`
/// began). The benchmark of batch mode reads these lines; nothing else is changed by them.
public enum StartupTrace {
    public static let enabled = getenv("SMTPX_STARTUP_TIMES") != nil
    nonisolated(unsafe) static var origin: Double?
    nonisolated(unsafe) static var marked: Set<String> = []

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1_000_000
    }

    /// Marks the start of `main`; every later mark counts from here.
    public static func begin() {
        guard enabled else { return }
        origin = now()
        emit("main")
        atexit { StartupTrace.emit("exit") }
    }

    /// Marks a moment once (later marks of the same name are ignored).
    public static func mark(_ what: String) {
        guard enabled, origin != nil, !marked.contains(what) else { return }
        marked.insert(what)
        emit(what)
    }

    static func emit(_ what: String) {
        let elapsed = now() - (origin ?? now())
        let line = "startup: \(what) +\((elapsed * 1000).rounded() / 1000)\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
