import Foundation

/// /readyz: ready only when the listeners are up, the store takes a durable write, and
/// data_dir has at least readyz_min_free_bytes free (a full disk would turn every
/// callback into a 503 the provider gives up on after ~7 s).
public struct ReadinessProbe: Sendable {
    public struct Report: Sendable {
        /// Which provider tasks go to, so a probe can tell a faked provider from the real one.
        public var provider: ProviderKind
        public var checks: [(name: String, ok: Bool, detail: String)]
        public var ready: Bool { checks.allSatisfy(\.ok) }

        public var json: [UInt8] {
            var text = #"{"status":"\#(ready ? "ready" : "not_ready")","provider":"\#(provider.rawValue)","checks":{"#
            text += checks.map { c in
                #""\#(c.name)":{"ok":\#(c.ok),"detail":\#(Self.quote(c.detail))}"#
            }.joined(separator: ",")
            return Array((text + "}}").utf8)
        }

        static func quote(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
    }

    let settings: RuntimeSettings
    let provider: ProviderKind
    let dataDir: String
    let storeProblem: @Sendable () async -> String?

    public init(settings: RuntimeSettings, provider: ProviderKind, dataDir: String,
                storeProblem: @escaping @Sendable () async -> String?) {
        self.settings = settings
        self.provider = provider
        self.dataDir = dataDir
        self.storeProblem = storeProblem
    }

    public func check() async -> Report {
        var checks: [(String, Bool, String)] = []
        let up = settings.areListenersUp
        checks.append(("listeners", up, up ? "public and internal listening" : "not started"))
        let problem = await storeProblem()
        checks.append(("store", problem == nil, problem ?? "writable"))
        let minimum = settings.current.readyzMinFreeBytes
        if let free = DiskSpace.availableBytes(at: dataDir) {
            checks.append(("disk", free >= minimum, "\(free) bytes free, minimum \(minimum)"))
        } else {
            checks.append(("disk", false, "cannot stat data_dir"))
        }
        return Report(provider: provider, checks: checks)
    }
}
