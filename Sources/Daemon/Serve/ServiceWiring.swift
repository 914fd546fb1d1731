import EvoLinkSim
import Foundation
import Logging

/// Builds the real service and simulator for `serve`.
enum ServiceWiring {
    static let makeService: ServiceFactory = { config, _, _ in
        let dataDir = config.dataDir
        return ServiceHandle(storeProblem: { DataDirectory.writeProblem(dataDir) })
    }

    /// The embedded EvoLink simulator for simulator mode: local-development flags
    /// (http and loopback callback URLs allowed), trusting extra_ca_file for https
    /// callbacks through a local TLS proxy.
    static let makeSimulator: SimulatorFactory = { config, logger in
        let simConfig = SimulatorConfiguration(timeScale: config.simulatorTimeScale,
                                               callbackCAFile: config.extraCAFile,
                                               allowInsecureCallbacks: true)
        var simLogger = logger
        simLogger[metadataKey: "component"] = "simulator"
        let simulator = Simulator(configuration: simConfig, logger: simLogger)
        try simulator.start(address: config.simulatorListen.description)
        return (simulator.baseURL, { await simulator.stop() })
    }
}
