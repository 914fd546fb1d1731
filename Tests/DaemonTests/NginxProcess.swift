import Foundation
import TestSupport

/// A real nginx on 127.0.0.1 running `config/nginx/imagehook.conf`, rewritten only for
/// paths and ports, in the foreground as a child of the test.
final class NginxProcess {
    let child: ChildProcess
    let port: Int
    let accessLog: String

    init(dir: TemporaryDirectory, upstreamPort: Int, listenPort: Int, certificates: TestCertificates) throws {
        let d = dir.path
        port = listenPort
        accessLog = d + "/access.log"
        try FileManager.default.createDirectory(atPath: d + "/nginx-tmp", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        chmod(d, 0o755)
        var site = try String(contentsOfFile: packageRoot + "/config/nginx/imagehook.conf", encoding: .utf8)
        let replacements = [
            ("server 127.0.0.1:8080;", "server 127.0.0.1:\(upstreamPort);"),
            ("listen 443 ssl;", "listen 127.0.0.1:\(listenPort) ssl;"),
            ("listen [::]:443 ssl;", ""),
            ("/etc/nginx/tls/imagehook.crt", certificates.serverCert),
            ("/etc/nginx/tls/imagehook.key", certificates.serverKey),
            ("/var/log/nginx/imagehook.access.log", accessLog),
        ]
        for (from, to) in replacements {
            guard site.contains(from) else { throw DaemonProcess.Failure("nginx config lacks `\(from)`") }
            site = site.replacingOccurrences(of: from, with: to)
        }
        dir.write("site.conf", site, mode: 0o644)
        dir.write("nginx.conf", """
        daemon off;
        master_process on;
        worker_processes 1;
        pid \(d)/nginx.pid;
        error_log \(d)/error.log warn;
        events { worker_connections 64; }
        http {
            client_body_temp_path \(d)/nginx-tmp/body;
            proxy_temp_path \(d)/nginx-tmp/proxy;
            fastcgi_temp_path \(d)/nginx-tmp/fastcgi;
            uwsgi_temp_path \(d)/nginx-tmp/uwsgi;
            scgi_temp_path \(d)/nginx-tmp/scgi;
            include \(d)/site.conf;
        }
        """, mode: 0o644)
        child = try ChildProcess("/usr/sbin/nginx", ["-p", d, "-c", d + "/nginx.conf"],
                                 environment: ChildProcess.isolatedEnvironment(), stdout: .discard, stderr: .discard,
                                 name: "nginx")
        // Bounded wait until it accepts connections.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.canConnect(port: listenPort) { return }
            if !child.isRunning { break }
            usleep(50_000)
        }
        let log = (try? String(contentsOfFile: d + "/error.log", encoding: .utf8)) ?? ""
        throw DaemonProcess.Failure("nginx did not start: \(log)")
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// A port the kernel considers free now (bind to port 0, read, close).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
    // No deinit: the child's own deinit SIGKILLs nginx's process group without blocking.
}
