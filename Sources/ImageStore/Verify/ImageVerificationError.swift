/// Why a downloaded file is not an acceptable image. Every case means "do not store";
/// the message says what was wrong for the job's failure reason.
public enum ImageVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first bytes are not PNG, JPEG or WebP.
    case unknownFormat
    /// The Content-Type names a different (or a non-image) type than the bytes are.
    case contentTypeMismatch(contentType: String, detected: ImageFormat)
    /// The file length differs from Content-Length.
    case lengthMismatch(expected: Int, actual: Int)
    /// The image's dimensions differ from the requested size.
    case dimensionMismatch(expectedWidth: Int?, expectedHeight: Int?, width: Int, height: Int)
    /// The file ends before the format says it should.
    case truncated(String)
    /// Structure, checksum or compressed data is invalid.
    case corrupt(String)
    /// Bytes follow the image's end (PNG IEND, JPEG EOI, RIFF size).
    case trailingData(Int)
    /// The image declares more pixels or decoded bytes than the configured limit.
    case tooLarge(String)
    /// The file could not be read.
    case io(String)

    public var description: String {
        switch self {
        case .unknownFormat:
            "not a PNG, JPEG or WebP image (magic bytes)"
        case .contentTypeMismatch(let contentType, let detected):
            "Content-Type \(contentType) does not match the \(detected.rawValue.uppercased()) bytes"
        case .lengthMismatch(let expected, let actual):
            "length \(actual) differs from Content-Length \(expected)"
        case .dimensionMismatch(let expectedWidth, let expectedHeight, let width, let height):
            "image is \(width)x\(height), expected \(expectedWidth.map(String.init) ?? "any")x\(expectedHeight.map(String.init) ?? "any")"
        case .truncated(let detail):
            "truncated image: \(detail)"
        case .corrupt(let detail):
            "corrupt image: \(detail)"
        case .trailingData(let count):
            "\(count) unexpected bytes after the end of the image"
        case .tooLarge(let detail):
            "image too large: \(detail)"
        case .io(let detail):
            "cannot read image: \(detail)"
        }
    }
}
