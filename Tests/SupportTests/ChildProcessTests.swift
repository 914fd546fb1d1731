import Foundation
import Testing
import TestSupport

/// The one child-process type every test uses: what reaches the child, what comes back.
@Suite struct ChildProcessTests {
    @Test func capturesStdoutAndStderrApartAndTheExitCode() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(await child.exited(within: 30) == .exited(3))
        #expect(child.stdout == "out\n")
        #expect(child.stderr == "err\n")
    }

    @Test func passesExactlyTheGivenEnvironmentAndDirectory() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo \"$ONLY|$HOME|$(pwd)\""],
                                     environment: ["ONLY": "this"], directory: "/tmp")
        #expect(await child.exited(within: 30) == .exited(0))
        #expect(child.stdout == "this||/tmp\n")
    }

    /// A descriptor the test process holds without close-on-exec (as a parallel test's
    /// socket might be) never reaches the child; an inherited one arrives as fd 3.
    @Test func onlyTheStandardAndInheritedDescriptorsReachTheChild() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)  // deliberately inheritable
        defer { ends.forEach { _ = close($0) } }
        #expect(ends.allSatisfy { $0 > 4 })
        let probe = [0, 1, 2, 3, ends[0], ends[1]].map { String($0) }.joined(separator: " ")
        let script = "for fd in \(probe); do [ -e /proc/$$/fd/$fd ] && echo $fd; done; true"
        let child = try ChildProcess("/bin/sh", ["-c", script], inherit: [ends[1]])
        #expect(await child.exited(within: 30) == .exited(0))
        let fds = Set(child.stdout.split(separator: "\n").compactMap { Int32($0) })
        #expect(fds == [0, 1, 2, 3], "child saw \(fds)")
    }

    @Test func stopEscalatesToSIGKILLForTheWholeGroup() async throws {
        // The shell ignores SIGTERM and its `sleep` grandchild would outlive it.
        let child = try ChildProcess("/bin/sh", ["-c", "trap '' TERM; sleep 60 & echo pid=$!; wait"])
        let line = try await offPool { try child.waitForLine(containing: "pid=", timeout: 30) }
        let grandchild = try #require(Int32(line.dropFirst(4)))
        let exit = await offPool { child.stop(signal: SIGTERM, grace: 0.3) }
        #expect(exit == .signalled(SIGKILL))
        let gone = await offPool { () -> Bool in
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline { if kill(grandchild, 0) != 0 { return true }; usleep(10_000) }
            return false
        }
        #expect(gone, "the grandchild survived")
    }

    @Test func waitForLineFailsAtOnceWhenTheChildEndsWithoutIt() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo something else"])
        let started = Date()
        await #expect(throws: ChildProcessError.self) {
            try await offPool { try child.waitForLine(containing: "ready", timeout: 60) }
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func runReportsTimeoutsAndKillsTheChild() throws {
        #expect(throws: ChildProcessError.self) {
            _ = try ChildProcess.run("/bin/sleep", ["30"], timeout: 0.3)
        }
        let result = try ChildProcess.run("/bin/echo", ["hi"]).requireSuccess()
        #expect(result.stdout == "hi\n")
        #expect(throws: ChildProcessError.self) { try ChildProcess.run("/bin/false").requireSuccess() }
    }
}
