/// Which callback an attempt carries: the real one, a duplicate of it, or a stale
/// `processing` one sent after it (out of order).
enum CallbackKind: String, Sendable {
    case terminal, duplicate, stale
}
