/// `withUnsafeBytes` is `rethrows`, which erases typed throws; these keep
/// `HTTPClientError` typed through the buffer closures.
extension Array where Element == UInt8 {
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws(HTTPClientError) -> R) throws(HTTPClientError) -> R {
        var result: Result<R, HTTPClientError>?
        withUnsafeBytes { raw in
            do throws(HTTPClientError) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }

    mutating func withMutableRawBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> R) throws(HTTPClientError) -> R {
        var result: Result<R, HTTPClientError>?
        withUnsafeMutableBytes { raw in
            do throws(HTTPClientError) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }
}
