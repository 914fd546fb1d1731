import Testing
@testable import ImageStore
