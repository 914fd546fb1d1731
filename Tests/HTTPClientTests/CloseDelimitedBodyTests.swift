import Foundation
import Testing
@testable import HTTPClient
import TestSupport

/// RFC 9112 §6.3 rule 8: a response with neither Content-Length nor chunked coding is
/// delimited by the close. Over TLS that close is only trustworthy with close_notify;
/// without it, the client either refuses the body as truncated (the default) or hands
/// it over marked `endUnconfirmed` for a caller that can verify the content.
@Suite struct CloseDelimitedBodyTests {
    static let body = Array((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    func fetch(cleanClose: Bool, delivers: Bool) async throws -> Result<HTTPClientResponse, HTTPClientError> {
        let dir = TemporaryDirectory()
        let certs = try await offPool { try TestCertificates(in: dir) }
        let server = try await offPool { try CloseDelimitedTLSServer(certificates: certs, body: Self.body, cleanClose: cleanClose) }
        let client = HTTPClient(configuration: loopbackConfiguration {
            $0.extraCAFile = certs.caFile
            $0.deliversUnconfirmedCloseDelimitedBodies = delivers
        })
        do {
            let response = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/image.png"))
            _ = server
            return .success(response)
        } catch {
            return .failure(error)
        }
    }

    @Test func withoutCloseNotifyTheDefaultRefusesTheBodyAsTruncated() async throws {
        let result = try await fetch(cleanClose: false, delivers: false)
        guard case .failure(let error) = result else { Issue.record("expected .truncated, got \(result)"); return }
        #expect(error == .truncated)
    }

    @Test func withoutCloseNotifyAVerifyingCallerGetsTheBodyMarkedUnconfirmed() async throws {
        let response = try await fetch(cleanClose: false, delivers: true).get()
        #expect(response.status == 200)
        #expect(response.body == Self.body)
        #expect(response.endUnconfirmed)
    }

    @Test func withCloseNotifyTheEndIsConfirmed() async throws {
        for delivers in [false, true] {
            let response = try await fetch(cleanClose: true, delivers: delivers).get()
            #expect(response.body == Self.body)
            #expect(!response.endUnconfirmed, "delivers=\(delivers)")
        }
    }

    @Test func theImageDownloadPresetVerifiesInsteadOfRefusing() {
        #expect(HTTPClientConfiguration.imageDownload().deliversUnconfirmedCloseDelimitedBodies)
        #expect(!HTTPClientConfiguration.providerAPI(proxy: .none).deliversUnconfirmedCloseDelimitedBodies)
    }
}
