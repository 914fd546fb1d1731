import Glibc

/// systemd socket activation (sd_listen_fds(3)): listening sockets passed as fds
/// 3, 4, ... with `LISTEN_FDS` (count), `LISTEN_PID` (must be this process, or they
/// were meant for a parent) and `LISTEN_FDNAMES` (colon-separated names, e.g.
/// `public:internal`).
public enum SystemdSockets {
    static let firstDescriptor: Int32 = 3

    /// The passed sockets by name (unnamed ones as `unknown`, a repeated name keeps its
    /// first socket). Marks them close-on-exec and removes the variables, so children
    /// do not inherit them. Empty when nothing was passed to this process.
    public static func take() -> [String: Int32] {
        var result: [String: Int32] = [:]
        for (name, fd) in takeAll() where result[name] == nil { result[name] = fd }
        return result
    }

    /// The passed sockets in order, with their names.
    public static func takeAll() -> [(name: String, fd: Int32)] {
        takeAll(firstDescriptor: firstDescriptor)
    }

    /// `firstDescriptor` is 3 in production (SD_LISTEN_FDS_START).
    static func takeAll(firstDescriptor: Int32) -> [(name: String, fd: Int32)] {
        let pid = environment("LISTEN_PID")
        let count = environment("LISTEN_FDS")
        let names = environment("LISTEN_FDNAMES")
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        let sockets = passed(listenPID: pid, listenFDs: count, listenFDNames: names,
                             processID: getpid(), firstDescriptor: firstDescriptor)
        for socket in sockets { HTTPSocket.setCloseOnExec(socket.fd) }
        return sockets
    }

    /// The sockets the three variables describe: pure, touching neither the environment
    /// nor any descriptor, so tests can check it without setenv (which races with child
    /// processes other tests launch concurrently) or dup2 onto guessed descriptor numbers.
    static func passed(listenPID: String?, listenFDs: String?, listenFDNames: String?,
                       processID: Int32, firstDescriptor: Int32) -> [(name: String, fd: Int32)] {
        guard let listenPID, let expected = Int32(listenPID), expected == processID,
              let listenFDs, let number = Int(listenFDs), number > 0, number < 4096 else { return [] }
        let nameList = listenFDNames.map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) } ?? []
        return (0..<number).map { index in
            let fd = firstDescriptor + Int32(index)
            let name = index < nameList.count && !nameList[index].isEmpty ? nameList[index] : "unknown"
            return (name, fd)
        }
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
