/// What to do with a 3xx response: a pure function of status, method, Location and the
/// hop count, so the redirect rules are testable without a network.
enum RedirectDecision: Equatable {
    case deliver          // not a redirect we follow: hand the response to the caller
    case follow(HTTPURL)
    case fail(HTTPClientError)

    static func evaluate(status: Int, method: String, location: String?, current: HTTPURL,
                         redirectsSoFar: Int, maxRedirects: Int) -> RedirectDecision {
        // RFC 9110 §15.4: 301/302/303/307/308 carry a Location to follow. Only safe
        // methods are followed; a POST's 3xx goes back to the caller unchanged.
        guard [301, 302, 303, 307, 308].contains(status), method == "GET" || method == "HEAD",
              let location, !location.isEmpty, maxRedirects > 0 else { return .deliver }
        guard redirectsSoFar < maxRedirects else { return .fail(.tooManyRedirects(maxRedirects)) }
        let next: HTTPURL
        do { next = try current.resolving(location) } catch { return .fail(error) }
        if current.isTLS && !next.isTLS {
            return .fail(.refusedByPolicy("redirect from https to http (\(next.authority)) refused"))
        }
        return .follow(next)
    }
}
