import Foundation

/// A task as returned by `GET /v1/tasks/{id}`, by the submit call (the pending task),
/// and as the body of a callback (same shape, PROVIDER.md "Callbacks").
///
/// Decoding is strict about what callers rely on (`id` and `status` must be present and
/// well typed, `results` must be strings) and tolerant of everything else: unknown
/// fields (`result_data`, `request_id`, `billing`...) are ignored, and numbers the
/// provider has sent both ways (`progress`, `created`) accept a fraction. Keep the raw
/// bytes next to the value; they are the record of what the provider said.
public struct TaskDetail: Sendable, Hashable, Codable {
    public var created: Int?
    public var id: String
    public var model: String?
    public var object: String?
    public var progress: Int?
    public var status: TaskStatus
    /// Result URLs, present when completed; may hold fewer than `n` (moderation can
    /// drop images and billing follows what was produced).
    public var results: [String]?
    public var taskInfo: TaskInfo?
    public var type: String?
    public var usage: Usage?
    public var error: TaskError?

    /// The `object` value for image tasks.
    public static let imageObject = "image.generation.task"
    /// The prefix every task id carries; the task query answers 400 `invalid_task_id`
    /// otherwise.
    public static let idPrefix = "task-unified-"

    public init(created: Int? = nil, id: String, model: String? = nil, object: String? = nil,
                progress: Int? = nil, status: TaskStatus, results: [String]? = nil,
                taskInfo: TaskInfo? = nil, type: String? = nil, usage: Usage? = nil,
                error: TaskError? = nil) {
        self.created = created
        self.id = id
        self.model = model
        self.object = object
        self.progress = progress
        self.status = status
        self.results = results
        self.taskInfo = taskInfo
        self.type = type
        self.usage = usage
        self.error = error
    }

    /// A cancellation arrives either as status `cancelled` or as `failed` with
    /// `error.code` = `request_cancelled` (PROVIDER.md): both count.
    public var isCancelled: Bool {
        status == .cancelled || (status == .failed && error?.code == Self.cancelledErrorCode)
    }

    public static let cancelledErrorCode = "request_cancelled"

    /// Whether `id` has the documented task id shape (prefix, then a non-empty tail of
    /// URL-safe characters), checked before putting it in a request path.
    public static func isValidID(_ id: String) -> Bool {
        guard id.hasPrefix(idPrefix), id.utf8.count > idPrefix.utf8.count,
              id.utf8.count <= maxIDLength else { return false }
        return id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2D || b == 0x5F
        }
    }

    /// Longest id accepted; real ids are about 35 bytes.
    public static let maxIDLength = 128

    enum CodingKeys: String, CodingKey {
        case created, id, model, object, progress, status, results
        case taskInfo = "task_info"
        case type, usage, error
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        created = try c.decodeLenientInteger(forKey: .created)
        id = try c.decode(String.self, forKey: .id)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        object = try c.decodeIfPresent(String.self, forKey: .object)
        progress = try c.decodeLenientInteger(forKey: .progress)
        status = try c.decode(TaskStatus.self, forKey: .status)
        results = try c.decodeIfPresent([String].self, forKey: .results)
        taskInfo = try c.decodeIfPresent(TaskInfo.self, forKey: .taskInfo)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        usage = try c.decodeIfPresent(Usage.self, forKey: .usage)
        error = try c.decodeIfPresent(TaskError.self, forKey: .error)
    }

    /// Decodes a body received from the provider.
    public static func decode(_ bytes: [UInt8]) throws(WireDecodingError) -> TaskDetail {
        do {
            return try JSONDecoder().decode(TaskDetail.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw WireDecodingError(error)
        } catch {
            throw WireDecodingError.malformed(String(describing: error))
        }
    }

    /// The JSON the provider would send (nil fields omitted).
    public func encoded() -> [UInt8] { WireJSON.encode(self) }
}
