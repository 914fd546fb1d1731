import HTTP1
import HTTPServer

/// Serves the bench's images from memory: `GET /img/<n>.png` -> image n. Each image is
/// distinct, so the store never deduplicates a download away.
struct ImageServerHandler: HTTPRequestHandler {
    let images: [[UInt8]]

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let path = request.head.path
        guard path.hasPrefix("/img/"), path.hasSuffix(".png"),
              let n = Int(path.dropFirst(5).dropLast(4)), images.indices.contains(n) else {
            responder.send(.error(404, code: "not_found", message: "no such image"))
            return
        }
        responder.send(HTTPServerResponse(status: 200, headers: ["Content-Type": "image/png"], body: .bytes(images[n])))
    }
}
