import Dispatch
import Glibc

/// A serial queue that a share of the connections live on. Everything a connection
/// owns is touched only on its loop's queue, so a loop can share one read buffer, one
/// `Date` cache and one request-id counter among its connections, and run one sweep
/// timer for all their deadlines instead of a timer each.
final class HTTPEventLoop: @unchecked Sendable {
    let queue: DispatchQueue
    private let key = DispatchSpecificKey<Bool>()
    let readBuffer: UnsafeMutableRawBufferPointer
    var dateCache = HTTPDateCache()
    var requestIDs: HTTPRequestID
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var timer: DispatchSourceTimer?
    /// The sweep sleeps while the loop has no connection, so an idle daemon does not
    /// wake up several times a second for nothing.
    private var timerSuspended = false

    init(index: Int, readBufferBytes: Int, seed: UInt64) {
        queue = DispatchQueue(label: "imagehook.http.loop.\(index)")
        queue.setSpecific(key: key, value: true)
        readBuffer = .allocate(byteCount: max(4096, readBufferBytes), alignment: 16)
        requestIDs = HTTPRequestID(seed: seed &+ UInt64(index))
    }

    deinit {
        readBuffer.deallocate()
    }

    /// True when running on this loop's queue.
    var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }

    /// Starts the deadline sweep; deadlines fire at most `resolution` late.
    func startTimer(resolution: Double) {
        queue.async {
            guard self.timer == nil else { return }
            let timer = DispatchSource.makeTimerSource(queue: self.queue)
            let interval = DispatchTimeInterval.nanoseconds(Int(max(0.01, resolution) * 1_000_000_000))
            timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(10))
            timer.setEventHandler { [unowned self] in self.sweep() }
            timer.resume()
            self.timer = timer
        }
    }

    func stopTimer() {
        queue.async {
            guard let timer = self.timer else { return }
            timer.cancel()
            // A suspended source must be resumed before it is released.
            if self.timerSuspended {
                self.timerSuspended = false
                timer.resume()
            }
            self.timer = nil
        }
    }

    func add(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = connection
        if timerSuspended, let timer {
            timerSuspended = false
            timer.resume()
        }
    }

    func remove(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Calls `body` for each connection (a snapshot: connections may close meanwhile).
    func forEachConnection(_ body: (HTTPConnection) -> Void) {
        for connection in Array(connections.values) { body(connection) }
    }

    private func sweep() {
        if connections.isEmpty, let timer, !timerSuspended {
            timerSuspended = true
            timer.suspend()
            return
        }
        let now = HTTPSocket.monotonicNanoseconds()
        var due: [HTTPConnection] = []
        for connection in connections.values {
            if let deadline = connection.nextDeadline, deadline <= now { due.append(connection) }
        }
        for connection in due { connection.timerFired(now: now) }
    }
}
