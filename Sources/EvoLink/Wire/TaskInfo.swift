/// `task_info`: whether the task can be cancelled and, on fresh tasks, the estimated
/// seconds to completion (30 s for wan2.5 per PROVIDER.md).
public struct TaskInfo: Sendable, Hashable, Codable {
    public var canCancel: Bool?
    public var estimatedTime: Int?

    public init(canCancel: Bool? = nil, estimatedTime: Int? = nil) {
        self.canCancel = canCancel
        self.estimatedTime = estimatedTime
    }

    enum CodingKeys: String, CodingKey {
        case canCancel = "can_cancel"
        case estimatedTime = "estimated_time"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        canCancel = try c.decodeIfPresent(Bool.self, forKey: .canCancel)
        estimatedTime = try c.decodeLenientInteger(forKey: .estimatedTime)
    }
}
