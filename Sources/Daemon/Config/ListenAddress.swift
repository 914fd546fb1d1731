#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `host:port` for a listener: an IPv4 literal or a bracketed IPv6 literal (`[::1]:8081`).
/// Host names are refused: a listener must bind exactly the address the operator meant,
/// not whatever a resolver answers at boot.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var isIPv6: Bool

    public init?(_ text: String) {
        let host: String, portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else { return nil }
            portText = rest.dropFirst()
            isIPv6 = true
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            isIPv6 = false
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), port <= 65535 else { return nil }
        guard ListenAddress.isLiteral(host, ipv6: isIPv6) else { return nil }
        self.host = host
        self.port = port
    }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The same host with another port (the one actually bound).
    public static func loopback(like address: ListenAddress, port: Int) -> ListenAddress {
        var copy = address
        copy.port = port
        return copy
    }

    /// True for loopback addresses; plain-HTTP URLs to such a listener are acceptable.
    public var isLoopback: Bool { isIPv6 ? host == "::1" : host.hasPrefix("127.") }

    static func isLiteral(_ host: String, ipv6: Bool) -> Bool {
        var storage = [UInt8](repeating: 0, count: 16)
        return host.withCString { inet_pton(ipv6 ? AF_INET6 : AF_INET, $0, &storage) } == 1
    }
}
