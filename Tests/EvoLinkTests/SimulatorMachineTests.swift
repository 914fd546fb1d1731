import EvoLink
import Testing
@testable import EvoLinkSim

/// The pure pieces of the simulator: callback retry rule, task timeline, images.
struct SimulatorMachineTests {
    @Test func callbackRetriesOneTwoFourSecondsThenGivesUp() {
        var m = CallbackDeliveryMachine(retryDelays: [1, 2, 4])
        #expect(m.start() == .send(attempt: 1, delay: 0))
        #expect(m.attemptFinished(success: false) == .send(attempt: 2, delay: 1))
        #expect(m.attemptFinished(success: false) == .send(attempt: 3, delay: 2))
        #expect(m.attemptFinished(success: false) == .send(attempt: 4, delay: 4))
        #expect(m.attemptFinished(success: false) == .gaveUp(attempts: 4))
        #expect(m.finished)
    }

    @Test func callbackStopsAtTheFirstSuccess() {
        var m = CallbackDeliveryMachine(retryDelays: [1, 2, 4])
        #expect(m.start(initialDelay: 3) == .send(attempt: 1, delay: 3))
        #expect(m.attemptFinished(success: false) == .send(attempt: 2, delay: 1))
        #expect(m.attemptFinished(success: true) == .delivered(attempts: 2))
    }

    @Test func timelineReportsStatusAndMonotonicProgress() {
        let t = TaskTimeline(created: 100, pendingSeconds: 2, processingSeconds: 8)
        #expect(t.state(at: 100, outcome: .completed(results: 1)) == (.pending, 0) ? true : false)
        var last = -1
        for step in 0..<80 {
            let (status, progress) = t.state(at: 102 + Double(step) / 10, outcome: .completed(results: 1))
            #expect(status == .processing)
            #expect(progress >= last && progress >= 10 && progress <= 90)
            last = progress
        }
        #expect(t.state(at: 110, outcome: .completed(results: 1)).0 == .completed)
        #expect(t.state(at: 110, outcome: .failed(code: "x")) == (.failed, 0) ? true : false)
        #expect(t.estimatedSeconds == 10)
    }

    @Test func progressRangeIsConfigurable() {
        let t = TaskTimeline(created: 0, pendingSeconds: 0, processingSeconds: 10, progressRange: 30...60)
        #expect(t.state(at: 0, outcome: .completed(results: 1)).1 == 30)
        #expect(t.state(at: 9.99, outcome: .completed(results: 1)).1 == 59)
        #expect(t.state(at: 10, outcome: .completed(results: 1)).1 == 100)
        #expect(t.midProgress == 45)
    }

    @Test func imagesDependOnPromptAndIndexOnly() {
        let a = ImageRenderer.pixels(prompt: "fox", index: 0, width: 32, height: 16)
        #expect(a.count == 32 * 16 * 3)
        #expect(a == ImageRenderer.pixels(prompt: "fox", index: 0, width: 32, height: 16))
        #expect(a != ImageRenderer.pixels(prompt: "fox", index: 1, width: 32, height: 16))
        #expect(a != ImageRenderer.pixels(prompt: "owl", index: 0, width: 32, height: 16))
    }

    @Test func corruptionBreaksTheIDATChecksumAndTruncationDropsIEND() {
        let png = SimulatorPNG.encode(ImageRenderer.pixels(prompt: "x", index: 0, width: 8, height: 8), 8, 8)
        #expect(PNGCheck.chunksValid(png))
        #expect(!PNGCheck.chunksValid(PNGFaults.corrupted(png)))
        let cut = PNGFaults.truncated(png)
        #expect(cut.count < png.count && !PNGCheck.chunksValid(cut))
    }
}
