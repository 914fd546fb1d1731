import Support
/// Deterministic pictures for result images: the same prompt and index always give the
/// same pixels, different prompts visibly different ones, so a test can tell images
/// apart and a stored file can be traced to its request.
public enum ImageRenderer {
    /// 64-bit FNV-1a of the prompt's UTF-8 and the image index.
    public static func seed(prompt: String, index: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in prompt.utf8 {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        for b in withUnsafeBytes(of: UInt64(index).littleEndian, Array.init) {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    /// RGB8 pixels, row-major, `width * height * 3` bytes: a diagonal gradient whose
    /// colours and slopes come from the seed, with light seeded noise so the image is not
    /// trivially compressible.
    public static func pixels(prompt: String, index: Int, width: Int, height: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed(prompt: prompt, index: index))
        let base = (UInt8(truncatingIfNeeded: rng.next()), UInt8(truncatingIfNeeded: rng.next()),
                    UInt8(truncatingIfNeeded: rng.next()))
        let sx = Int(rng.next() % 5) + 1, sy = Int(rng.next() % 5) + 1
        var noise = rng.next() | 1
        var out = [UInt8](repeating: 0, count: width * height * 3)
        out.withUnsafeMutableBufferPointer { buf in
            var i = 0
            for y in 0..<height {
                let gy = (y * 255 / max(1, height - 1)) * sy
                for x in 0..<width {
                    let gx = (x * 255 / max(1, width - 1)) * sx
                    noise ^= noise << 13
                    noise ^= noise >> 7
                    noise ^= noise << 17
                    let n = UInt8(truncatingIfNeeded: noise & 0x07)
                    buf[i] = base.0 &+ UInt8(truncatingIfNeeded: gx) &+ n
                    buf[i + 1] = base.1 &+ UInt8(truncatingIfNeeded: gy) &+ n
                    buf[i + 2] = base.2 &+ UInt8(truncatingIfNeeded: (gx + gy) / 2)
                    i += 3
                }
            }
        }
        return out
    }
}
