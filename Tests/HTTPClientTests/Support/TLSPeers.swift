import Foundation
import TestSupport

/// `openssl s_server -WWW` on 127.0.0.1 with an ephemeral port (read back from its
/// "ACCEPT" line), serving files from the test directory.
final class OpenSSLServer: @unchecked Sendable {
    let child: ChildProcess
    let port: Int

    /// `sniLeaf` is served instead of `leaf` to clients that send SNI `localhost`.
    init(certificates: TestCertificates, leaf: String, sniLeaf: String? = nil) throws {
        var arguments = [
            "s_server", "-accept", "127.0.0.1:0", "-cert", certificates.cert(leaf), "-key", certificates.key(leaf),
            "-WWW", "-naccept", "20",
        ]
        if let sniLeaf {
            arguments += ["-servername", "localhost", "-cert2", certificates.cert(sniLeaf), "-key2", certificates.key(sniLeaf)]
        }
        child = try ChildProcess("/usr/bin/openssl", arguments, directory: certificates.directory.path,
                                 name: "s_server-\(leaf)")
        let line = try child.waitForLine(containing: "ACCEPT", timeout: 10)
        guard let port = Int(line.split(separator: ":").last ?? "") else {
            throw TestFailure("no port in s_server output: \(child.output)")
        }
        self.port = port
    }
    // The child's own deinit kills it (and its group) without blocking this thread.
}

/// nginx as a child (`daemon off`, single process, every path in the test directory)
/// serving HTTPS on an ephemeral port; its port is picked by binding port 0 first, and
/// startup is retried on the rare collision.
final class NginxServer: @unchecked Sendable {
    let child: ChildProcess
    let port: Int

    init(certificates: TestCertificates, extraLocations: String = "") throws {
        let dir = certificates.directory
        var lastError = ""
        for attempt in 0..<5 {
            let port = try TestPeer.freePort()
            let conf = """
            daemon off;
            master_process off;
            worker_processes 1;
            error_log \(dir.path)/nginx-error.log;
            pid \(dir.path)/nginx.pid;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path \(dir.path)/t1; proxy_temp_path \(dir.path)/t2; fastcgi_temp_path \(dir.path)/t3;
              uwsgi_temp_path \(dir.path)/t4; scgi_temp_path \(dir.path)/t5;
              default_type text/plain;
              server {
                listen 127.0.0.1:\(port) ssl;
                ssl_certificate \(certificates.cert("good")); ssl_certificate_key \(certificates.key("good"));
                root \(dir.path)/www;
                gzip on; gzip_types text/plain; gzip_min_length 0;
                \(extraLocations)
              }
            }
            """
            dir.write("nginx-\(attempt).conf", conf, mode: 0o644)
            let child = try ChildProcess("/usr/sbin/nginx", [
                "-e", dir.file("nginx-error.log"), "-p", dir.path, "-c", dir.file("nginx-\(attempt).conf"),
            ], directory: dir.path, name: "nginx-\(attempt)")
            if TestPeer.waitUntilListening(port: port, seconds: 5) && child.isRunning {
                self.child = child
                self.port = port
                return
            }
            lastError = child.output + ((try? String(contentsOfFile: dir.file("nginx-error.log"), encoding: .utf8)) ?? "")
            child.stop()
        }
        throw TestFailure("nginx did not start: \(lastError)")
    }
}
