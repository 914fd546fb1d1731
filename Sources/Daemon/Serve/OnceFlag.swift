import Support

/// True for the first caller of `claim()` only (one-shot continuation guards).
final class OnceFlag: Sendable {
    private let claimed = Locked(false)

    func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
