import Testing
@testable import ImageStore
import Support

private func rejection(_ bytes: [UInt8], contentType: String? = "image/png", width: Int? = nil, height: Int? = nil,
                       length: Int? = nil) -> ImageVerificationError? {
    do {
        _ = try ImageVerifier.verify(bytes: bytes, contentType: contentType, expectedWidth: width,
                                     expectedHeight: height, expectedLength: length)
        return nil
    } catch {
        return error
    }
}

private func isCorrupt(_ error: ImageVerificationError?) -> Bool {
    if case .corrupt = error { return true }
    return false
}

private func isTruncated(_ error: ImageVerificationError?) -> Bool {
    if case .truncated = error { return true }
    return false
}

@Suite struct PNGVerificationTests {
    @Test(arguments: [(1, 1), (3, 2), (17, 5), (64, 64), (300, 200), (1024, 3)])
    func encodedPNGVerifies(size: (Int, Int)) throws {
        let (width, height) = size
        let png = Samples.png(width: width, height: height, idatChunkSize: 1000)
        let info = try ImageVerifier.verify(bytes: png, contentType: "image/png", expectedWidth: width,
                                            expectedHeight: height, expectedLength: png.count)
        #expect(info.format == .png)
        #expect(info.width == width && info.height == height)
        #expect(info.bytes == png.count)
        #expect(info.sha256 == SHA256.hex(png))
        let idats = Samples.chunks(png).filter { $0.type == "IDAT" }
        let compressed = idats.reduce(0) { $0 + $1.length }
        #expect(idats.count == (compressed + 999) / 1000)   // split at idatChunkSize
    }

    @Test func contentTypeRules() throws {
        let png = Samples.png(width: 4, height: 4)
        for accepted in [nil, "image/png", "IMAGE/PNG", "image/png; charset=binary", " image/png ;x=y",
                         "application/octet-stream"] as [String?] {
            #expect(throws: Never.self) { try ImageVerifier.verify(bytes: png, contentType: accepted) }
        }
        #expect(rejection(png, contentType: "image/jpeg") == .contentTypeMismatch(contentType: "image/jpeg", detected: .png))
        #expect(rejection(png, contentType: "text/html") == .contentTypeMismatch(contentType: "text/html", detected: .png))
        #expect(rejection(png, contentType: "image/webp") == .contentTypeMismatch(contentType: "image/webp", detected: .png))
    }

    @Test func badMagicIsUnknownFormat() {
        #expect(rejection(Array("<html>nope</html>".utf8)) == .unknownFormat)
        #expect(rejection(Array("GIF89a".utf8) + [0, 0, 0, 0, 0, 0]) == .unknownFormat)
        #expect(rejection([]) == .unknownFormat)
        var png = Samples.png(width: 2, height: 2)
        png[1] = 0x51
        #expect(rejection(png) == .unknownFormat)
    }

    @Test func flippedBytesFailTheCRC() {
        let png = Samples.png(width: 8, height: 8)
        for chunk in Samples.chunks(png) {
            // A flipped data byte (or, for IEND, a flipped CRC byte).
            var bytes = png
            let index = chunk.length > 0 ? chunk.offset + 8 + chunk.length / 2 : chunk.offset + 8
            bytes[index] ^= 0x01
            let error = rejection(bytes)
            #expect(isCorrupt(error), "chunk \(chunk.type): \(String(describing: error))")
            #expect(error?.description.contains("CRC") == true)
        }
    }

    @Test func truncationAnywhereIsCaught() {
        let png = Samples.png(width: 40, height: 30, idatChunkSize: 500)
        let idat = Samples.chunks(png).first { $0.type == "IDAT" }!
        let cuts = [9, 12, 20, 33, 37, idat.offset + 4, idat.offset + 8 + idat.length / 2, idat.offset + 8 + idat.length + 2,
                    png.count - 12, png.count - 5, png.count - 1]
        for cut in cuts {
            let error = rejection(Array(png.prefix(cut)))
            #expect(isTruncated(error), "cut at \(cut): \(String(describing: error))")
            #expect(rejection(Array(png.prefix(cut)), length: png.count) == .lengthMismatch(expected: png.count, actual: cut))
        }
    }

    @Test func corruptImageDataIsCaughtDespiteValidCRC() {
        let png = Samples.png(width: 32, height: 32)
        let idat = Samples.chunks(png).first { $0.type == "IDAT" }!
        for index in [2, idat.length / 2, idat.length - 2] {
            var bytes = png
            let value = bytes[idat.offset + 8 + index] ^ 0x5A
            bytes = Samples.patchKeepingCRC(png, chunkOffset: idat.offset, dataIndex: index, value: value)
            let error = rejection(bytes)
            #expect(isCorrupt(error), "IDAT byte \(index): \(String(describing: error))")
        }
    }

    @Test func inflatedLengthMustMatchTheHeader() {
        let png = Samples.png(width: 10, height: 10)
        let ihdr = Samples.chunks(png)[0]
        // Claim one more row than the data holds, and one fewer.
        let taller = Samples.patchKeepingCRC(png, chunkOffset: ihdr.offset, dataIndex: 7, value: 11)
        #expect(isCorrupt(rejection(taller)))
        #expect(rejection(taller)?.description.contains("inflates to 310 bytes, dimensions need 341") == true)
        let shorter = Samples.patchKeepingCRC(png, chunkOffset: ihdr.offset, dataIndex: 7, value: 9)
        #expect(rejection(shorter)?.description.contains("past") == true)
        // A scanline filter type above 4.
        var scanlines = [UInt8](repeating: 0, count: 3 * (1 + 3 * 3))
        scanlines[10] = 5
        #expect(rejection(Samples.png(ihdr: Samples.ihdr(width: 3, height: 3), scanlines: scanlines))?
            .description.contains("filter type 5") == true)
    }

    @Test func interlacedAndOtherLayoutsUseTheRightLength() throws {
        // Adam7 passes for 5x3 RGB8 (rows x (filter byte + cols x 3)): 1:1x1, 2:1x1, 3:empty,
        // 4:1x1, 5:1x3, 6:2x2, 7:1x5.
        let header = PNGHeader(unchecked: Samples.ihdr(width: 5, height: 3, interlace: 1))
        let length = try #require(header.decodedLength)
        #expect(length == 4 + 4 + 4 + 1 * (1 + 3 * 3) + 2 * (1 + 2 * 3) + 1 * (1 + 5 * 3))
        let good = Samples.png(ihdr: Samples.ihdr(width: 5, height: 3, interlace: 1),
                               scanlines: [UInt8](repeating: 0, count: length))
        #expect(try ImageVerifier.verify(bytes: good, contentType: "image/png").width == 5)
        let short = Samples.png(ihdr: Samples.ihdr(width: 5, height: 3, interlace: 1),
                                scanlines: [UInt8](repeating: 0, count: length - 1))
        #expect(isCorrupt(rejection(short)))
        // 1-bit greyscale 10x2: rows of 1 + ceil(10/8) = 3 bytes.
        let grey = Samples.png(ihdr: Samples.ihdr(width: 10, height: 2, bitDepth: 1, colorType: 0),
                               scanlines: [UInt8](repeating: 0, count: 6))
        #expect(try ImageVerifier.verify(bytes: grey, contentType: nil).height == 2)
        // Indexed colour needs PLTE before IDAT.
        let indexedIHDR = Samples.ihdr(width: 2, height: 2, bitDepth: 8, colorType: 3)
        let noPalette = Samples.png(ihdr: indexedIHDR, scanlines: [UInt8](repeating: 0, count: 6))
        #expect(isCorrupt(rejection(noPalette)))
        let withPalette = Samples.png(ihdr: indexedIHDR, scanlines: [UInt8](repeating: 0, count: 6),
                                      extraChunks: [PNGEncoder.chunk("PLTE", [0, 0, 0, 255, 255, 255])])
        #expect(rejection(withPalette) == nil)
    }

    @Test func chunkOrderRules() {
        let png = Samples.png(width: 4, height: 4)
        let chunks = Samples.chunks(png)
        let iend = chunks.last!
        // Extra bytes after IEND.
        #expect(rejection(png + [0]) == .trailingData(1))
        #expect(rejection(png + PNGEncoder.chunk("tEXt", Array("late".utf8))) == .trailingData(16))
        // Missing IEND.
        #expect(isTruncated(rejection(Array(png.prefix(iend.offset)))))
        // An ancillary chunk is fine; an unknown critical one is not.
        var withText = png
        withText.insert(contentsOf: PNGEncoder.chunk("tEXt", Array("k\u{0}v".utf8)), at: iend.offset)
        #expect(rejection(withText) == nil)
        var withCritical = png
        withCritical.insert(contentsOf: PNGEncoder.chunk("ABCD", [1, 2]), at: iend.offset)
        #expect(rejection(withCritical)?.description.contains("critical") == true)
        // IHDR must come first.
        var textFirst = png
        textFirst.insert(contentsOf: PNGEncoder.chunk("tEXt", [0x41]), at: 8)
        #expect(rejection(textFirst)?.description.contains("not IHDR") == true)
    }

    @Test func dimensionsAndLengthMustMatch() {
        let png = Samples.png(width: 12, height: 7)
        #expect(rejection(png, width: 12, height: 8)
            == .dimensionMismatch(expectedWidth: 12, expectedHeight: 8, width: 12, height: 7))
        #expect(rejection(png, width: 7, height: 12)
            == .dimensionMismatch(expectedWidth: 7, expectedHeight: 12, width: 12, height: 7))
        #expect(rejection(png, width: 12, height: 7) == nil)
        #expect(rejection(png, length: png.count + 1) == .lengthMismatch(expected: png.count + 1, actual: png.count))
    }

    @Test func decodeLimitsStopBombs() {
        // 20000x20000 declared, with a tiny (invalid) body: refused before inflating.
        let bomb = Samples.png(ihdr: Samples.ihdr(width: 20_000, height: 20_000), scanlines: [0])
        guard case .tooLarge = rejection(bomb) else {
            Issue.record("expected tooLarge, got \(String(describing: rejection(bomb)))")
            return
        }
    }
}

extension PNGHeader {
    init(unchecked data: [UInt8]) {
        // Test helper: the sample IHDRs are valid, so parsing cannot fail.
        self = try! PNGHeader(data)
    }
}

@Suite struct JPEGAndWebPVerificationTests {
    @Test func jpegDimensionsBaselineAndProgressive() throws {
        for sof: UInt8 in [0xC0, 0xC1, 0xC2] {
            let jpeg = Samples.jpeg(width: 1024, height: 768, sof: sof)
            let info = try ImageVerifier.verify(bytes: jpeg, contentType: "image/jpeg", expectedWidth: 1024,
                                                expectedHeight: 768, expectedLength: jpeg.count)
            #expect(info.format == .jpeg)
            #expect(info.width == 1024 && info.height == 768)
        }
        #expect(try ImageVerifier.verify(bytes: Samples.jpeg(width: 1, height: 1), contentType: "image/jpg").width == 1)
    }

    @Test func jpegRejections() {
        let jpeg = Samples.jpeg(width: 640, height: 480)
        #expect(isTruncated(rejection(Array(jpeg.dropLast(2)), contentType: "image/jpeg")))
        #expect(isTruncated(rejection(Array(jpeg.prefix(30)), contentType: "image/jpeg")))
        #expect(rejection(jpeg + [0, 0], contentType: "image/jpeg") == .trailingData(2))
        #expect(rejection(jpeg, contentType: "image/png") == .contentTypeMismatch(contentType: "image/png", detected: .jpeg))
        #expect(rejection(jpeg, contentType: "image/jpeg", width: 640, height: 640)
            == .dimensionMismatch(expectedWidth: 640, expectedHeight: 640, width: 640, height: 480))
        #expect(isCorrupt(rejection(Samples.jpeg(width: 8, height: 8, sof: 0xC3), contentType: nil)))
        #expect(isCorrupt(rejection(Samples.jpeg(width: 8, height: 0), contentType: nil)))
        // EOI with no scan.
        #expect(isCorrupt(rejection([0xFF, 0xD8, 0xFF, 0xD9], contentType: nil)))
    }

    @Test func webpDimensionsForEachBitstream() throws {
        let lossy = Samples.riff(Samples.vp8(width: 1024, height: 1024))
        let lossless = Samples.riff(Samples.vp8l(width: 300, height: 17))
        let extended = Samples.riff(Samples.vp8x(width: 5000, height: 4) + Samples.vp8(width: 5000, height: 4))
        for (bytes, width, height) in [(lossy, 1024, 1024), (lossless, 300, 17), (extended, 5000, 4)] {
            let info = try ImageVerifier.verify(bytes: bytes, contentType: "image/webp", expectedWidth: width,
                                                expectedHeight: height, expectedLength: bytes.count)
            #expect(info.format == .webp)
            #expect(info.width == width && info.height == height)
        }
    }

    @Test func webpRejections() {
        let webp = Samples.riff(Samples.vp8(width: 64, height: 32))
        #expect(isTruncated(rejection(Array(webp.dropLast(3)), contentType: "image/webp")))
        #expect(rejection(webp + [0, 0], contentType: "image/webp") == .trailingData(2))
        #expect(rejection(webp, contentType: "image/png") == .contentTypeMismatch(contentType: "image/png", detected: .webp))
        #expect(rejection(webp, contentType: nil, width: 64, height: 64)
            == .dimensionMismatch(expectedWidth: 64, expectedHeight: 64, width: 64, height: 32))
        var noStartCode = webp
        noStartCode[12 + 8 + 3] = 0
        #expect(isCorrupt(rejection(noStartCode, contentType: nil)))
        // A chunk whose size runs past the RIFF end.
        var overlong = webp
        overlong[16] = 0x40
        #expect(isTruncated(rejection(overlong, contentType: nil)))
        // VP8X alone has no image data.
        #expect(isCorrupt(rejection(Samples.riff(Samples.vp8x(width: 4, height: 4)), contentType: nil)))
    }
}
