import EvoLink

extension TaskSnapshot {
    /// The lifecycle's view of a provider task report.
    init(_ detail: TaskDetail) {
        self.init(status: TaskPhase(rawValue: detail.status.rawValue) ?? .pending,
                  progress: detail.progress ?? (detail.status == .completed ? 100 : 0),
                  results: detail.results ?? [],
                  errorCode: detail.error?.code, errorMessage: detail.error?.message)
    }
}
