import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The start of a message while it arrives, appended to a file in the store's spool folder, so a
/// session holds at most `MessageBody.spoolBytes` of a message in memory. Appends happen on the
/// session's event loop (a page-cache write); the store reads it and the fsyncs happen off it.
final class SpoolFile: @unchecked Sendable {
    let path: String
    private var descriptor: Int32
    /// Why an append failed, if one did: the delivery then fails and nothing is acknowledged.
    private(set) var failure: MaildirStore.StoreError?

    init(folder: URL) {
        path = folder.appendingPathComponent(UUID().uuidString).path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 { failure = MaildirStore.failure("cannot create \(path)") }
    }

    func append(_ bytes: [UInt8]) {
        guard failure == nil else { return }
        if !writeAll(descriptor, bytes) { failure = MaildirStore.failure("cannot write \(path)") }
    }

    func remove() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(path)
    }

    deinit { remove() }
}
