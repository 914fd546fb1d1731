import Foundation

/// libFuzzer target: the EvoLink wire decoders (a task as returned by the query, the
/// submit call and every callback; the submit body; the error envelope). The first byte
/// picks the type. Whatever decodes must encode, decode again to the same value, and
/// encode to the same bytes: the idempotency check compares encoded bodies, and the
/// journal keeps what the provider said.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvoLinkJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let all = fuzzInput(data, size)
    guard let selector = all.first else { return 0 }
    let json = Array(all.dropFirst())
    switch selector % 3 {
    case 0:
        if let task = try? TaskDetail.decode(json) {
            checkRoundTrip(task, task.encoded(), { try? TaskDetail.decode($0) }, { $0.encoded() })
        }
    case 1:
        if let request = try? JSONDecoder().decode(GenerationRequest.self, from: Data(json)) {
            checkRoundTrip(request, request.encoded(),
                           { try? JSONDecoder().decode(GenerationRequest.self, from: Data($0)) }, { $0.encoded() })
        }
    default:
        if let envelope = APIErrorEnvelope.decode(json) {
            checkRoundTrip(envelope, envelope.encoded(), { APIErrorEnvelope.decode($0) }, { $0.encoded() })
        }
    }
    return 0
}

private func checkRoundTrip<T: Equatable>(_ value: T, _ bytes: [UInt8], _ decode: ([UInt8]) -> T?, _ encode: (T) -> [UInt8]) {
    guard let again = decode(bytes) else {
        fuzzCheck(false, "own encoding does not decode: \(String(decoding: bytes, as: UTF8.self))")
        return
    }
    fuzzCheck(again == value, "decode(encode(x)) != x: \(value) vs \(again)")
    fuzzCheck(encode(again) == bytes, "encoding not stable: \(String(decoding: bytes, as: UTF8.self))")
}
