import Foundation
import HTTP1
import HTTPClient

/// A plain-HTTP client to the daemon's loopback listeners.
enum HTTPProbe {
    static let client: HTTPClient = {
        var c = HTTPClientConfiguration(maxBodyBytes: 4 << 20, allowPlainHTTP: true, addressPolicy: .trusted,
                                        maxIdleConnectionsPerOrigin: 0)
        c.timeouts = HTTPClientTimeouts(dns: 5, connect: 5, tls: 5, firstByte: 10, idle: 10, total: 15)
        return c
    }().makeClient()

    static func get(_ url: String, headers: HTTPHeaders = HTTPHeaders()) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        let response = try await client.execute(HTTPClientRequest(method: "GET", url: url, headers: headers))
        return (response.status, String(decoding: response.body, as: UTF8.self), response.headers)
    }
}

extension HTTPClientConfiguration {
    func makeClient() -> HTTPClient { HTTPClient(configuration: self) }
}
