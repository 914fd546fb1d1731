import CZlib

/// Streaming decoder for `Content-Encoding: gzip` / `deflate` (RFC 9110 §8.4.1) with a
/// cap on decoded output, so a small compressed body cannot expand without bound.
///
/// `deflate` means the zlib format (RFC 1950) but some servers send raw RFC 1951
/// data; windowBits 15+32 auto-detects gzip/zlib headers, and a failure on the very
/// first input retries as raw deflate.
final class ContentDecoder {
    enum Coding: String { case gzip, deflate }

    private var stream = z_stream()
    private var initialized = false
    private let coding: Coding
    private let maxOutput: Int
    private(set) var produced = 0
    private var consumedAny = false
    private var triedRaw = false
    private var finished = false
    private var firstInput: [UInt8] = []

    init(coding: Coding, maxOutput: Int) throws(HTTPClientError) {
        self.coding = coding
        self.maxOutput = maxOutput
        try start(windowBits: 15 + 32)
    }

    deinit { if initialized { inflateEnd(&stream) } }

    private func start(windowBits: Int32) throws(HTTPClientError) {
        if initialized { inflateEnd(&stream); initialized = false }
        stream = z_stream()
        guard imagehook_inflateInit2(&stream, windowBits) == Z_OK else {
            throw .protocolError("cannot initialise zlib")
        }
        initialized = true
    }

    /// Decodes `input`, handing each decoded piece to `emit`. Throws `.tooLarge` before
    /// emitting anything past the cap.
    func decode(_ input: [UInt8], emit: (UnsafeRawBufferPointer) throws(HTTPClientError) -> Void) throws(HTTPClientError) {
        if input.isEmpty { return }
        if !consumedAny && coding == .deflate && !triedRaw { firstInput.append(contentsOf: input) }
        try run(input, emit: emit)
    }

    private func run(_ input: [UInt8], emit: (UnsafeRawBufferPointer) throws(HTTPClientError) -> Void) throws(HTTPClientError) {
        var out = [UInt8](repeating: 0, count: 64 * 1024)
        var offset = 0
        while offset < input.count {
            if finished {
                // Concatenated gzip members are legal (RFC 1952 §2.2); anything else
                // after the end of a stream is not.
                guard coding == .gzip, input[offset] == 0x1f else {
                    throw .protocolError("data after the end of the compressed stream")
                }
                inflateReset(&stream)
                finished = false
            }
            var status: Int32 = Z_OK
            var produced = 0
            var used = 0
            input.withUnsafeBufferPointer { inBuf in
                out.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress! + offset)
                    stream.avail_in = uInt(inBuf.count - offset)
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    used = inBuf.count - offset - Int(stream.avail_in)
                    produced = outBuf.count - Int(stream.avail_out)
                }
            }
            if status == Z_DATA_ERROR && coding == .deflate && !consumedAny && !triedRaw {
                // Raw deflate fallback: restart with the whole prefix seen so far.
                triedRaw = true
                try start(windowBits: -15)
                let replay = firstInput
                firstInput = []
                return try run(replay, emit: emit)
            }
            switch status {
            case Z_OK, Z_BUF_ERROR: break
            case Z_STREAM_END: finished = true
            default: throw .protocolError("corrupt \(coding.rawValue) body (zlib \(status))")
            }
            if produced > 0 {
                consumedAny = true
                firstInput = []
                guard self.produced + produced <= maxOutput else { throw .tooLarge }
                self.produced += produced
                var failure: HTTPClientError?
                out.withUnsafeBytes { raw in
                    do throws(HTTPClientError) { try emit(UnsafeRawBufferPointer(rebasing: raw[0..<produced])) } catch { failure = error }
                }
                if let failure { throw failure }
            }
            offset += used
            if used == 0 && produced == 0 && !finished {
                throw .protocolError("zlib made no progress")
            }
        }
    }

    /// The body ended; the compressed stream must have ended too.
    func finish() throws(HTTPClientError) {
        guard finished else { throw .truncated }
    }
}
