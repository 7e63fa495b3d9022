import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes every byte to the descriptor, again after a signal; false when the system refuses
/// (errno says why). At `offset` it is a positional write (the file's own offset stays). The
/// spool, the Maildir copies, the commit log and the teacher's log all write this way.
func writeAll<Bytes: ContiguousBytes>(_ descriptor: Int32, _ bytes: Bytes, at offset: Int? = nil) -> Bool {
    bytes.withUnsafeBytes { buffer in
        var done = 0
        while done < buffer.count {
            let count = offset.map { pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t($0 + done)) }
                ?? Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
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

/// Every file written so far on the filesystem that holds `folder`, on disk; the reason if not.
func syncFilesystem(holding folder: String) -> MaildirStore.StoreError? {
    let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    let synced = directory >= 0 && syncFilesystem(directory) == 0
    let failure = synced ? nil : MaildirStore.failure("cannot sync the files of \(folder)")
    if directory >= 0 { close(directory) }
    return failure
}
