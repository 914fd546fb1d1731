import Foundation

/// Runs a tool to completion with a deadline; returns status and combined output.
func runTool(_ path: String, _ arguments: [String], directory: String? = nil, timeout: Double = 60) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (-1, "cannot run \(path): \(error)") }
    let deadline = Date().addingTimeInterval(timeout)
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { process.terminate(); return (-1, "timed out") }
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
