/// What `HTTPResponseParser.next()` yields for each final response: one `.head`, zero or
/// more `.body` pieces in arrival order, then `.end`.
public enum HTTPResponseEvent: Sendable, Equatable {
    case head(HTTPResponseHead)
    case body([UInt8])
    case end
}
