import Synchronization

/// Set when the awaiting task is cancelled. Carries a wake pipe that becomes readable
/// at that moment, so a thread blocked in poll() on a socket (or waiting for a lookup)
/// wakes at once instead of noticing on its next slice.
final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)
    private let pipe = WakePipe()

    /// Readable once cancelled; -1 when no pipe could be made.
    var fd: Int32 { pipe.readFD }

    func cancel() {
        guard !state.exchange(true, ordering: .relaxed) else { return }
        pipe.signal()
    }

    var isCancelled: Bool { state.load(ordering: .relaxed) }
}
