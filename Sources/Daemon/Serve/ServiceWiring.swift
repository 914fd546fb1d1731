import Foundation
import Logging

/// Builds the real service and simulator for `serve`. Until the service facade is
/// wired, the daemon answers only its own routes and probes data_dir for readiness.
enum ServiceWiring {
    static let makeService: ServiceFactory = { config, _, _ in
        let dataDir = config.dataDir
        return ServiceHandle(storeProblem: { DataDirectory.writeProblem(dataDir) })
    }

    static let makeSimulator: SimulatorFactory? = nil
}
