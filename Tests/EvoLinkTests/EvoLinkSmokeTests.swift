import Testing
@testable import EvoLink
