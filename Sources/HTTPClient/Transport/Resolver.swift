#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Support

/// One resolved address, kept as the exact `sockaddr` that was policy-checked, so the
/// connect goes to what was checked (no second lookup).
struct ResolvedAddress: Sendable {
    var address: IPAddress
    var storage: sockaddr_storage
    var length: socklen_t
    var family: Int32
}

/// Lookups run on the client's bounded lookup pool, waited for with a deadline: the
/// libc call has no timeout of its own and must not stall a request past its budget. A
/// late lookup is abandoned (it finishes on its pool thread and its result is
/// dropped), and because the pool is bounded, lookups stuck in a silent DNS server
/// pin at most `maxLookupsInFlight` threads; further ones queue or are refused.
enum Resolver {
    static func resolve(host: String, port: Int, deadline: Deadline, cancel: CancellationFlag,
                        lookup: HostLookup, pool: BlockingWorkPool) throws(HTTPClientError) -> [ResolvedAddress] {
        // IP literals never touch the resolver.
        if let literal = IPAddress(host) { return [make(literal, port: port)] }
        let done = LookupResult()
        let queued = pool.submit {
            done.finish(lookup.lookup(host))
        }
        guard queued else { throw .overloaded("too many name lookups in flight") }
        try Socket.wait(on: done.fd, events: Int16(POLLIN), deadline: deadline, cancel: cancel)
        guard let result = done.result else { throw .dns("no result") }
        let addresses = try result.get()
        if addresses.isEmpty { throw .dns("\(host): no addresses") }
        return addresses.map { make($0, port: port) }
    }

    static func make(_ ip: IPAddress, port: Int) -> ResolvedAddress {
        var storage = sockaddr_storage()
        var length: socklen_t
        let family: Int32
        if ip.isIPv4 {
            family = AF_INET
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { raw in
                let sin = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
                sin.pointee.sin_family = sa_family_t(AF_INET)
                sin.pointee.sin_port = in_port_t(UInt16(port).bigEndian)
                withUnsafeMutableBytes(of: &sin.pointee.sin_addr) { $0.copyBytes(from: ip.bytes) }
            }
        } else {
            family = AF_INET6
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { raw in
                let sin6 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
                sin6.pointee.sin6_family = sa_family_t(AF_INET6)
                sin6.pointee.sin6_port = in_port_t(UInt16(port).bigEndian)
                withUnsafeMutableBytes(of: &sin6.pointee.sin6_addr) { $0.copyBytes(from: ip.bytes) }
            }
        }
        return ResolvedAddress(address: ip, storage: storage, length: length, family: family)
    }

    static func systemLookup(host: String) -> Result<[IPAddress], HTTPClientError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let first = list else {
            return .failure(.dns("\(host): \(String(cString: gai_strerror(rc)))"))
        }
        defer { freeaddrinfo(first) }
        var out: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            guard let sa = ai.pointee.ai_addr else { continue }
            let ip: IPAddress?
            switch ai.pointee.ai_family {
            case AF_INET:
                ip = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                    withUnsafeBytes(of: p.pointee.sin_addr) { IPAddress(bytes: Array($0)) }
                }
            case AF_INET6:
                ip = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                    withUnsafeBytes(of: p.pointee.sin6_addr) { IPAddress(bytes: Array($0)) }
                }
            default:
                ip = nil
            }
            if let ip, !out.contains(ip) { out.append(ip) }
        }
        if out.isEmpty { return .failure(.dns("\(host): no addresses")) }
        return .success(out)
    }
}
