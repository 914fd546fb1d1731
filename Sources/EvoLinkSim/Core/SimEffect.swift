/// Work the core asks its host to do later, outside the lock.
enum SimEffect: Sendable {
    /// Call `settle(taskID:)` at this wall-clock time (the task's terminal moment).
    case settleAt(taskID: String, time: Double)
    /// The state was reset: cancel pending timers and callbacks, drop cached images.
    case resetEngine
}
