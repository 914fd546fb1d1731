import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// TLS over a non-blocking `Socket`. Every OpenSSL call may ask to wait for either
/// direction (WANT_READ during a write, e.g. a key update; WANT_WRITE during a read),
/// so each is retried after polling for what it asked, within the caller's deadline.
final class TLSStream: ByteStream, @unchecked Sendable {
    private let socket: Socket
    private var ssl: OpaquePointer?
    private(set) var endedUncleanly = false
    private var peerClosed = false

    var cancel: CancellationFlag {
        get { socket.cancel }
        set { socket.cancel = newValue }
    }

    /// Handshakes and verifies the peer for `host`: name check with SSL_set1_host, or
    /// the IP SAN check for literals; SNI only for names (RFC 6066 §3 forbids literals).
    init(socket: Socket, context: TLSContext, host: String, deadline: Deadline) throws(HTTPClientError) {
        self.socket = socket
        ERR_clear_error()
        guard let ssl = SSL_new(context.ctx) else { throw .tls("SSL_new failed: \(TLSContext.drainErrors())") }
        self.ssl = ssl
        guard SSL_set_fd(ssl, socket.fd) == 1 else { throw .tls("SSL_set_fd failed") }
        if IPAddress(host) != nil {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw .tls("cannot set expected IP \(host)")
            }
        } else {
            guard SSL_set1_host(ssl, host) == 1 else { throw .tls("cannot set expected host \(host)") }
            guard imagehook_SSL_set_tlsext_host_name(ssl, host) == 1 else { throw .tls("cannot set SNI") }
        }
        while true {
            ERR_clear_error()
            let rc = SSL_connect(ssl)
            if rc == 1 { break }
            let err = SSL_get_error(ssl, rc)
            switch err {
            case SSL_ERROR_WANT_READ: try socket.wait(for: Int16(POLLIN), deadline: deadline)
            case SSL_ERROR_WANT_WRITE: try socket.wait(for: Int16(POLLOUT), deadline: deadline)
            default: throw .tls(handshakeFailureReason(ssl, err))
            }
        }
        // Belt and braces: SSL_VERIFY_PEER already fails the handshake on a bad chain.
        let verify = SSL_get_verify_result(ssl)
        guard verify == X509_V_OK else { throw .tls(Self.describe(verifyResult: verify)) }
    }

    deinit { close() }

    private func handshakeFailureReason(_ ssl: OpaquePointer, _ err: Int32) -> String {
        let verify = SSL_get_verify_result(ssl)
        if verify != X509_V_OK {
            ERR_clear_error()
            return Self.describe(verifyResult: verify)
        }
        if err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 {
            return "connection closed during the handshake"
        }
        return "handshake failed: \(TLSContext.drainErrors())"
    }

    /// Names the verification failure in the three terms callers act on, followed by
    /// OpenSSL's own text.
    static func describe(verifyResult code: Int) -> String {
        let text = String(cString: X509_verify_cert_error_string(code))
        switch Int32(code) {
        case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID:
            return "certificate expired or not yet valid (\(text))"
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            return "hostname mismatch (\(text))"
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
             X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return "unknown issuer (\(text))"
        default:
            return "certificate verification failed (\(text))"
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(HTTPClientError) {
        guard let ssl else { throw .io("TLS stream closed") }
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let chunk = Int32(min(bytes.count - offset, 1 << 20))
            let n = SSL_write(ssl, bytes.baseAddress! + offset, chunk)
            if n > 0 { offset += Int(n); continue }
            let err = SSL_get_error(ssl, n)
            switch err {
            case SSL_ERROR_WANT_WRITE: try socket.wait(for: Int16(POLLOUT), deadline: deadline)
            case SSL_ERROR_WANT_READ: try socket.wait(for: Int16(POLLIN), deadline: deadline)
            default: throw .io("TLS write failed: \(TLSContext.drainErrors())")
            }
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(HTTPClientError) -> Int {
        guard let ssl else { throw .io("TLS stream closed") }
        if peerClosed { return 0 }
        while true {
            ERR_clear_error()
            let n = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
            if n > 0 { return Int(n) }
            let err = SSL_get_error(ssl, n)
            switch err {
            case SSL_ERROR_WANT_READ: try socket.wait(for: Int16(POLLIN), deadline: deadline)
            case SSL_ERROR_WANT_WRITE: try socket.wait(for: Int16(POLLOUT), deadline: deadline)
            case SSL_ERROR_ZERO_RETURN:
                peerClosed = true
                return 0
            case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
                peerClosed = true
                endedUncleanly = true
                return 0
            case SSL_ERROR_SSL where imagehook_ERR_is_unexpected_eof(ERR_peek_error()) != 0:
                ERR_clear_error()
                peerClosed = true
                endedUncleanly = true
                return 0
            default:
                throw .io("TLS read failed: \(TLSContext.drainErrors())")
            }
        }
    }

    func isIdleAndOpen() -> Bool {
        guard let ssl, !peerClosed, SSL_pending(ssl) == 0 else { return false }
        if socket.isIdleAndOpen() { return true }
        // Readable while idle is not always bad under TLS: a TLS 1.3 server may send
        // post-handshake messages (NewSessionTicket, RFC 8446 §4.6.1) at any time. Let
        // OpenSSL consume them; only application data, close_notify or an error make
        // the connection unusable.
        var byte: UInt8 = 0
        ERR_clear_error()
        let n = SSL_peek(ssl, &byte, 1)
        if n > 0 { return false }
        let err = SSL_get_error(ssl, n)
        ERR_clear_error()
        return err == SSL_ERROR_WANT_READ && socket.isIdleAndOpen()
    }

    func close() {
        if let ssl {
            // Best effort close_notify; never wait for the peer's.
            ERR_clear_error()
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
            SSL_free(ssl)
            self.ssl = nil
        }
        socket.close()
    }
}
