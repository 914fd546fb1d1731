/// The fields that decide framing (RFC 9112 §3.2, §6), recognised while parsing so
/// the head is not searched again afterwards.
enum FramingField: Sendable {
    case host, contentLength, transferEncoding, other
}
