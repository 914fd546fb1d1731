import Foundation
import TestSupport

/// A TLS peer (Python's ssl module, started as a child on 127.0.0.1) that answers every
/// request with a close-delimited body (no Content-Length, no chunked coding) and then
/// ends the connection the way many CDNs do: `cleanClose` false closes the socket
/// without sending close_notify (RFC 8446 §6.1), true sends it first. `openssl
/// s_server` always sends close_notify, so it cannot play the first part.
final class CloseDelimitedTLSServer: @unchecked Sendable {
    let child: ChildProcess
    let port: Int

    static let script = #"""
    import socket, ssl, sys
    cert, key, body_path, clean = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "clean"
    body = open(body_path, "rb").read()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(60)
    print("PORT %d" % listener.getsockname()[1], flush=True)
    for _ in range(8):
        raw, _ = listener.accept()
        raw.settimeout(30)
        tls = context.wrap_socket(raw, server_side=True)
        request = b""
        while b"\r\n\r\n" not in request:
            piece = tls.recv(4096)
            if not piece:
                break
            request += piece
        tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n" + body)
        if clean:
            tls.unwrap()
            raw.close()
        else:
            # Close the TCP socket under the TLS layer: no close_notify is sent.
            raw.shutdown(socket.SHUT_RDWR)
            raw.close()
    """#

    init(certificates: TestCertificates, body: [UInt8], cleanClose: Bool) throws {
        let bodyFile = certificates.directory.file("close-delimited-\(cleanClose).bin")
        _ = FileManager.default.createFile(atPath: bodyFile, contents: Data(body))
        child = try ChildProcess("/usr/bin/env", [
            "python3", "-c", Self.script, certificates.cert("good"), certificates.key("good"), bodyFile,
            cleanClose ? "clean" : "unclean",
        ], name: "close-delimited-tls")
        let line = try child.waitForLine(containing: "PORT", timeout: 20)
        guard let port = Int(line.split(separator: " ").last ?? "") else {
            throw TestFailure("no port in output: \(child.output)")
        }
        self.port = port
    }
}
