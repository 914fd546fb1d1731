import Foundation
import HTTP1
import HTTPClient

/// The CLI's client of the internal API (plain HTTP to the loopback listener).
struct InternalAPIClient: Sendable {
    let baseURL: String
    let token: Secret
    let http: HTTPClient

    init(baseURL: String, token: Secret) {
        self.baseURL = baseURL
        self.token = token
        var c = HTTPClientConfiguration(maxBodyBytes: 16 << 20, maxRedirects: 0, allowPlainHTTP: true,
                                        addressPolicy: .trusted, maxIdleConnectionsPerOrigin: 1)
        c.timeouts = HTTPClientTimeouts(dns: 5, connect: 5, tls: 5, firstByte: 60, idle: 60, total: 90)
        http = HTTPClient(configuration: c)
    }

    /// Sends a request; returns the decoded JSON object for a 2xx, throws a CLIError otherwise.
    func call(_ method: String, _ path: String, body: [String: Any]? = nil,
              headers extra: [(String, String)] = []) async throws -> [String: Any] {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer " + token.reveal())
        headers.add(name: "Accept", value: "application/json")
        for (n, v) in extra { headers.add(name: n, value: v) }
        var bytes: [UInt8] = []
        if let body {
            bytes = Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
            headers.add(name: "Content-Type", value: "application/json")
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(HTTPClientRequest(method: method, url: baseURL + path, headers: headers, body: bytes))
        } catch {
            throw CLIError.unreachable(url: baseURL, reason: "\(error)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard (200..<300).contains(response.status) else {
            if response.status == 401 { throw CLIError.unauthorized }
            let error = object?["error"] as? [String: Any]
            let code = error?["code"] as? String ?? "http_\(response.status)"
            // An older daemon without the route answers 404 not_found or 405.
            for action in ["replay", "retry"] where path.hasSuffix("/" + action) {
                if response.status == 405 || (response.status == 404 && code == "not_found") { throw CLIError.unsupported(action) }
            }
            throw CLIError.api(status: response.status, code: code, message: error?["message"] as? String ?? "")
        }
        guard let object else { throw CLIError.badAnswer("body is not a JSON object") }
        return object
    }

    static func jsonText(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
