import Foundation
import TestSupport

/// A test CA and leaf certificates generated at test time with the openssl CLI:
/// good (SAN 127.0.0.1 + localhost), wrong host, expired (issued by `openssl ca` with a
/// 2020 validity window), and a self-signed one the CA file does not contain.
struct TestCertificates {
    let directory: TemporaryDirectory
    var caFile: String { directory.file("ca.pem") }
    func cert(_ name: String) -> String { directory.file("\(name).pem") }
    func key(_ name: String) -> String { directory.file("\(name).key") }

    static let script = """
    set -e
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
      -subj /CN=imagehook-test-ca -days 2 -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign
    mkleaf() {
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $1.key -out $1.csr -subj /CN=$1
      printf 'subjectAltName=%s\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' "$2" > $1.ext
    }
    mkleaf good 'IP:127.0.0.1,DNS:localhost'
    openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out good.pem -days 2 -extfile good.ext
    mkleaf wronghost 'DNS:wrong.example,IP:10.9.9.9'
    openssl x509 -req -in wronghost.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out wronghost.pem -days 2 -extfile wronghost.ext
    mkleaf expired 'IP:127.0.0.1,DNS:localhost'
    mkdir -p db && : > db/index.txt && echo 01 > db/serial
    printf '[ca]\\ndefault_ca=d\\n[d]\\ndir=.\\ndatabase=db/index.txt\\nserial=db/serial\\nnew_certs_dir=db\\ndefault_md=sha256\\npolicy=p\\n[p]\\ncommonName=supplied\\n' > ca.cnf
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
      -startdate 20200101000000Z -enddate 20200102000000Z -extfile expired.ext -notext
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout selfsigned.key -out selfsigned.pem \
      -subj /CN=selfsigned -days 2 -addext subjectAltName=IP:127.0.0.1,DNS:localhost
    """

    init(in directory: TemporaryDirectory) throws {
        self.directory = directory
        try ChildProcess.run("/bin/sh", ["-c", Self.script], directory: directory.path).requireSuccess()
    }
}
