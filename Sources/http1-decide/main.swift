// Prints what the HTTP/1.1 request parser decides about each input, for the differential
// check against a reference parser (.ci/differential). One input per stdin line, in hex;
// one JSON object per output line: the messages completed (method, target, version,
// header fields as received, body in hex), then "error" (the parser rejected the rest,
// with its status) or "partial" (whether it holds bytes of an unfinished message).
// Nothing else is printed.
import HTTP1

func hexDecode(_ line: Substring) -> [UInt8]? {
    let digits = Array(line.utf8)
    guard digits.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
        guard let hi = nibble(digits[i]), let lo = nibble(digits[i + 1]) else { return nil }
        out.append(hi << 4 | lo)
        i += 2
    }
    return out
}

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// A JSON string literal; field names and values may hold any byte the parser let
/// through, so everything outside printable ASCII is escaped as \u00XX of its byte.
func jsonString(_ s: String) -> String {
    var out = "\""
    for b in s.utf8 {
        switch b {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
        default: out += "\\u00" + hex([b])
        }
    }
    return out + "\""
}

func decide(_ input: [UInt8]) -> String {
    var parser = HTTPRequestParser()
    parser.append(contentsOf: input)
    var messages: [String] = []
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    do {
        while let event = try parser.next() {
            switch event {
            case .head(let h):
                head = h
                body = []
            case .body(let b):
                body += b
            case .end:
                guard let h = head else { continue }
                let fields = h.headers.map { "[\(jsonString($0.name)),\(jsonString($0.value))]" }.joined(separator: ",")
                messages.append("{\"method\":\(jsonString(h.method)),\"target\":\(jsonString(h.target)),"
                    + "\"version\":\"\(h.version.major).\(h.version.minor)\",\"keep_alive\":\(h.keepAlive),"
                    + "\"headers\":[\(fields)],\"body\":\"\(hex(body))\"}")
                head = nil
            }
        }
        // Bytes of an unfinished message are held (or the head was already returned).
        let partial = head != nil || parser.hasBufferedBytes || !parser.isAtMessageBoundary
        return "{\"messages\":[\(messages.joined(separator: ","))],\"partial\":\(partial)}"
    } catch {
        return "{\"messages\":[\(messages.joined(separator: ","))],\"error\":\(jsonString(error.description)),\"status\":\(error.status)}"
    }
}

while let line = readLine(strippingNewline: true) {
    guard let input = hexDecode(line[...]) else {
        print("{\"invalid_input\":true}")
        continue
    }
    print(decide(input))
}
