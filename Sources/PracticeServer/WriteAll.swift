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

/// Writes every byte at `offset` in the file (a positional write: the file's own offset stays).
func writeAll<Bytes: ContiguousBytes>(_ descriptor: Int32, _ bytes: Bytes, at offset: Int) -> Bool {
    bytes.withUnsafeBytes { buffer in
        var done = 0
        while done < buffer.count {
            let count = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            done += count
        }
        return true
    }
}

/// syncfs(2): every dirty file of the filesystem that holds `descriptor` written out. Glibc
/// declares it only under _GNU_SOURCE, which Swift's Glibc module does not set.
func syncFilesystem(_ descriptor: Int32) -> Int32 {
    typealias SyncFS = @convention(c) (Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else {
        sync()
        return 0
    }
    return unsafeBitCast(symbol, to: SyncFS.self)(descriptor)
}
