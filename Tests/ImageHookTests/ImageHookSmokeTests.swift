import Testing
@testable import ImageHook
