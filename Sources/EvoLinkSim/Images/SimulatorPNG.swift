import ImageStore

/// PNG encoding for result images: the project's encoder (zlib deflate, CRC-32 per
/// chunk), at a fast compression level since images are rendered on demand.
enum SimulatorPNG {
    /// zlib level 1: the noise in rendered images barely compresses anyway.
    static let compressionLevel: Int32 = 1

    @Sendable static func encode(_ rgb: [UInt8], _ width: Int, _ height: Int) -> [UInt8] {
        PNGEncoder.encode(width: width, height: height, rgb: rgb, compressionLevel: compressionLevel)
    }
}
