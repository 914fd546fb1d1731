import ArgumentParser

/// `imagehookd`: the daemon and its operator commands.
public struct RootCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "imagehookd",
        abstract: "Durable bridge between internal services and EvoLink's asynchronous image API."
    )
    public init() {}
}
