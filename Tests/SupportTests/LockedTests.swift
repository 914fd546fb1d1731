import Foundation
import Support
import Synchronization
import Testing

@Suite struct LockedTests {
    /// Watches the bodies: how many run right now, and how often two ran at once.
    private final class OverlapProbe: Sendable {
        let inside = Atomic(0)
        let overlaps = Atomic(0)
        let finished = Atomic(0)
    }

    /// Bodies run by several OS threads at once never overlap and lose no update.
    @Test func bodiesRunOneAtATime() async {
        let counter = Locked(0)
        let probe = OverlapProbe()
        let threads = 4, perThread = 20_000
        // Own OS threads (not the cooperative pool), so the bodies really compete; the
        // test awaits the last one's signal instead of blocking a pool thread.
        await withCheckedContinuation { (allDone: CheckedContinuation<Void, Never>) in
            for _ in 0..<threads {
                Thread {
                    for _ in 0..<perThread {
                        counter.withLock { value in
                            if probe.inside.add(1, ordering: .sequentiallyConsistent).oldValue > 0 {
                                probe.overlaps.add(1, ordering: .relaxed)
                            }
                            let seen = value
                            for _ in 0..<50 { _ = probe.inside.load(ordering: .relaxed) }  // widen the window
                            value = seen + 1
                            probe.inside.subtract(1, ordering: .sequentiallyConsistent)
                        }
                    }
                    if probe.finished.add(1, ordering: .sequentiallyConsistent).newValue == threads {
                        allDone.resume()
                    }
                }.start()
            }
        }
        #expect(probe.overlaps.load(ordering: .relaxed) == 0)
        #expect(counter.withLock { $0 } == threads * perThread)
    }

    @Test func typedErrorsPassThroughAndTheUpdateBeforeThemStays() {
        struct Refused: Error, Equatable {}
        let value = Locked([1])
        #expect(throws: Refused()) {
            try value.withLock { (v: inout [Int]) throws(Refused) in
                v.append(2)
                throw Refused()
            }
        }
        #expect(value.withLock { $0 } == [1, 2])
    }
}
