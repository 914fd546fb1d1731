import HTTP1
import HTTPClient
import Logging

/// The provider's async image API: submit a generation, query a task.
public final class EvoLinkClient: Sendable {
    public let configuration: EvoLinkClientConfiguration
    private let transport: any EvoLinkTransport
    private let logger: Logger

    /// Headers the provider may carry its request id in (PROVIDER.md); logged
    /// with every answer so a support ticket can name the exchange.
    public static let requestIDHeaders = ["x-request-id", "x-oneapi-request-id"]
    /// Set on a submit the provider answered from its idempotency cache.
    public static let replayedHeader = "idempotency-replayed"

    public init(configuration: EvoLinkClientConfiguration, transport: any EvoLinkTransport,
                logger: Logger) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
    }

    /// A client on its own HTTPS client with the provider preset (trusted host,
    /// keep-alive, proxy from the environment).
    public convenience init(configuration: EvoLinkClientConfiguration,
                            httpConfiguration: HTTPClientConfiguration = .providerAPI(),
                            logger: Logger) {
        var http = httpConfiguration
        http.maxBodyBytes = min(http.maxBodyBytes, configuration.maxResponseBytes)
        if configuration.baseURL.lowercased().hasPrefix("http://") { http.allowPlainHTTP = true }
        self.init(configuration: configuration, transport: HTTPClient(configuration: http), logger: logger)
    }

    /// `POST /v1/images/generations`. The pending task and the exact bytes received.
    /// Always pass an Idempotency-Key and reuse it on every retry of the same job: the
    /// request is pre-charged for `n`, so a duplicate costs money.
    public func submit(_ request: GenerationRequest, idempotencyKey: String?)
        async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        if configuration.validateBeforeSubmit {
            do { try request.validate(limits: configuration.validationLimits) } catch {
                throw .invalidRequest(error)
            }
        }
        var headers = baseHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        if let idempotencyKey { headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        let http = HTTPClientRequest(method: "POST", url: configuration.baseURL + "/v1/images/generations",
                                     headers: headers, body: request.encoded())
        let (task, raw, response) = try await exchange(http, operation: "submit")
        if response.headers[Self.replayedHeader]?.lowercased() == "true" {
            logger.info("evolink submit replayed from idempotency cache",
                        metadata: ["task": "\(task.id)"])
        }
        return (task, raw)
    }

    /// `GET /v1/tasks/{id}`. The id is checked first: it goes into the URL path.
    public func task(id: String) async throws(EvoLinkError) -> (TaskDetail, raw: [UInt8]) {
        guard TaskDetail.isValidID(id) else { throw .invalidTaskID(id) }
        let http = HTTPClientRequest(method: "GET", url: configuration.baseURL + "/v1/tasks/" + id,
                                     headers: baseHeaders())
        let (task, raw, _) = try await exchange(http, operation: "task")
        guard task.id == id else {
            throw .malformedResponse(status: 200, reason: "answer is for task \(task.id), not \(id)", raw: raw)
        }
        return (task, raw)
    }

    private func baseHeaders() -> HTTPHeaders {
        var h = HTTPHeaders()
        h.add(name: "Authorization", value: "Bearer \(configuration.apiKey)")
        h.add(name: "Accept", value: "application/json")
        return h
    }

    private func exchange(_ request: HTTPClientRequest, operation: String)
        async throws(EvoLinkError) -> (TaskDetail, [UInt8], HTTPClientResponse) {
        let response: HTTPClientResponse
        do {
            response = try await transport.execute(request)
        } catch {
            let ambiguous = EvoLinkError.isAmbiguous(error)
            logger.warning("evolink \(operation) failed: \(error)",
                           metadata: ["ambiguous": "\(ambiguous)"])
            throw .network(error, ambiguous: ambiguous)
        }
        let requestID = Self.requestIDHeaders.lazy.compactMap { response.headers[$0] }.first
        var meta: Logger.Metadata = ["status": "\(response.status)"]
        if let requestID { meta["provider_request_id"] = "\(requestID)" }
        guard (200..<300).contains(response.status) else {
            let error = EvoLinkError.from(status: response.status, body: response.body, requestID: requestID,
                                          retryAfter: RetryAfter.parse(response.headers["Retry-After"]))
            logger.warning("evolink \(operation) refused: \(error)", metadata: meta)
            throw error
        }
        guard response.body.count <= configuration.maxResponseBytes else {
            throw .malformedResponse(status: response.status, reason: "body too large", raw: [])
        }
        let task: TaskDetail
        do {
            task = try TaskDetail.decode(response.body)
        } catch {
            logger.error("evolink \(operation) answer unreadable: \(error)", metadata: meta)
            throw .malformedResponse(status: response.status, reason: error.description, raw: response.body)
        }
        meta["task"] = "\(task.id)"
        meta["task_status"] = "\(task.status.rawValue)"
        logger.info("evolink \(operation) ok", metadata: meta)
        return (task, response.body, response)
    }
}
