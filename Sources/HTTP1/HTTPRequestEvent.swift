/// What `HTTPRequestParser.next()` yields for each request: one `.head`, zero or more
/// `.body` pieces in arrival order, then `.end`.
public enum HTTPRequestEvent: Sendable, Equatable {
    case head(HTTPRequestHead)
    case body([UInt8])
    case end
}
