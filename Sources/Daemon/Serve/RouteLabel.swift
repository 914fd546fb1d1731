/// Maps a request path to a bounded set of route labels for metrics: ids and tokens
/// become placeholders, unknown paths become `other`, so a scanner cannot blow up the
/// number of time series (and tokens never reach the metrics).
public enum RouteLabel {
    public static func label(for path: Substring) -> String {
        let trimmed = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: true)
        switch parts.count {
        case 1 where ["healthz", "readyz", "metrics"].contains(parts[0]):
            return "/" + parts[0]
        case 2 where parts[0] == "v1":
            return "/v1/" + (known.contains(String(parts[1])) ? parts[1] : "other")
        case 3 where parts[0] == "v1" && parts[1] == "callbacks":
            return "/v1/callbacks/{token}"
        case 3 where parts[0] == "v1" && parts[1] == "images" && parts[2] == "generations":
            return "/v1/images/generations"
        case 3 where parts[0] == "v1" && parts[1] == "tasks":
            return "/v1/tasks/{id}"
        case 4 where parts[0] == "v1" && parts[1] == "tasks":
            return "/v1/tasks/{id}/" + (taskActions.contains(String(parts[3])) ? parts[3] : "other")
        case 3 where parts[0] == "v1" && parts[1] == "images":
            return "/v1/images/{file}"
        default:
            return "other"
        }
    }

    static let known: Set<String> = ["tasks", "ledger", "images"]
    static let taskActions: Set<String> = ["replay", "retry", "journal", "images"]
}
