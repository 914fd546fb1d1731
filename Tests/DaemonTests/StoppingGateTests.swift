import Foundation
import Testing
@testable import Daemon
import Support

@Suite struct StoppingGateTests {
    /// systemd keeps the last STATUS= it got: none may follow STOPPING=1 (sd_notify(3)).
    @Test func noStatusSendRunsAfterStoppingBegan() {
        let gate = StoppingGate()
        var sent: [String] = []
        #expect(gate.unlessStopping { sent.append("STATUS=serving") })
        gate.beginStopping { sent.append("STOPPING=1") }
        gate.beginStopping { sent.append("STOPPING=1 again") }
        #expect(!gate.unlessStopping { sent.append("STATUS=late") })
        #expect(sent == ["STATUS=serving", "STOPPING=1"])
    }

    @Test func concurrentStatusSendsNeverFollowStopping() async {
        let gate = StoppingGate()
        let log = Locked<[String]>([])
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    if index == 100 {
                        gate.beginStopping { log.withLock { $0.append("STOPPING=1") } }
                    } else {
                        gate.unlessStopping { log.withLock { $0.append("STATUS=\(index)") } }
                    }
                }
            }
        }
        let messages = log.withLock { $0 }
        let stopping = messages.firstIndex(of: "STOPPING=1")
        #expect(stopping == messages.count - 1, "\(messages)")
    }
}
