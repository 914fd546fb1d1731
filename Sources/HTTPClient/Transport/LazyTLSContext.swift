import Support

/// The client's TLS context, built on the first https request rather than with the
/// client. Loading the system trust store costs tens of milliseconds of CPU under
/// OpenSSL 3, and most clients (plain-http loopback peers, the simulator's callback
/// sender) never need it; built here it also runs on the request's I/O thread instead
/// of the caller's. A failed build is kept and reported as `.tls` by every https request.
final class LazyTLSContext: Sendable {
    private let extraCAFile: String?
    private let built = Locked<Result<TLSContext, HTTPClientError>?>(nil)

    init(extraCAFile: String?) { self.extraCAFile = extraCAFile }

    func get() throws(HTTPClientError) -> TLSContext {
        let result = built.withLock { state -> Result<TLSContext, HTTPClientError> in
            if let state { return state }
            let made: Result<TLSContext, HTTPClientError>
            do throws(HTTPClientError) {
                made = .success(try TLSContext(extraCAFile: extraCAFile))
            } catch {
                made = .failure(error)
            }
            state = made
            return made
        }
        return try result.get()
    }
}
