import Foundation

/// Human-readable renderings of the internal API's task JSON.
enum TaskPrinter {
    static func summaryLine(_ task: [String: Any]) -> String {
        let id = task["id"] as? String ?? "?"
        let status = task["status"] as? String ?? "?"
        let progress = (task["progress"] as? NSNumber)?.intValue ?? 0
        let images = task["images"] as? [[String: Any]] ?? []
        let stored = images.filter { $0["state"] as? String == "stored" }.count
        let created = (task["created"] as? NSNumber).map { Self.time($0.doubleValue) } ?? "-"
        return [id.padding(toLength: 40, withPad: " ", startingAt: 0),
                status.padding(toLength: 11, withPad: " ", startingAt: 0),
                "\(progress)%".padding(toLength: 5, withPad: " ", startingAt: 0),
                "\(stored)/\(images.count) stored".padding(toLength: 12, withPad: " ", startingAt: 0),
                created].joined(separator: " ")
    }

    /// `base` makes root-relative image URLs (no `image_base_url`) absolute.
    static func details(_ task: [String: Any], base: String = "") -> [String] {
        var lines = ["id:        \(task["id"] as? String ?? "?")",
                     "status:    \(task["status"] as? String ?? "?")",
                     "progress:  \((task["progress"] as? NSNumber)?.intValue ?? 0)%"]
        if let created = task["created"] as? NSNumber { lines.append("created:   \(time(created.doubleValue))") }
        if let error = task["error"] as? [String: Any] {
            lines.append("error:     \(error["code"].map { "\($0)" } ?? "?"): \(error["message"] as? String ?? "")")
        }
        for image in task["images"] as? [[String: Any]] ?? [] {
            let index = (image["index"] as? NSNumber)?.intValue ?? 0
            let state = image["state"] as? String ?? "?"
            let url = image["url"] as? String
            let where_ = url.map { $0.hasPrefix("/") ? base + $0 : $0 } ?? image["source_url"] as? String ?? ""
            lines.append("image \(index):   \(state) \(where_)")
        }
        return lines
    }

    /// The daemon's URLs of the stored images (the task view carries no disk paths);
    /// root-relative ones (no `image_base_url`) are made absolute against `base`.
    static func storedURLs(_ task: [String: Any], base: String = "") -> [String] {
        (task["images"] as? [[String: Any]] ?? []).compactMap { image -> String? in
            guard image["state"] as? String == "stored", let url = image["url"] as? String else { return nil }
            return url.hasPrefix("/") ? base + url : url
        }
    }

    static func progressBar(_ percent: Int, status: String, width: Int = 30) -> String {
        let p = max(0, min(100, percent))
        let filled = p * width / 100
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(p)% \(status)"
    }

    static func time(_ unix: Double) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date(timeIntervalSince1970: unix))
    }

    static func isTerminal(_ status: String) -> Bool { ["completed", "failed", "cancelled"].contains(status) }

    /// A finished task whose images are all settled (stored, failed or expired).
    static func isSettled(_ task: [String: Any]) -> Bool {
        guard let status = task["status"] as? String, isTerminal(status) else { return false }
        let images = task["images"] as? [[String: Any]] ?? []
        return images.allSatisfy { ["stored", "failed", "expired"].contains($0["state"] as? String ?? "") }
    }
}
