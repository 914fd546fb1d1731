/// Request ids: an incoming `X-Request-Id` is kept when it is a sane token, so a
/// request can be followed across the proxy and this server; otherwise one is made.
struct HTTPRequestID {
    static let maxLength = 64

    private let prefix: String
    private var counter: UInt64 = 0

    /// `seed` makes ids of different loops and processes differ. Six hex digits keep
    /// `prefix-counter` within Swift's 15-byte inline strings for the first 2^32
    /// requests, so making an id allocates nothing.
    init(seed: UInt64) {
        prefix = String(seed & 0xFF_FFFF, radix: 16)
    }

    /// The incoming value if it is 1...64 of `A-Z a-z 0-9 - _ . : ~ + / =`, which
    /// keeps log lines and response fields free of injected separators.
    static func sanitized(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= maxLength else { return nil }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "~"), UInt8(ascii: "+"),
                 UInt8(ascii: "/"), UInt8(ascii: "="):
                continue
            default:
                return nil
            }
        }
        return value
    }

    /// A new id, unique within the process: `<seed>-<counter>` in hex.
    mutating func next() -> String {
        counter &+= 1
        return prefix + "-" + String(counter, radix: 16)
    }
}
