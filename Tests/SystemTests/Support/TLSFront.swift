import Foundation

/// The deployment's TLS reverse proxy, played by nginx: HTTPS on port 443 of a random
/// 127.x.y.z address, `/v1/callbacks/` to the daemon's public listener and everything
/// else (result images) to the simulator.
///
/// Why port 443 and not an ephemeral port: a daemon with a provider key insists on an
/// https `public_url`, and its image downloads only reach https URLs on ports 80/443
/// (the download address policy; there is no key to widen the ports). A random address
/// in 127/8 keeps parallel runs apart. Binding 443 needs root or
/// CAP_NET_BIND_SERVICE; without it this fails loudly.
final class TLSFront: @unchecked Sendable {
    let address: String
    let directory: String
    let caFile: String
    let accessLogPath: String
    private var child: ChildProcess?
    var baseURL: String { "https://\(address)" }

    /// Picks the address and issues a throwaway CA and a leaf certificate for it; the
    /// simulator needs both (result link base, callback trust) before nginx can start.
    init(directory scratch: ScratchDirectory) throws {
        directory = scratch.path + "/front"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        caFile = directory + "/ca.pem"
        accessLogPath = directory + "/access.log"
        address = "127.\(Int.random(in: 1...254)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        try Self.run("/bin/sh", ["-c", Self.caScript + "\n" + Self.leafScript(address: address)], in: directory)
    }

    /// Starts nginx. `callbacksReachDaemon: false` answers every callback with 503
    /// (still logged), so only requests a test sends itself reach the daemon.
    func start(daemonPublicPort: Int, simulatorPort: Int, callbacksReachDaemon: Bool = true) throws {
        let dir = directory
        let callbackRoute = callbacksReachDaemon ? "proxy_pass http://127.0.0.1:\(daemonPublicPort);" : "return 503;"
        let conf = """
        daemon off;
        master_process off;
        worker_processes 1;
        error_log \(dir)/error.log;
        pid \(dir)/nginx.pid;
        events { worker_connections 512; }
        http {
          log_format uris '$request_method $request_uri $status';
          access_log \(accessLogPath) uris;
          client_body_temp_path \(dir)/t1; proxy_temp_path \(dir)/t2; fastcgi_temp_path \(dir)/t3;
          uwsgi_temp_path \(dir)/t4; scgi_temp_path \(dir)/t5;
          client_max_body_size 256k;
          server {
            listen \(address):443 ssl;
            ssl_certificate \(dir)/leaf.pem; ssl_certificate_key \(dir)/leaf.key;
            location /v1/callbacks/ { \(callbackRoute) }
            location / { proxy_pass http://127.0.0.1:\(simulatorPort); }
          }
        }
        """
        try Data(conf.utf8).write(to: URL(fileURLWithPath: dir + "/nginx.conf"))
        let child = try ChildProcess("/usr/sbin/nginx", ["-e", dir + "/error.log", "-p", dir, "-c", dir + "/nginx.conf"],
                                     outputPath: dir + "/nginx.out", name: "nginx")
        self.child = child
        let end = Date().addingTimeInterval(10)
        while Date() < end && child.isRunning && !Loopback.canConnect(host: address, port: 443) { usleep(20_000) }
        guard child.isRunning && Loopback.canConnect(host: address, port: 443) else {
            let log = (try? String(contentsOfFile: dir + "/error.log", encoding: .utf8)) ?? ""
            throw SystemFailure("""
                nginx could not listen on \(address):443 (the daemon's downloads only reach https on ports \
                80/443, so the front must use 443; binding it needs root or CAP_NET_BIND_SERVICE): \
                \(child.output) \(log)
                """)
        }
    }

    /// Request URIs nginx logged with the given method and prefix.
    func loggedURIs(method: String, prefix: String) -> [String] {
        let text = (try? String(contentsOfFile: accessLogPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count >= 2, parts[0] == method, parts[1].hasPrefix(prefix) else { return nil }
            return String(parts[1])
        }
    }

    func stop() { child?.stop(signal: SIGTERM, timeout: 5) }

    static let caScript = """
    set -e
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
      -subj /CN=imagehook-system-test-ca -days 2 -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    """

    static func leafScript(address: String) -> String {
        """
        set -e
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
          -subj /CN=front 2>/dev/null
        printf 'subjectAltName=IP:\(address)\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > leaf.ext
        openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 2 \
          -extfile leaf.ext 2>/dev/null
        """
    }

    /// Runs a setup command to completion (bounded), failing on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let end = Date().addingTimeInterval(30)
        while process.isRunning && Date() < end { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw SystemFailure("\(executable) \(arguments) timed out")
        }
        guard process.terminationStatus == 0 else {
            let text = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            throw SystemFailure("\(executable) \(arguments) failed: \(text)")
        }
    }

    deinit { child?.stop() }
}
