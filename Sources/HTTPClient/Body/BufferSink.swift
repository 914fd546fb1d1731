/// Collects a body in memory for the buffered `execute`; the cap is enforced upstream.
final class BufferSink: HTTPBodySink {
    private(set) var bytes: [UInt8] = []

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes)
    }
}
