import Foundation

/// Where a child's stdout/stderr goes: a socket pair that is close-on-exec from birth.
/// Foundation's `Pipe()` descriptors are inheritable, so any process another test spawns
/// in the meantime (tests run in parallel in one process) keeps a copy of the write end,
/// and end-of-file, the "child has finished writing" signal, then waits for that
/// unrelated process to exit. `socketpair` with SOCK_CLOEXEC sets the flag atomically;
/// the intended child still gets its end as fd 1/2, because dup2 clears the flag.
final class ChildOutputChannel {
    let reading: FileHandle
    let writing: FileHandle
    private var writingClosed = false

    init() {
        var fds: [Int32] = [-1, -1]
        let rc = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        precondition(rc == 0, "socketpair failed: \(errno)")
        reading = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        writing = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
    }

    /// Called once the child runs: the parent's copy of the write end would otherwise
    /// keep end-of-file from ever arriving.
    func closeWritingEnd() {
        guard !writingClosed else { return }
        writingClosed = true
        try? writing.close()
    }
}
