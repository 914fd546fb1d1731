/// One `imagehook_http_requests_total` series: listener, route, method and status
/// packed into one integer, so the per-request lookup hashes a single word.
struct RequestSeriesKey: Hashable, Comparable {
    let packed: UInt32

    init(listener: Int, route: RouteLabel, method: MethodLabel, status: Int) {
        // Status is clamped to three digits (the server only sends 1xx-5xx).
        let status = UInt32(clamping: min(max(status, 0), 999))
        packed = UInt32(truncatingIfNeeded: listener) << 24 | UInt32(route.rawValue) << 16
            | UInt32(method.rawValue) << 10 | status
    }

    var listener: Int { Int(packed >> 24) }
    var route: RouteLabel { RouteLabel(rawValue: UInt8(truncatingIfNeeded: packed >> 16)) ?? .other }
    var method: MethodLabel { MethodLabel(rawValue: UInt8(truncatingIfNeeded: (packed >> 10) & 0x3F)) ?? .other }
    var status: Int { Int(packed & 0x3FF) }

    static func < (a: Self, b: Self) -> Bool { a.packed < b.packed }
}
