import Foundation

/// Runs a tool to completion with a deadline; returns status and combined output.
func runTool(_ path: String, _ arguments: [String], directory: String? = nil, timeout: Double = 60) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let channel = ChildOutputChannel()
    process.standardOutput = channel.writing
    process.standardError = channel.writing
    defer { channel.closeWritingEnd() }
    do { try process.run() } catch { return (-1, "cannot run \(path): \(error)") }
    channel.closeWritingEnd()
    let deadline = Date().addingTimeInterval(timeout)
    let data = channel.reading.readDataToEndOfFile()
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { process.terminate(); return (-1, "timed out") }
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
