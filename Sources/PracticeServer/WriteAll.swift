import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes every byte to the descriptor, again after a signal; false when the system refuses
/// (errno says why). The spool, the Maildir copies and the log all write this way.
func writeAll<Bytes: ContiguousBytes>(_ descriptor: Int32, _ bytes: Bytes) -> Bool {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}
