/// A listen address as written in configuration: `host:port`, `[ipv6]:port`, or
/// `*:port` for every address.
struct HTTPListenAddress: Sendable, Equatable {
    var host: String?
    var port: UInt16

    init(parsing text: String) throws(HTTPServerError) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidAddress(text) }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .invalidAddress(text) }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .invalidAddress(text) }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            // An unbracketed IPv6 literal is ambiguous about where the port starts.
            guard !hostPart.contains(":") else { throw .invalidAddress(text) }
        }
        guard !portPart.isEmpty, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
              portPart.count <= 5, let port = UInt16(portPart), !hostPart.isEmpty else {
            throw .invalidAddress(text)
        }
        self.host = (hostPart == "*") ? nil : String(hostPart)
        self.port = port
    }
}
