import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where batch mode's `/auth` gets its secret: SMTPX_SECRET, or the terminal with echo off.
/// Never the script file.
public enum SecretSource {
    public static func read(prompt: String = "smtpx: password for /auth: ") throws -> String {
        if let secret = ProcessInfo.processInfo.environment["SMTPX_SECRET"] { return secret }
        let tty = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard tty >= 0 else {
            throw SecretError.unavailable
        }
        defer { close(tty) }
        var saved = termios()
        tcgetattr(tty, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(tty, TCSANOW, &quiet)
        defer { tcsetattr(tty, TCSANOW, &saved) }
        _ = prompt.withCString { write(tty, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(tty, &byte, 1) == 1, byte != 0x0A, byte != 0x0D { bytes.append(byte) }
        _ = write(tty, "\n", 1)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why no secret could be had.
public enum SecretError: Error {
    case unavailable
}

/// Standard output for batch mode: a reader that went away (`| head`) ends smtpx as a
/// SIGPIPE would (status 141), instead of a crash.
public enum StandardOutput {
    public static func write(_ line: String) {
        var bytes = Array((line + "\n").utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                exit(errno == EPIPE ? 141 : 1)
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
