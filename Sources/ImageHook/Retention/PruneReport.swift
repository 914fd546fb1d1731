/// What one pruning pass removed.
public struct PruneReport: Sendable, Hashable {
    public var journalEntries = 0
    public var tasks = 0
    public var relays = 0
    public var submissions = 0
    public var imagesRetired = 0
    public var filesDeleted = 0
    public var pagesFreed = 0
    /// Pruning writes made (each bounded by `prune_batch_rows`).
    public var writes = 0

    public init() {}

    public var isEmpty: Bool {
        journalEntries + tasks + relays + submissions + imagesRetired + filesDeleted + pagesFreed == 0
    }
}
