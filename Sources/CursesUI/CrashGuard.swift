import CNcurses
import Glibc

/// Restores the terminal on fatal signals, then passes the signal to whoever handled it
/// before (Swift's backtracer), so the crash report prints on a sane terminal.
enum CrashGuard {
    nonisolated(unsafe) static var active = false
    nonisolated(unsafe) static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    static let fatal: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    static func install(_ terminal: Terminal) {
        active = true
        for signal in fatal {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                if CrashGuard.active {
                    CrashGuard.active = false
                    endwin()
                }
                // Hand the signal back to the previous handler and let it fire again.
                sigaction(number, CrashGuard.previous + Int(number), nil)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, previous + Int(signal))
        }
    }

    static func clear() {
        active = false
    }
}
