/// A block of metric families that renders itself into the exposition text at scrape
/// time (after the registry's own families), for figures kept in a layout of their own.
public protocol MetricsSource: Sendable {
    func render(into out: inout String)
}
