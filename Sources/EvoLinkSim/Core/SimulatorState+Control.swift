import EvoLink
import Foundation

extension SimulatorState {
    /// The control endpoint for tests and scripts (not part of the provider's API):
    /// `GET /_sim/stats`, `GET|POST /_sim/faults`, `POST /_sim/reset`.
    mutating func control(_ request: SimRequest, action: String) -> SimResponse {
        switch (request.method, action) {
        case ("GET", "stats"):
            return SimResponse.json(200, Self.encode(stats))
        case ("GET", "faults"):
            return SimResponse.json(200, Self.encode(FaultUpdate(rates: rates, nextTasks: nextTaskFaults,
                                                                nextAPIStatuses: nextAPIStatuses)))
        case ("POST", "faults"):
            do {
                let update = try JSONDecoder().decode(FaultUpdate.self, from: Data(request.body))
                try apply(update)
            } catch let e as SimControlError {
                return SimResponse.error(400, code: "invalid_request", message: e.description,
                                         type: "invalid_request_error")
            } catch {
                return SimResponse.error(400, code: "invalid_request", message: "bad fault update: \(error)",
                                         type: "invalid_request_error")
            }
            return SimResponse.json(200, Self.encode(FaultUpdate(rates: rates, nextTasks: nextTaskFaults,
                                                                nextAPIStatuses: nextAPIStatuses)))
        case ("POST", "reset"):
            reset()
            return SimResponse.json(200, Array("{\"reset\":true}".utf8))
        case (_, "stats"), (_, "faults"), (_, "reset"):
            return SimResponse.error(405, code: "method_not_allowed", message: "Method not allowed",
                                     type: "invalid_request_error")
        default:
            return SimResponse.error(404, code: "not_found", message: "No such control endpoint",
                                     type: "invalid_request_error")
        }
    }

    mutating func apply(_ update: FaultUpdate) throws(SimControlError) {
        if let statuses = update.nextAPIStatuses {
            for s in statuses where !(s == 429 || (500...599).contains(s)) {
                throw .invalid("next_api_statuses accepts 429 and 5xx only, got \(s)")
            }
        }
        if let r = update.rates {
            let probabilities = [r.dropCallback, r.duplicateCallback, r.staleCallback, r.lateCallback, r.failTask,
                                 r.cancelTask, r.fewerResults, r.imageServerError, r.imageForbidden, r.imageSlow,
                                 r.imageTruncated, r.imageWrongContentType, r.imageCorrupt, r.apiServerError,
                                 r.apiRateLimit]
            guard probabilities.allSatisfy({ (0...1).contains($0) }) else { throw .invalid("rates must be within [0, 1]") }
            guard r.lateCallbackDelay >= 0, r.slowImageDelay >= 0, r.retryAfter >= 0 else {
                throw .invalid("delays must not be negative")
            }
        }
        if let tasks = update.tasks {
            for id in tasks.keys where self.tasks[id] == nil { throw .invalid("no task \(id)") }
        }
        if let r = update.rates { rates = r }
        if let next = update.nextTasks { nextTaskFaults += next }
        if let statuses = update.nextAPIStatuses { nextAPIStatuses += statuses }
        for (id, faults) in update.tasks ?? [:] { self.tasks[id]?.faults = faults }
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(value)).map(Array.init) ?? Array("{}".utf8)
    }
}
