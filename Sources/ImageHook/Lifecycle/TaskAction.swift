/// Work the service must do after a report was applied.
public enum TaskAction: Sendable, Hashable {
    /// One download job per result URL, in order (index = position).
    case enqueueDownloads([String])
    /// The task is final with nothing to download: relay it to the submitter now.
    case scheduleRelay
    /// The task is terminal: the reconciler stops polling it.
    case stopPolling
}
