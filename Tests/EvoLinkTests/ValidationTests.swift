import Foundation
import Testing
@testable import EvoLink

/// Every rule of the seed's submit schema, at its accepted and rejected boundaries.
struct ValidationTests {
    func body(_ fields: [String: String]) -> [UInt8] {
        var all = ["model": "\"wan2.5-text-to-image\"", "prompt": "\"a lake at sunset\""]
        for (k, v) in fields { all[k] = v }
        let inner = all.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        return Array("{\(inner.joined(separator: ","))}".utf8)
    }

    func rejected(_ fields: [String: String], removing: [String] = []) -> ValidationError? {
        var b = String(decoding: body(fields), as: UTF8.self)
        for key in removing {
            b = b.replacingOccurrences(of: "\"\(key)\":\"wan2.5-text-to-image\"", with: "\"x_\(key)\":0")
                .replacingOccurrences(of: "\"\(key)\":\"a lake at sunset\"", with: "\"x_\(key)\":0")
        }
        do {
            _ = try GenerationRequest.decodeValidated(Array(b.utf8))
            return nil
        } catch {
            return error
        }
    }

    func param(_ fields: [String: String]) -> String? { rejected(fields)?.field }

    @Test func minimalSeedExampleIsAccepted() throws {
        let r = try GenerationRequest.decodeValidated(Array(
            #"{"model":"wan2.5-text-to-image","prompt":"A serene lake reflecting the beautiful sunset scenery"}"#.utf8))
        #expect(r.model == "wan2.5-text-to-image")
        #expect(r.size == nil && r.n == nil && r.imageCount == 1)
    }

    @Test func modelMustBeTheEnumValue() {
        #expect(param(["model": "\"wan2.5-image-to-image\""]) == "model")
        #expect(param(["model": "\"WAN2.5-TEXT-TO-IMAGE\""]) == "model")
        #expect(param(["model": "5"]) == "model")
        #expect(rejected([:], removing: ["model"]) == .missing(field: "model"))
    }

    @Test func promptRequiredNonEmptyAndAtMost2000Characters() {
        #expect(rejected([:], removing: ["prompt"]) == .missing(field: "prompt"))
        #expect(param(["prompt": "null"]) == "prompt")
        #expect(param(["prompt": "\"\""]) == "prompt")
        #expect(param(["prompt": "\"   \""]) == "prompt")
        #expect(param(["prompt": "42"]) == "prompt")
        #expect(param(["prompt": "\"\(String(repeating: "a", count: 2000))\""]) == nil)
        #expect(param(["prompt": "\"\(String(repeating: "a", count: 2001))\""]) == "prompt")
        // Counted in characters, not bytes: 2000 three-byte characters pass.
        #expect(param(["prompt": "\"\(String(repeating: "湖", count: 2000))\""]) == nil)
        #expect(param(["prompt": "\"\(String(repeating: "湖", count: 2001))\""]) == "prompt")
    }

    @Test(arguments: ["768x768", "1280x1280", "1440x1440", "384x1536", "1536x384", "1024x768", "720x1440"])
    func sizesWithinRangeAreAccepted(size: String) {
        #expect(param(["size": "\"\(size)\""]) == nil)
    }

    @Test(arguments: [
        "767x768",          // 589056 px, below 768*768
        "768x767",
        "1441x1440",        // above 1440*1440
        "1440x1441",
        "383x1536",         // ratio below 1/4 (and below min pixels)
        "400x1601",         // 640400 px in range, ratio 400/1601 < 1/4
        "1601x400",         // ratio just over 4
        "0x768", "768x0",
        "768 x768", " 768x768", "768x768 ", "+768x768", "-768x768", "768X768", "768*768",
        "768x", "x768", "768x768x1", "", "7e2x768", "1.5x768", "1000000x1",
    ])
    func sizesOutsideTheRulesAreRejected(size: String) {
        #expect(param(["size": "\"\(size)\""]) == "size")
    }

    @Test func sizeBoundaryPixelCountsAreExact() {
        // 1536x384 is exactly 4:1 and exactly 768*768 pixels; 1600x400 is 4:1 in range.
        #expect(param(["size": "\"1600x400\""]) == nil)
        #expect(param(["size": "\"400x1600\""]) == nil)
        #expect(param(["size": "1280"]) == "size")
    }

    @Test func nMustBeAnIntegerFrom1To4() {
        #expect(param(["n": "1"]) == nil)
        #expect(param(["n": "4"]) == nil)
        #expect(param(["n": "0"]) == "n")
        #expect(param(["n": "5"]) == "n")
        #expect(param(["n": "-1"]) == "n")
        #expect(param(["n": "2.5"]) == "n")
        #expect(param(["n": "\"2\""]) == "n")
        #expect(param(["n": "true"]) == "n")
        #expect(rejected(["n": "true"]) == .wrongType(field: "n", expected: "an integer"))
    }

    @Test func promptExtendMustBeBoolean() {
        #expect(param(["prompt_extend": "true"]) == nil)
        #expect(param(["prompt_extend": "false"]) == nil)
        #expect(param(["prompt_extend": "1"]) == "prompt_extend")
        #expect(param(["prompt_extend": "\"true\""]) == "prompt_extend")
    }

    @Test func callbackURLMustBeHTTPSPublicAndAtMost2048() {
        func cb(_ url: String) -> String? { param(["callback_url": "\"\(url)\""]) }
        #expect(cb("https://hooks.example.com/v1/callbacks/abc") == nil)
        #expect(cb("https://hooks.example.com:8443/cb?x=1") == nil)
        #expect(cb("https://8.8.8.8/cb") == nil)
        #expect(cb("https://[2606:4700:4700::1111]/cb") == nil)
        #expect(cb("http://hooks.example.com/cb") == "callback_url")
        #expect(cb("ftp://hooks.example.com/cb") == "callback_url")
        #expect(cb("hooks.example.com/cb") == "callback_url")
        let base = "https://hooks.example.com/"
        #expect(cb(base + String(repeating: "a", count: 2048 - base.count)) == nil)
        #expect(cb(base + String(repeating: "a", count: 2049 - base.count)) == "callback_url")
        for host in ["10.0.0.1", "127.0.0.1", "192.168.1.1", "[::1]", "172.16.0.1", "172.31.255.255",
                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "localhost", "LOCALHOST.", "api.localhost",
                     "[fd00::1]", "[fe80::1]", "[::ffff:10.0.0.1]", "2130706433", "0x7f.1", "127.1",
                     "user@127.0.0.1", "evil.example.com@10.1.2.3", "[2001:db8::1]", "198.51.100.7", "[2002:a00:1::1]"] {
            #expect(cb("https://\(host)/cb") == "callback_url", "host \(host)")
        }
        for url in [#"https://10.0.0.1\\@hooks.example.com/cb"#, "https://user@hooks.example.com/cb",
                    "https://hooks.example.com%2F@x/cb", "https://hooks.exa mple.com/cb", "https://[fe80::1%25eth0]/cb",
                    "https://hooks.example.com:0/cb", "https://hooks.example.com:70000/cb", "https:///cb"] {
            #expect(cb(url) == "callback_url", "\(url)")
        }
        // Just outside the private ranges stays allowed.
        #expect(cb("https://172.32.0.1/cb") == nil)
        #expect(cb("https://100.128.0.1/cb") == nil)
        #expect(cb("https://11.0.0.1/cb") == nil)
        #expect(param(["callback_url": "7"]) == "callback_url")
    }

    @Test func insecureCallbacksOnlyWithTheExplicitFlag() throws {
        var limits = ValidationLimits()
        limits.allowInsecureCallbacks = true
        let r = GenerationRequest(prompt: "p", callbackURL: "http://127.0.0.1:9000/cb")
        try r.validate(limits: limits)
        #expect(throws: ValidationError.self) { try r.validate() }
    }

    @Test func unknownFieldsAreIgnored() {
        #expect(param(["seed": "42", "negative_prompt": "\"x\"", "watermark": "{\"a\":1}"]) == nil)
    }

    @Test func nonObjectBodiesAreRejectedWithoutAField() {
        for text in ["", "[]", "\"x\"", "{", "null"] {
            do {
                _ = try GenerationRequest.decodeValidated(Array(text.utf8))
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.field == nil || text == "null")
            }
        }
    }

    @Test func errorEnvelopeNamesTheField() throws {
        let e = rejected(["size": "\"10x10\""])!
        let env = e.envelope
        #expect(env.error.code == "invalid_request")
        #expect(env.error.type == "invalid_request_error")
        #expect(env.error.param == "size")
        let json = try JSONSerialization.jsonObject(with: Data(env.encoded())) as? [String: Any]
        let inner = json?["error"] as? [String: Any]
        #expect(inner?["param"] as? String == "size")
        #expect((inner?["message"] as? String)?.contains("size") == true)
    }

    @Test func requestEncodesWithWireNames() throws {
        let r = GenerationRequest(prompt: "p", size: "1024x1024", n: 2, promptExtend: false,
                                  callbackURL: "https://h.example/cb")
        let text = String(decoding: r.encoded(), as: UTF8.self)
        #expect(text.contains("\"prompt_extend\":false"))
        #expect(text.contains("\"callback_url\":\"https://h.example/cb\""))
        #expect(try GenerationRequest.decodeValidated(r.encoded()) == r)
    }
}
