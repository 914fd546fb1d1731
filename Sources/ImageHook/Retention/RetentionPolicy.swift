/// How long each kind of history is kept, and how the pruner paces itself. A period of
/// 0 keeps that kind forever. Replaced live on SIGHUP.
///
/// The defaults keep the project's guarantees: a late duplicate callback (the provider
/// retries for seconds, but a restore from a backup can replay hours or days) is still
/// recognised for at least 7 days, because a task and its submission (which holds the
/// callback token) outlive that; a repeated Idempotency-Key is recognised as long. Images
/// stay until an operator sets `retention_images`.
public struct RetentionPolicy: Sendable, Equatable {
    /// The shortest journal, idempotency or finished-task retention the daemon accepts.
    public static let minimumGuarantee: Double = 7 * 86_400

    /// `retention_journal`: raw callback and poll bodies.
    public var journal: Double = 30 * 86_400
    /// `retention_idempotency`: submissions with no task left (a task keeps its own).
    public var idempotency: Double = 30 * 86_400
    /// `retention_tasks`: finished tasks (with their jobs, relay record and journal),
    /// counted from the last change; never one with work still in flight.
    public var finishedTasks: Double = 90 * 86_400
    /// `retention_relays`: delivered and given-up relay records.
    public var relays: Double = 30 * 86_400
    /// `retention_images`: stored image files; 0 = until an operator says otherwise.
    public var images: Double = 0
    /// `prune_interval`: pause between pruning passes.
    public var interval: Double = 300
    /// `prune_batch_rows`: most rows one pruning write deletes, so it holds the single
    /// writer (and every callback acknowledgement queued behind it) for milliseconds.
    public var batchRows: Int = 500
    /// `prune_batch_pause`: pause between two pruning writes, leaving the writer to
    /// callbacks in between.
    public var batchPause: Double = 0.02
    /// `prune_vacuum_pages`: free pages given back to the file system per write.
    public var vacuumPages: Int = 1_000

    public init() {}

    /// Tasks per pruning write: a task takes its jobs, relay and journal rows with it.
    var tasksPerBatch: Int { max(1, batchRows / 16) }
}
