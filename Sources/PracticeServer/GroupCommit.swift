import Synchronization

/// Commits messages to the store in batches: a message prepared (its copies written in `tmp/`)
/// while a batch is being committed waits for the next batch, and every message that waited
/// commits together, sharing one flush of the commit log (or, for large messages, one fsync
/// per `new/` folder, their files fsync'd already by the threads that wrote them). Nothing
/// waits for a timer: a lone message is a batch of one at once. Each completion runs only after
/// its batch is on disk (or has failed), so no 250 can go out before its message is durable.
public final class GroupCommit: Sendable {
    public typealias Completion = @Sendable (Result<[String], MaildirStore.StoreError>) -> Void

    struct Waiting {
        var batch: [(MaildirStore.Prepared, Completion)] = []
        /// A thread is committing: whoever adds to `batch` now leaves it to that thread.
        var committing = false
        /// How many batches were committed and how large the largest was (what tests look at).
        var batches = 0
        var largest = 0
    }

    let store: MaildirStore
    let waiting = Mutex(Waiting())

    public init(store: MaildirStore) {
        self.store = store
    }

    /// Adds a prepared message to the next batch. The calling thread commits batches itself
    /// when no other thread is doing so, until none is waiting; otherwise it returns at once.
    public func commit(_ prepared: MaildirStore.Prepared, then completion: @escaping Completion) {
        let leads = waiting.withLock { state -> Bool in
            state.batch.append((prepared, completion))
            guard !state.committing else { return false }
            state.committing = true
            return true
        }
        guard leads else { return }
        while true {
            let batch = waiting.withLock { state -> [(MaildirStore.Prepared, Completion)] in
                let batch = state.batch
                state.batch = []
                if batch.isEmpty {
                    state.committing = false
                } else {
                    state.batches += 1
                    state.largest = max(state.largest, batch.count)
                }
                return batch
            }
            guard !batch.isEmpty else { return }
            let results = store.commit(batch.map(\.0))
            for ((_, completion), result) in zip(batch, results) { completion(result) }
        }
    }

    /// Batches committed so far, and the most messages one of them held.
    public var counts: (batches: Int, largest: Int) {
        waiting.withLock { ($0.batches, $0.largest) }
    }
}
