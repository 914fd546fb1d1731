/// Maps a request path to a bounded set of route labels for metrics: ids and tokens
/// become placeholders, unknown paths become `other`, so a scanner cannot blow up the
/// number of time series (and tokens never reach the metrics). Matching walks the
/// path's bytes once and allocates nothing: it runs for every request.
public enum RouteLabel: UInt8, CaseIterable, Sendable {
    case healthz, readyz, metrics
    case tasks, ledger, images, v1Other
    case callback, generations, task
    case taskReplay, taskRetry, taskJournal, taskImages, taskOther
    case imageFile
    case other

    /// The label value in `imagehook_http_*` series.
    public var label: String {
        switch self {
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .metrics: "/metrics"
        case .tasks: "/v1/tasks"
        case .ledger: "/v1/ledger"
        case .images: "/v1/images"
        case .v1Other: "/v1/other"
        case .callback: "/v1/callbacks/{token}"
        case .generations: "/v1/images/generations"
        case .task: "/v1/tasks/{id}"
        case .taskReplay: "/v1/tasks/{id}/replay"
        case .taskRetry: "/v1/tasks/{id}/retry"
        case .taskJournal: "/v1/tasks/{id}/journal"
        case .taskImages: "/v1/tasks/{id}/images"
        case .taskOther: "/v1/tasks/{id}/other"
        case .imageFile: "/v1/images/{file}"
        case .other: "other"
        }
    }

    /// Health and metrics probes: scraped every few seconds, so a successful one is
    /// logged at debug rather than info.
    public var isProbe: Bool { self == .healthz || self == .readyz || self == .metrics }

    public static func label(for path: Substring) -> String { route(for: path).label }

    /// The route of `path` (a query, if present, is ignored). Empty segments are
    /// skipped, as a router splitting on `/` would.
    public static func route(for path: Substring) -> RouteLabel {
        var segments = Segments(path.utf8)
        guard let first = segments.next() else { return .other }
        guard let second = segments.next() else {
            if first.elementsEqual("healthz".utf8) { return .healthz }
            if first.elementsEqual("readyz".utf8) { return .readyz }
            if first.elementsEqual("metrics".utf8) { return .metrics }
            return .other
        }
        guard first.elementsEqual("v1".utf8) else { return .other }
        guard let third = segments.next() else {
            if second.elementsEqual("tasks".utf8) { return .tasks }
            if second.elementsEqual("ledger".utf8) { return .ledger }
            if second.elementsEqual("images".utf8) { return .images }
            return .v1Other
        }
        let isTasks = second.elementsEqual("tasks".utf8)
        guard let fourth = segments.next() else {
            if second.elementsEqual("callbacks".utf8) { return .callback }
            if isTasks { return .task }
            if second.elementsEqual("images".utf8) {
                return third.elementsEqual("generations".utf8) ? .generations : .imageFile
            }
            return .other
        }
        guard isTasks, segments.next() == nil else { return .other }
        if fourth.elementsEqual("replay".utf8) { return .taskReplay }
        if fourth.elementsEqual("retry".utf8) { return .taskRetry }
        if fourth.elementsEqual("journal".utf8) { return .taskJournal }
        if fourth.elementsEqual("images".utf8) { return .taskImages }
        return .taskOther
    }

    /// Non-empty `/`-separated segments of a path, stopping at `?`.
    struct Segments: IteratorProtocol {
        private let bytes: Substring.UTF8View
        private var index: Substring.UTF8View.Index

        init(_ bytes: Substring.UTF8View) {
            self.bytes = bytes
            self.index = bytes.startIndex
        }

        mutating func next() -> Substring.UTF8View.SubSequence? {
            while index < bytes.endIndex, bytes[index] == UInt8(ascii: "/") { bytes.formIndex(after: &index) }
            guard index < bytes.endIndex, bytes[index] != UInt8(ascii: "?") else { return nil }
            let start = index
            while index < bytes.endIndex, bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "?") {
                bytes.formIndex(after: &index)
            }
            return bytes[start..<index]
        }
    }
}
