import Foundation
import TestSupport

/// The deployment's TLS reverse proxy, played by one nginx with three servers, all on
/// 127.0.0.1 and ephemeral ports:
/// - the callback front, `https://127.0.0.1:<port>` (the daemon's `public_url`),
///   passing `/v1/callbacks/` to the daemon's public listener, so callbacks arrive the
///   way the provider sends them: HTTPS, through a proxy, into the plain listener;
/// - a plain-HTTP relay receiver standing in for the submitters' `callback_url`;
/// - the result-link front, `https://127.0.0.1:<port>` (the simulator's
///   `--public-base-url`), passing everything to the simulator, because a provider-mode
///   daemon downloads https links only.
///
/// Nothing here needs root or a special host name: the daemon is told to accept the
/// link port (`download_allowed_ports`) and loopback (`download_allow_networks`), and
/// it accepts a loopback `public_url` because its `provider_base_url` is loopback too
/// (a local simulator). The leaf certificate names IP 127.0.0.1, trusted through the
/// throwaway CA (`extra_ca_file`, `--callback-ca-file`).
final class TLSFront: @unchecked Sendable {
    static let host = "127.0.0.1"
    let callbackPort: Int
    let linkPort: Int
    /// Plain-HTTP port of the submitters' relay receiver (`/relay/...` answered 204).
    let relayPort: Int
    let directory: String
    let caFile: String
    let accessLogPath: String
    private var child: ChildProcess?
    /// The daemon's `public_url`.
    var callbackBaseURL: String { "https://\(Self.host):\(callbackPort)" }
    /// The relay target for one submit.
    func relayURL(_ name: String) -> String { "http://\(Self.host):\(relayPort)/relay/\(name)" }
    /// The simulator's result-link base.
    var linkBaseURL: String { "https://\(Self.host):\(linkPort)" }

    /// Picks the ports and issues a throwaway CA and one leaf certificate for 127.0.0.1;
    /// the simulator needs them (link base, callback trust) before nginx starts.
    init(directory scratch: TemporaryDirectory) throws {
        directory = scratch.path + "/front"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        caFile = directory + "/ca.pem"
        accessLogPath = directory + "/access.log"
        // Below the ephemeral range (`restartablePort`): a port probed free there cannot
        // be handed meanwhile to a parallel test's port-0 listener or outgoing connection,
        // which made nginx's bind fail with EADDRINUSE.
        callbackPort = try Loopback.restartablePort()
        var link = try Loopback.restartablePort()
        while link == callbackPort { link = try Loopback.restartablePort() }
        linkPort = link
        var relay = try Loopback.restartablePort()
        while relay == callbackPort || relay == linkPort { relay = try Loopback.restartablePort() }
        relayPort = relay
        try Self.run("/bin/sh", ["-c", Self.caScript + "\n" + Self.leafScript(san: "IP:\(Self.host)")],
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
          log_format uris '$request_method $request_uri $status $http_webhook_id $http_webhook_signature';
          access_log \(accessLogPath) uris;
          client_body_temp_path \(dir)/t1; proxy_temp_path \(dir)/t2; fastcgi_temp_path \(dir)/t3;
          uwsgi_temp_path \(dir)/t4; scgi_temp_path \(dir)/t5;
          client_max_body_size 256k;
          ssl_certificate \(dir)/leaf.pem; ssl_certificate_key \(dir)/leaf.key;
          server {
            listen \(Self.host):\(callbackPort) ssl;
            location /v1/callbacks/ { \(callbackRoute) }
            location / { return 404; }
          }
          server {
            listen \(Self.host):\(relayPort);
            location /relay/ { return 204; }
          }
          server {
            listen \(Self.host):\(linkPort) ssl;
            location / { proxy_pass http://127.0.0.1:\(simulatorPort); }
          }
        }
        """
        try Data(conf.utf8).write(to: URL(fileURLWithPath: dir + "/nginx.conf"))
        // A restart (new daemon ports) must not read the previous run's pid file or log.
        try? FileManager.default.removeItem(atPath: dir + "/nginx.pid")
        try? FileManager.default.removeItem(atPath: dir + "/error.log")
        let child = try ChildProcess("/usr/sbin/nginx", ["-e", dir + "/error.log", "-p", dir, "-c", dir + "/nginx.conf"],
                                     environment: ChildProcess.isolatedEnvironment(), name: "nginx")
        self.child = child
        func up() -> Bool {
            [callbackPort, linkPort, relayPort].allSatisfy { Loopback.canConnect(host: Self.host, port: $0) }
        }
        // nginx keeps the sockets it did bind and retries a failed bind for seconds
        // before it exits; meanwhile another process may answer on the contested port,
        // so a successful connect alone does not prove nginx listens there. nginx writes
        // its pid file only once every listener is open, and logs each failed bind.
        func bindFailed() -> Bool {
            ((try? String(contentsOfFile: dir + "/error.log", encoding: .utf8)) ?? "").contains("bind() to")
        }
        func ready() -> Bool { FileManager.default.fileExists(atPath: dir + "/nginx.pid") && up() }
        let end = Date().addingTimeInterval(10)
        while Date() < end && child.isRunning && !bindFailed() && !ready() { usleep(20_000) }
        guard child.isRunning && !bindFailed() && ready() else {
            child.stop(signal: SIGKILL)
            let log = (try? String(contentsOfFile: dir + "/error.log", encoding: .utf8)) ?? ""
            throw SystemFailure("""
                nginx could not listen on \(Self.host) ports \(callbackPort), \(linkPort), \(relayPort) \
                (taken by a parallel test since they were probed?): \(child.output) \(log)
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

    /// Relay deliveries received: (path, webhook-id, webhook-signature present).
    func loggedRelays() -> [(uri: String, webhookID: String, signed: Bool)] {
        let text = (try? String(contentsOfFile: accessLogPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count >= 5, parts[0] == "POST", parts[1].hasPrefix("/relay/") else { return nil }
            return (String(parts[1]), String(parts[3]), parts[4].hasPrefix("v1,"))
        }
    }

    /// Blocking (SIGKILL, then a bounded wait); call it off the pool.
    func stop() { child?.stop(signal: SIGKILL) }

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

    /// Runs a setup command to completion (bounded), failing on a non-zero exit. Blocking:
    /// callers run it through `offPool`.
    static func run(_ executable: String, _ arguments: [String], in directory: String) throws {
        try ChildProcess.run(executable, arguments, directory: directory, timeout: 30).requireSuccess()
    }
    // No deinit: the child's own deinit SIGKILLs nginx without blocking this thread.
}
