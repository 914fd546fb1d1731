import Daemon

await RootCommand.runMain()
