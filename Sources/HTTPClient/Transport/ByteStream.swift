/// A connected byte stream (plain TCP or TLS over it) driven with deadlines. Used by
/// one thread at a time; a pooled stream moves between requests, never shared.
protocol ByteStream: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(HTTPClientError)
    /// Up to `buffer.count` bytes; 0 at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(HTTPClientError) -> Int
    /// True when the stream ended without a TLS close_notify (RFC 8446 §6.1), which
    /// makes an until-close body indistinguishable from a cut one.
    var endedUncleanly: Bool { get }
    /// The request whose cancellation this stream's waits observe.
    var cancel: CancellationFlag { get set }
    /// An idle pooled stream is reusable only if the peer has neither closed it nor sent
    /// unsolicited bytes.
    func isIdleAndOpen() -> Bool
    func close()
}
