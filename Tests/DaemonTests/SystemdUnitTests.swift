import Foundation
import TestSupport
import Testing

@Suite struct SystemdUnitTests {
    static let units = ["imagehookd.service", "imagehookd.socket", "imagehookd-internal.socket"]

    /// Copies the units to a temp dir, pointing ExecStart at an existing executable:
    /// `systemd-analyze verify` rejects a unit whose binary is missing.
    func stagedUnits(_ dir: TemporaryDirectory) throws -> String {
        let binary = dir.write("bin/imagehookd", "#!/bin/sh\nexit 0\n", mode: 0o755)
        for unit in Self.units {
            var text = try String(contentsOfFile: packageRoot + "/systemd/" + unit, encoding: .utf8)
            text = text.replacingOccurrences(of: "/usr/local/bin/imagehookd", with: binary)
            dir.write(unit, text, mode: 0o644)
        }
        return dir.path
    }

    @Test func unitsVerifyClean() async throws {
        let dir = TemporaryDirectory()
        let path = try stagedUnits(dir)
        let result = await offPool { runTool("/usr/bin/systemd-analyze", ["verify"] + Self.units.map { "./" + $0 }, directory: path) }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(result.output)")
    }

    @Test func serviceExposureIsAtMostTwo() async throws {
        let dir = TemporaryDirectory()
        let path = try stagedUnits(dir)
        let result = await offPool {
            runTool("/usr/bin/systemd-analyze", ["security", "--offline=true", "--no-pager", "./imagehookd.service"],
                    directory: path)
        }
        let line = result.output.split(separator: "\n").first { $0.contains("Overall exposure level") }
        let score = line.flatMap { l in l.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) } }
        #expect(score != nil, "\(result.output)")
        #expect((score ?? 99) <= 2.0, "exposure \(score ?? -1)")
    }

    @Test func socketsAreNamedForTheDaemon() throws {
        let publicUnit = try String(contentsOfFile: packageRoot + "/systemd/imagehookd.socket", encoding: .utf8)
        let internalUnit = try String(contentsOfFile: packageRoot + "/systemd/imagehookd-internal.socket", encoding: .utf8)
        let service = try String(contentsOfFile: packageRoot + "/systemd/imagehookd.service", encoding: .utf8)
        #expect(publicUnit.contains("FileDescriptorName=public\n"))
        #expect(internalUnit.contains("FileDescriptorName=internal\n"))
        #expect(publicUnit.contains("Service=imagehookd.service"))
        #expect(internalUnit.contains("ListenStream=127.0.0.1:"))
        for setting in ["Type=notify", "WatchdogSec=", "DynamicUser=yes", "StateDirectory=imagehook",
                        "LoadCredential=evolink-api-key:", "ProtectSystem=strict", "PrivateTmp=yes",
                        "NoNewPrivileges=yes", "SystemCallFilter=@system-service",
                        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "CapabilityBoundingSet=\n",
                        "RestartPreventExitStatus=78"] {
            #expect(service.contains(setting), "missing \(setting)")
        }
    }
}
