import ArgumentParser

/// `imagehook-bench`: the project's benchmarks, each a subcommand that prints a
/// Markdown table. The `.ci/bench-*` scripts build it in release mode, run it and copy
/// the table into BENCHMARKS.md.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imagehook-bench",
        abstract: "imagehook benchmarks (run through .ci/bench-*; figures go to BENCHMARKS.md).",
        subcommands: [CallbacksCommand.self, DownloadsCommand.self, IdleCommand.self, HTTPServerCommand.self,
                      FsyncCommand.self, StoreCommand.self, ParserCommand.self, ImageServerCommand.self, DownloadRunCommand.self])
}
