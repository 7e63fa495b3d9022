import Glibc

/// Waits for a key, an event in an inbox, a signal, or a timeout (poll(2) on all of them).
public enum Waiter {
    /// Signals that end the explorer gracefully (the terminal is restored).
    public static let stopSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT]

    nonisolated(unsafe) static var signalWriteEnd: Int32 = -1
    nonisolated(unsafe) static var caught: Int32 = 0
    nonisolated(unsafe) static var resized: Int32 = 0
    nonisolated(unsafe) static var signalReadEnd: Int32 = -1

    /// Catches the stop signals from now on; `caughtSignal` says which came.
    public static func catchStopSignals() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        signalReadEnd = fds[0]
        signalWriteEnd = fds[1]
        for number in stopSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                Waiter.caught = number
                var byte: UInt8 = 1
                _ = write(Waiter.signalWriteEnd, &byte, 1)
            }
            sigaction(number, &action, nil)
        }
        // The window size: caught here rather than left to ncurses, whose handler is not
        // installed when SIGWINCH was inherited as ignored.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            Waiter.resized = 1
            var byte: UInt8 = 2
            _ = write(Waiter.signalWriteEnd, &byte, 1)
        }
        sigaction(SIGWINCH, &action, nil)
    }

    /// True once after each SIGWINCH.
    public static func takeResize() -> Bool {
        guard resized != 0 else { return false }
        resized = 0
        var byte: UInt8 = 0
        while read(signalReadEnd, &byte, 1) == 1 {}
        return true
    }

    /// The stop signal that arrived, if any.
    public static var caughtSignal: Int32? { caught == 0 ? nil : caught }

    public struct Ready: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let keys = Ready(rawValue: 1)
        public static let events = Ready(rawValue: 2)
        public static let signal = Ready(rawValue: 4)
    }

    /// Waits up to `milliseconds` (−1: forever) for standard input or `descriptor`.
    public static func wait(for descriptor: Int32, milliseconds: Int32, keyboard: Bool = true) -> Ready {
        var fds = [pollfd(fd: keyboard ? STDIN_FILENO : -1, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        if signalReadEnd >= 0 { fds.append(pollfd(fd: signalReadEnd, events: Int16(POLLIN), revents: 0)) }
        let count = poll(&fds, nfds_t(fds.count), milliseconds)
        guard count > 0 else { return caughtSignal == nil ? [] : .signal }
        if fds.count > 2, fds[2].revents != 0, caughtSignal == nil, resized == 0 {
            var byte: UInt8 = 0
            while read(signalReadEnd, &byte, 1) == 1 {}
        }
        var ready: Ready = []
        if fds[0].revents != 0 { ready.insert(.keys) }
        if fds[1].revents != 0 { ready.insert(.events) }
        if fds.count > 2, caughtSignal != nil { ready.insert(.signal) }
        return ready
    }
}
