/// Per-task faults written into the prompt, so a client can steer one task without the
/// control endpoint: `a fox [sim:fail=content_policy_violation]`,
/// `[sim:duplicate_callback,stale_callback,callback_delay=5]`, `[sim:results=1,image=corrupt]`.
/// Keys: `drop_callback`, `duplicate_callback`, `stale_callback`, `callback_delay=S`,
/// `fail=CODE`, `cancel`, `results=N` (negative: that many fewer than n), `image=FAULT`
/// (an `ImageFault` raw value). Unknown keys are ignored. Real prompts never contain
/// `[sim:`; the simulator can still be started with directives off.
public enum PromptDirectives {
    public static let marker = "[sim:"

    /// The faults the prompt asks for, or nil when it has no directive.
    public static func faults(in prompt: String) -> TaskFaults? {
        var rest = Substring(prompt)
        var faults: TaskFaults?
        while let open = rest.range(of: marker) {
            guard let close = rest[open.upperBound...].firstIndex(of: "]") else { break }
            var f = faults ?? TaskFaults()
            for item in rest[open.upperBound..<close].split(separator: ",") {
                let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let value = kv.count == 2 ? kv[1] : nil
                switch kv.first ?? "" {
                case "drop_callback": f.dropCallback = true
                case "duplicate_callback": f.duplicateCallback = true
                case "stale_callback": f.staleCallback = true
                case "callback_delay": f.callbackDelay = value.flatMap(Double.init)
                case "fail": f.failWith = value
                case "cancel": f.cancel = true
                case "results": f.resultCount = value.flatMap { Int($0) }
                case "image": f.image = value.flatMap(ImageFault.init(rawValue:))
                default: break
                }
            }
            faults = f
            rest = rest[rest.index(after: close)...]
        }
        return faults
    }
}
