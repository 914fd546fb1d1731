import Testing
import ImageHook
@testable import Daemon

@Suite struct TokenScopeParsingTests {
    @Test func scopesParseAndOldLinesAreSubmitters() {
        let t = String(repeating: "t", count: 40)
        let parsed = InternalToken.parse("old:\(t)\nsvc:\(t)1:submitter\nops:\(t)2:admin\nbad:\(t)3:root\n")
        #expect(parsed.tokens.map(\.name) == ["old", "svc", "ops"])
        #expect(parsed.tokens.map(\.scope) == [.submitter, .submitter, .admin])
        #expect(parsed.tokens[2].token.reveal() == t + "2")
        #expect(parsed.problems.count == 1)
        #expect(parsed.problems.first?.line == 4)
        #expect(parsed.problems.first?.message.contains("submitter or admin") == true)
        #expect(parsed.problems.first?.message.contains(t) == false)
        #expect(CallerScope.legacyDefault == .submitter)
    }
}
