/// The image types the service accepts, told apart by magic bytes.
public enum ImageFormat: String, Sendable, Hashable, CaseIterable {
    case png, jpeg, webp

    /// File extension of stored images.
    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        }
    }

    public var mimeType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        }
    }

    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        case "webp": self = .webp
        default: return nil
        }
    }

    /// Detects the format from the first bytes (12 are enough for all three).
    /// PNG: 89 50 4E 47 0D 0A 1A 0A (PNG spec 5.2); JPEG: FF D8 FF (SOI + a marker);
    /// WebP: "RIFF" size "WEBP" (RIFF container).
    public init?(magic bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.count == 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WEBP".utf8) {
            self = .webp
        } else {
            return nil
        }
    }

    /// What a Content-Type says about the format: `.some(format)` for an image type we
    /// know, `.some(nil)` for "no claim" (missing or application/octet-stream), `nil`
    /// for anything else (text/html, image/gif...). Parameters and case are ignored.
    static func claimed(byContentType contentType: String?) -> ImageFormat?? {
        guard let contentType else { return .some(nil) }
        let essence = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            .first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
        switch essence {
        case "", "application/octet-stream", "binary/octet-stream": return .some(nil)
        case "image/png": return .some(.png)
        case "image/jpeg", "image/jpg", "image/pjpeg": return .some(.jpeg)
        case "image/webp": return .some(.webp)
        default: return nil
        }
    }
}

extension Substring {
    func trimmingASCIIWhitespace() -> Substring {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
