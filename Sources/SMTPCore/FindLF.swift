#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeBufferPointer<UInt8> {
    /// The index of the first LF at or after `index`, found with memchr, or nil.
    func firstLF(from index: Int) -> Int? {
        guard index < count, let base = baseAddress,
              let found = memchr(base + index, 0x0A, count - index) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
