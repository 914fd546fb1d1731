import Glibc
import HTTP1

/// The `Date` field line (RFC 9110 §6.6.1), formatted at most once a second per loop
/// instead of once per response.
struct HTTPDateCache {
    private var second = -1
    private(set) var line: [UInt8] = []

    /// The field line `Date: <IMF-fixdate>\r\n` for the current second.
    mutating func current() -> [UInt8] {
        let now = time(nil)
        if now != second {
            second = now
            line = Array("Date: \(HTTPDate.format(unixSeconds: now))\r\n".utf8)
        }
        return line
    }
}
