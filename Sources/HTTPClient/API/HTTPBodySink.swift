/// Receives a response body as it arrives (a temp file, a hasher). Called on the
/// request's I/O thread, never concurrently; the buffer is only valid during the call.
public protocol HTTPBodySink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}
