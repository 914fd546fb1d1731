import COpenSSL

/// One `SSL_CTX` per client configuration: verification on, system trust store plus an
/// optional extra CA file, TLS 1.2 minimum (RFC 9325 §3.1.1). There is deliberately no
/// switch to turn verification off; tests trust their CA through `extraCAFile`.
final class TLSContext: @unchecked Sendable {
    // SSL_CTX is safe to share across threads once configured (OpenSSL threads(7)).
    let ctx: OpaquePointer

    init(extraCAFile: String?) throws(HTTPClientError) {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw .tls("SSL_CTX_new failed: \(TLSContext.drainErrors())")
        }
        self.ctx = ctx
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        guard imagehook_SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 else {
            throw .tls("cannot set TLS 1.2 minimum")
        }
        imagehook_SSL_CTX_set_client_options(ctx)
        _ = imagehook_SSL_CTX_set_nonblocking_modes(ctx)
        if SSL_CTX_set_default_verify_paths(ctx) != 1 {
            throw .tls("cannot load the system trust store: \(TLSContext.drainErrors())")
        }
        if let extraCAFile {
            if SSL_CTX_load_verify_locations(ctx, extraCAFile, nil) != 1 {
                throw .tls("cannot load CA file \(extraCAFile): \(TLSContext.drainErrors())")
            }
        }
    }

    deinit { SSL_CTX_free(ctx) }

    /// Empties this thread's OpenSSL error queue into one line.
    static func drainErrors() -> String {
        var parts: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buf = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buf, buf.count)
            parts.append(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            if parts.count > 8 { break }
        }
        return parts.isEmpty ? "unknown error" : parts.joined(separator: "; ")
    }
}
