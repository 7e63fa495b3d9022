import Glibc
import Synchronization

// Theory of operation
//
// Threads other than the screen's (SwiftNIO's event loops) `post` events; the screen thread
// `poll`s the inbox's pipe beside standard input and `take`s them. One byte goes into the pipe
// when the queue turns non-empty, so a flood of events costs one wake-up, not one per event.
// Each event carries a weight (bytes received) so the producer can pause reading when the
// screen falls behind.

/// A queue of events for the screen thread, with a wake-up it can poll.
public final class Inbox<Event: Sendable>: Sendable {
    struct Queue {
        var events: [Event] = []
        var weights: [Int] = []
        var weight = 0
        var signalled = false
    }

    private let queue = Mutex(Queue())
    private let readEnd: Int32
    private let writeEnd: Int32

    public init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "cannot create a pipe")
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Adds an event; returns the total weight now waiting.
    @discardableResult
    public func post(_ event: Event, weight: Int = 0) -> Int {
        let (wake, total) = queue.withLock { queue -> (Bool, Int) in
            queue.events.append(event)
            queue.weights.append(weight)
            queue.weight += weight
            let wake = !queue.signalled
            queue.signalled = true
            return (wake, queue.weight)
        }
        if wake { wakeUp() }
        return total
    }

    /// Takes waiting events, up to about `budget` weight (at least one event).
    public func take(budget: Int = .max) -> [Event] {
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) == 1 {}
        return queue.withLock { queue in
            var taken = 0
            var count = 0
            while count < queue.events.count, count == 0 || taken + queue.weights[count] <= budget {
                taken += queue.weights[count]
                count += 1
            }
            let events = Array(queue.events.prefix(count))
            queue.events.removeFirst(count)
            queue.weights.removeFirst(count)
            queue.weight -= taken
            queue.signalled = !queue.events.isEmpty
            if queue.signalled { wakeUp() }
            return events
        }
    }

    public var weight: Int { queue.withLock { $0.weight } }
    public var isEmpty: Bool { queue.withLock { $0.events.isEmpty } }

    /// The descriptor to poll for "events are waiting".
    public var descriptor: Int32 { readEnd }

    func wakeUp() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }
}
