import Foundation

/// Terminal output for the CLI: results on stdout, diagnostics on stderr.
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Rewrites the current stderr line (progress bar); only on a terminal.
    static func progress(_ line: String) {
        guard isatty(2) == 1 else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }

    static func endProgress() {
        guard isatty(2) == 1 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
