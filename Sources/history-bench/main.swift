// history-bench: benchmarks of a long history (issue "runs for years").
//   history-bench ledger [--tasks 10000,1000000] [--requests 500]
//   history-bench prune  [--rows 1000000] [--tasks 2000] [--connections 16] [--baseline-seconds 15]
// Each prints a Markdown table for BENCHMARKS.md. Build with -c release for figures.
import Foundation

func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: "--" + name), i + 1 < args.count else { return fallback }
    return args[i + 1]
}

func number(_ name: String, _ fallback: Int) -> Int {
    guard let n = Int(option(name, String(fallback)).replacingOccurrences(of: "_", with: "")) else {
        FileHandle.standardError.write(Data("--\(name) needs a whole number\n".utf8))
        exit(64)
    }
    return n
}

let machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, "
    + "\(ProcessInfo.processInfo.physicalMemory >> 30) GiB, load average \(String(format: "%.1f", loadAverage()))"

func loadAverage() -> Double {
    var load = [0.0, 0.0, 0.0]
    return getloadavg(&load, 3) > 0 ? load[0] : 0
}

let command = CommandLine.arguments.dropFirst().first ?? ""
do {
    switch command {
    case "ledger":
        let sizes = option("tasks", "10000,1000000").split(separator: ",").compactMap { Int($0) }
        let rows = try await LedgerBench.run(sizes: sizes, requests: number("requests", 500))
        print("Machine: \(machine)\n")
        print(LedgerBench.table(rows))
        for r in rows { print("history of \(r.tasks.formatted()) tasks written in \(fmt(r.fillSeconds)) s") }
    case "prune":
        let result = try await PruneBench.run(rows: number("rows", 1_000_000), tasks: number("tasks", 2000),
                                              connections: number("connections", 16),
                                              baselineSeconds: Double(number("baseline-seconds", 15)))
        print("Machine: \(machine)\n")
        print(PruneBench.table(result))
    default:
        FileHandle.standardError.write(Data("usage: history-bench ledger|prune [options] (see the header of main.swift)\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("history-bench: \(error)\n".utf8))
    exit(1)
}
