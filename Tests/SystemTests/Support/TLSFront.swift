import Foundation

/// The deployment's TLS reverse proxy, played by one nginx with two HTTPS servers:
/// - the callback front, `https://<loopback name>:<ephemeral port>` (the daemon's
///   `public_url`), passing `/v1/callbacks/` to the daemon's public listener;
/// - a plain-HTTP relay receiver standing in for the submitters' `callback_url`;
/// - the result-link front, `https://127.x.y.z` on port 443 (the simulator's
///   `--public-base-url`), passing everything to the simulator.
///
/// Why port 443 for result links: in provider mode the daemon downloads only https URLs
/// on ports 80/443 (its download address policy; no key widens the ports). A random
/// address in 127/8 keeps parallel runs apart. Binding 443 needs root or
/// CAP_NET_BIND_SERVICE; without it this fails loudly.
final class TLSFront: @unchecked Sendable {
    let callbackHost: String
    let callbackAddress: String
    let callbackPort: Int
    let linkAddress: String
    /// Plain-HTTP port of the submitters' relay receiver (`/relay/...` answered 204).
    let relayPort: Int
    let directory: String
    let caFile: String
    let accessLogPath: String
    private var child: ChildProcess?
    /// The daemon's `public_url`.
    var callbackBaseURL: String { "https://\(callbackHost):\(callbackPort)" }
    /// The relay target for one submit.
    func relayURL(_ name: String) -> String { "http://127.0.0.1:\(relayPort)/relay/\(name)" }
    /// The simulator's result-link base.
    var linkBaseURL: String { "https://\(linkAddress)" }

    /// Picks the addresses and issues a throwaway CA and one leaf certificate for both
    /// names; the simulator needs them (link base, callback trust) before nginx starts.
    init(directory scratch: ScratchDirectory) throws {
        directory = scratch.path + "/front"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        caFile = directory + "/ca.pem"
        accessLogPath = directory + "/access.log"
        (callbackHost, callbackAddress) = try LoopbackName.find()
        callbackPort = try Loopback.freePort(host: callbackAddress)
        relayPort = try Loopback.freePort()
        linkAddress = "127.\(Int.random(in: 1...254)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        try Self.run("/bin/sh", ["-c", Self.caScript + "\n" + Self.leafScript(san: "DNS:\(callbackHost),IP:\(linkAddress)")],
                     in: directory)
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
          ssl_certificate \(dir)/leaf.pem; ssl_certificate_key \(dir)/leaf.key;
          server {
            listen \(callbackAddress):\(callbackPort) ssl;
            location /v1/callbacks/ { \(callbackRoute) }
            location / { return 404; }
          }
          server {
            listen 127.0.0.1:\(relayPort);
            location /relay/ { return 204; }
          }
          server {
            listen \(linkAddress):443 ssl;
            location / { proxy_pass http://127.0.0.1:\(simulatorPort); }
          }
        }
        """
        try Data(conf.utf8).write(to: URL(fileURLWithPath: dir + "/nginx.conf"))
        let child = try ChildProcess("/usr/sbin/nginx", ["-e", dir + "/error.log", "-p", dir, "-c", dir + "/nginx.conf"],
                                     outputPath: dir + "/nginx.out", name: "nginx")
        self.child = child
        func up() -> Bool {
            Loopback.canConnect(host: linkAddress, port: 443) && Loopback.canConnect(host: callbackAddress, port: callbackPort)
                && Loopback.canConnect(host: "127.0.0.1", port: relayPort)
        }
        let end = Date().addingTimeInterval(10)
        while Date() < end && child.isRunning && !up() { usleep(20_000) }
        guard child.isRunning && up() else {
            let log = (try? String(contentsOfFile: dir + "/error.log", encoding: .utf8)) ?? ""
            throw SystemFailure("""
                nginx could not listen on \(callbackAddress):\(callbackPort) and \(linkAddress):443 (the daemon's \
                downloads only reach https on ports 80/443, so result links must use 443; binding it needs root \
                or CAP_NET_BIND_SERVICE): \(child.output) \(log)
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

    static func leafScript(san: String) -> String {
        """
        set -e
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
          -subj /CN=front 2>/dev/null
        printf 'subjectAltName=\(san)\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > leaf.ext
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
