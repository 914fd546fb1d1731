#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Decides whether downloaded bytes are the image that was asked for: the right length,
/// a known type by magic bytes agreeing with Content-Type, structurally intact (PNG
/// CRCs and full inflate, JPEG markers through EOI, WebP RIFF sizes), and of the
/// requested dimensions. Reads files block by block; nothing is decoded to pixels.
public enum ImageVerifier {
    public static func verify(file path: String, contentType: String?, expectedWidth: Int? = nil,
                              expectedHeight: Int? = nil, expectedLength: Int? = nil,
                              limits: ImageVerificationLimits = ImageVerificationLimits())
        throws(ImageVerificationError) -> ImageInfo {
        try verify(file: path, sha256: nil, contentType: contentType, expectedWidth: expectedWidth,
                   expectedHeight: expectedHeight, expectedLength: expectedLength, limits: limits)
    }

    public static func verify(bytes: [UInt8], contentType: String?, expectedWidth: Int? = nil,
                              expectedHeight: Int? = nil, expectedLength: Int? = nil,
                              limits: ImageVerificationLimits = ImageVerificationLimits())
        throws(ImageVerificationError) -> ImageInfo {
        let result: Result<ImageInfo, ImageVerificationError> = bytes.withUnsafeBytes { raw in
            do throws(ImageVerificationError) {
                return .success(try verify(source: MemoryByteSource(bytes: raw), sha256: Hex.encode(SHA256.digest(raw)),
                                           contentType: contentType, expectedWidth: expectedWidth,
                                           expectedHeight: expectedHeight, expectedLength: expectedLength, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `sha256` when already known (the writer hashed while downloading); else computed.
    static func verify(file path: String, sha256: String?, contentType: String?, expectedWidth: Int?,
                       expectedHeight: Int?, expectedLength: Int?, limits: ImageVerificationLimits)
        throws(ImageVerificationError) -> ImageInfo {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(POSIX.error("open", path).description) }
        defer { close(fd) }
        let size: Int
        do throws(ImageStoreError) { size = try POSIX.fileSize(fd, path: path) } catch { throw .io(error.description) }
        let source = FileByteSource(fd: fd, path: path, count: size)
        var digest = sha256 ?? ""
        if sha256 == nil { digest = try hashAll(source) }
        return try verify(source: source, sha256: digest, contentType: contentType, expectedWidth: expectedWidth,
                          expectedHeight: expectedHeight, expectedLength: expectedLength, limits: limits)
    }

    static func verify(source: any ByteSource, sha256: String, contentType: String?, expectedWidth: Int?,
                       expectedHeight: Int?, expectedLength: Int?, limits: ImageVerificationLimits)
        throws(ImageVerificationError) -> ImageInfo {
        // Content-Length first: a short body is a truncated download whatever it holds.
        if let expectedLength, expectedLength != source.count {
            throw .lengthMismatch(expected: expectedLength, actual: source.count)
        }
        let reader = ByteReader(source)
        let head = try reader.read(min(12, source.count), "image header")
        reader.seek(to: 0)
        guard let format = ImageFormat(magic: head) else { throw .unknownFormat }
        if let contentType {
            switch ImageFormat.claimed(byContentType: contentType) {
            case .some(.some(let claimed)) where claimed != format:
                throw .contentTypeMismatch(contentType: contentType, detected: format)
            case .none:
                throw .contentTypeMismatch(contentType: contentType, detected: format)
            default:
                break
            }
        }
        let expected = ExpectedSize(width: expectedWidth, height: expectedHeight, limits: limits)
        let size: (width: Int, height: Int)
        switch format {
        case .png: size = try PNGVerifier.verify(reader, expected: expected)
        case .jpeg: size = try JPEGVerifier.verify(reader, expected: expected)
        case .webp: size = try WebPVerifier.verify(reader, expected: expected)
        }
        return ImageInfo(format: format, width: size.width, height: size.height, bytes: source.count, sha256: sha256)
    }

    private static func hashAll(_ source: any ByteSource) throws(ImageVerificationError) -> String {
        let hasher = SHA256Hasher()
        try ByteReader(source).stream(source.count, "image") { hasher.update($0) }
        return Hex.encode(hasher.finalize())
    }
}

/// The requested size and the decode limits, checked as soon as a header gives the
/// dimensions (before any expensive work).
struct ExpectedSize {
    let width: Int?
    let height: Int?
    let limits: ImageVerificationLimits

    func check(width actualWidth: Int, height actualHeight: Int) throws(ImageVerificationError) {
        guard actualWidth > 0, actualHeight > 0 else {
            throw .corrupt("image declares zero size \(actualWidth)x\(actualHeight)")
        }
        if (width.map { $0 != actualWidth } ?? false) || (height.map { $0 != actualHeight } ?? false) {
            throw .dimensionMismatch(expectedWidth: width, expectedHeight: height, width: actualWidth, height: actualHeight)
        }
        let (pixels, overflow) = actualWidth.multipliedReportingOverflow(by: actualHeight)
        guard !overflow, pixels <= limits.maxPixels else {
            throw .tooLarge("\(actualWidth)x\(actualHeight) exceeds \(limits.maxPixels) pixels")
        }
    }
}
