import TestSupport

/// Runs a tool to completion with a deadline; status (-1 when it could not run or timed
/// out) and combined output. Blocking: call it from a thread of its own or `offPool`.
func runTool(_ path: String, _ arguments: [String], directory: String? = nil, timeout: Double = 60) -> (status: Int32, output: String) {
    do {
        let run = try ChildProcess.run(path, arguments, directory: directory, timeout: timeout)
        return (run.exit.code ?? -1, run.stdout + run.stderr)
    } catch {
        return (-1, "\(error)")
    }
}
