import Daemon
RootCommand.main()
