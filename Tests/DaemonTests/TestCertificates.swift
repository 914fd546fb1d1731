import Foundation
import TestSupport

/// A throwaway CA and a server certificate for 127.0.0.1 / localhost, made with the
/// openssl command line in the test's own directory.
struct TestCertificates {
    let caCert: String
    let serverCert: String
    let serverKey: String

    init(in dir: TemporaryDirectory) throws {
        let d = dir.path
        caCert = d + "/ca.pem"
        serverCert = d + "/server.pem"
        serverKey = d + "/server.key"
        dir.write("san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n", mode: 0o644)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", d + "/ca.key",
             "-out", caCert, "-days", "2", "-subj", "/CN=imagehook test CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", serverKey,
             "-out", d + "/server.csr", "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", d + "/server.csr", "-CA", caCert, "-CAkey", d + "/ca.key", "-CAcreateserial",
             "-out", serverCert, "-days", "2", "-extfile", d + "/san.ext"],
        ]
        for args in steps {
            let result = runTool("/usr/bin/openssl", args, directory: d, timeout: 30)
            guard result.status == 0 else { throw DaemonProcess.Failure("openssl \(args[0]) failed: \(result.output)") }
        }
    }
}
