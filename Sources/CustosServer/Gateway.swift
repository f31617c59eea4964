import CustosAudit
import CustosCore
import CustosGuard
import CustosML
import CustosOpenAI
import CustosPrivacy
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix
import ServiceLifecycle
import UnixSignals
import Synchronization

/// The guardrail gateway: an OpenAI-compatible HTTP server that screens every request and answer with a
/// policy, proxies chat to an upstream, serves moderation and embeddings itself, and appends a decision record
/// for every request to the tamper-evident audit log before answering.
///
/// Routes: `POST /v1/chat/completions` (plain and SSE), `POST /v1/moderations`, `POST /v1/embeddings`,
/// `GET /v1/models`, `POST /v1/feedback`; admin: `GET /admin/decisions`, `GET /admin/decisions/{request_id}`,
/// `GET /admin/checkpoint`; operations: `GET /metrics`, `GET /healthz`, `GET /readyz`.
public final class Gateway: Sendable {
    /// The validated configuration.
    public let configuration: GatewayConfiguration
    /// Custos home (keys, audit log, gateway database).
    public let home: CustosHome
    let keys: KeyDirectory
    let policies: PolicySet
    let recorder: DecisionRecorder
    let index: RequestIndex
    let signer: NoteSigner
    let upstream: UpstreamClient?
    let environment: ScannerEnvironment
    let pseudonymKey: AnonymizerKey
    let limiter = RateLimiter()
    let executors = GatewayExecutors()
    /// The gateway's metrics.
    public let metrics = GatewayMetrics()
    let logger: Logger
    let started = Date()

    /// The audit log the gateway appends to.
    public var auditLog: AuditLog { recorder.log }

    /// Opens everything the gateway needs; any problem (bad policy, unreadable keys, bad upstream URL, store
    /// unreachable) is an error here, before the port opens.
    public init(configuration: GatewayConfiguration, environment processEnvironment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger = Logger(label: "custos.gateway")) async throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        home = CustosHome(path: configuration.home, environment: processEnvironment)
        try FileManager.default.createDirectory(at: home.root, withIntermediateDirectories: true)
        environment = ScannerEnvironment(home: home, workerCommand: configuration.scannerWorkerCommand)

        // Policies: the configured (or built-in) default, plus each key's own.
        let defaultPolicy: Policy
        if let path = configuration.policyPath {
            defaultPolicy = try PolicyLoader.load(path: path)
        } else {
            defaultPolicy = try PolicyLoader.parse(GatewayConfiguration.defaultPolicyYAML, file: "the built-in gateway policy")
        }
        let keyStore = try APIKeyStore(home: home)
        keys = KeyDirectory(store: keyStore)
        try keys.reload()
        policies = try PolicySet(default: defaultPolicy, keys: keys.all, environment: environment)

        // Audit: keys (created on first start), store, recorder with group commit and periodic checkpoints.
        let keyDirectory = home.root.appendingPathComponent("keys")
        let auditKeys: AuditKeys
        if FileManager.default.fileExists(atPath: keyDirectory.appendingPathComponent(AuditKeys.signingKeyFile).path) {
            auditKeys = try AuditKeys.load(from: keyDirectory)
        } else {
            auditKeys = try AuditKeys.create(in: keyDirectory, origin: "custos.gateway/\(ProcessInfo.processInfo.hostName)")
            logger.notice("created audit keys", metadata: ["directory": "\(keyDirectory.path)"])
        }
        signer = auditKeys.signer
        let cipher = try AuditKeys.loadMasterKey(from: keyDirectory).map(PayloadCipher.init(master:))
        let store = try await AuditStoreOpener.open(configuration.store, home: home)
        index = try RequestIndex(path: home.root.appendingPathComponent("gateway.sqlite").path)
        recorder = DecisionRecorder(log: AuditLog(store: store, cipher: cipher), signer: auditKeys.signer,
                                    checkpointEvery: configuration.checkpointEvery, index: index, logger: logger)

        // Pseudonyms: one key per home, so the same person gets the same surrogate across requests.
        let pseudonymKeyPath = keyDirectory.appendingPathComponent("gateway-pseudonym.key").path
        if FileManager.default.fileExists(atPath: pseudonymKeyPath) {
            pseudonymKey = try AnonymizerKey.read(file: pseudonymKeyPath)
        } else {
            let key = AnonymizerKey.generate()
            try FileInput.writeAtomically(key.hex + "\n", to: pseudonymKeyPath)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pseudonymKeyPath)
            pseudonymKey = key
        }

        if let url = configuration.upstream {
            var apiKey: String?
            if let variable = configuration.upstreamKeyEnvironment {
                guard let value = processEnvironment[variable], !value.isEmpty else {
                    throw CustosError(.usage, "upstream_key_env names \(variable), which is not set")
                }
                apiKey = value
            }
            upstream = UpstreamClient(configuration: try UpstreamConfiguration(
                baseURL: url, apiKey: apiKey, timeout: .seconds(configuration.upstreamTimeoutSeconds)))
        } else {
            upstream = nil
        }
    }

    /// Runs the server until SIGTERM/SIGINT (or cancellation): on shutdown it stops accepting connections,
    /// lets in-flight requests finish (their audit records included), then closes the upstream pool.
    /// `onRunning` receives the bound port (useful with port 0).
    /// `control` lets code in the same process ask for the same graceful shutdown a signal would.
    public func run(signals: [UnixSignal] = [.sigterm, .sigint], control: GatewayControl? = nil,
                    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "custos"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: signals, logger: logger))
        control?.attach(group)
        do {
            try await withTaskExecutorPreference(executors.server) {
                try await group.run()
            }
        } catch {
            await close()
            throw error
        }
        await close()
    }

    /// After the server stopped: closes the upstream pool, writes the request index's queued entries, closes the
    /// audit store.
    private func close() async {
        try? await upstream?.shutdown()
        do {
            try index.flush()
        } catch {
            logger.warning("request index write failed at shutdown; those requests cannot be looked up by id", metadata: ["error": "\(error)"])
        }
        await recorder.log.store.close()
    }

    /// The routes.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in self.plain("ok\n") }
        router.get("/readyz") { _, _ in await self.readiness() }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: self.metrics.exposition())))
        }
        router.get("/v1/models") { request, _ in await self.handle("models", request, role: .client) { _, caller, id in
            try await self.models(caller: caller, requestID: id)
        } }
        router.post("/v1/chat/completions") { request, _ in await self.handle("chat", request, role: .client, placement: .loopIfLight) { body, caller, id in
            try await self.chat(body: body, caller: caller, requestID: id, request: request)
        } }
        router.post("/v1/moderations") { request, _ in await self.handle("moderations", request, role: .client, placement: .offLoop) { body, caller, id in
            try await self.moderations(body: body, caller: caller, requestID: id)
        } }
        router.post("/v1/embeddings") { request, _ in await self.handle("embeddings", request, role: .client, placement: .offLoop) { body, caller, id in
            try await self.embeddings(body: body, caller: caller, requestID: id)
        } }
        router.post("/v1/feedback") { request, _ in await self.handle("feedback", request, role: .client) { body, caller, id in
            try await self.feedback(body: body, caller: caller, requestID: id)
        } }
        router.get("/admin/decisions") { request, _ in await self.handle("admin", request, role: .admin, placement: .offLoop) { _, _, id in
            try await self.latestDecisions(request: request, requestID: id)
        } }
        router.get("/admin/decisions/:request_id") { request, context in
            let wanted = context.parameters.get("request_id") ?? ""
            return await self.handle("admin", request, role: .admin, placement: .offLoop) { _, _, id in
                try await self.decision(of: wanted, requestID: id)
            }
        }
        router.get("/admin/checkpoint") { request, _ in await self.handle("admin", request, role: .admin, placement: .offLoop) { _, _, id in
            try await self.checkpoint(requestID: id)
        } }
        return router
    }

    // MARK: - The common frame of every API route

    /// Authenticates, rate-limits, reads the body (bounded), runs `body`, maps errors to OpenAI error responses
    /// and counts the request.
    /// `placement` says where `body` runs (`GatewayExecutors`): on the event loop that read the request, or
    /// off the loops for work that may take milliseconds.
    func handle(_ route: String, _ request: Request, role: KeyRole, placement: GatewayExecutors.Placement = .loop,
                _ body: @Sendable ([UInt8], APIKey, String) async throws -> Response) async -> Response {
        // The server's tasks run on the loop that read their request: pin this request to it.
        let home = executors.home()
        let clock = ContinuousClock()
        let start = clock.now
        let requestID = Self.newRequestID()
        var response: Response
        do {
            let caller = try authenticate(request, role: role)
            if let wait = limiter.acquire(caller.name, rate: caller.ratePerSecond ?? configuration.rateLimitPerSecond,
                                          burst: caller.burst ?? configuration.rateLimitBurst) {
                throw GatewayError(.tooManyRequests, "rate limit for key '\(caller.name)' exceeded; retry in \(String(format: "%.2f", wait)) s",
                                   type: "rate_limit_error", code: "rate_limit_exceeded", retryAfter: wait)
            }
            let bytes = request.method == .post ? try await readBody(request) : []
            let onLoop = switch placement {
            case .loop: true
            case .offLoop: false
            case .loopIfLight: try bytes.count <= GatewayExecutors.loopBodyBytes && policies.pipeline(for: caller).isLight
            }
            let executor: (any TaskExecutor)? = onLoop ? home : executors.offLoop
            response = try await withTaskExecutorPreference(executor) {
                try await body(bytes, caller, requestID)
            }
        } catch let error as GatewayError {
            response = error.response(requestID: requestID)
        } catch let error as CustosError {
            response = Self.gatewayError(for: error).response(requestID: requestID)
        } catch let failure as UpstreamFailure {
            metrics.upstreamError(kind: Self.kind(failure))
            response = GatewayError.upstream(failure).response(requestID: requestID)
        } catch {
            logger.error("unexpected error", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            response = GatewayError(.internalServerError, "internal error (request \(requestID))", type: "server_error")
                .response(requestID: requestID)
        }
        response.headers[JSONResponse.requestIDHeader] = requestID
        metrics.request(route: route, status: Int(response.status.code), duration: clock.now - start)
        logger.info("request", metadata: [
            "request_id": "\(requestID)", "route": "\(route)", "status": "\(response.status.code)",
            "decision": "\(response.headers[JSONResponse.decisionHeader] ?? "-")",
        ])
        return response
    }

    func authenticate(_ request: Request, role: KeyRole) throws -> APIKey {
        guard let header = request.headers[.authorization], let secret = Self.bearerSecret(header) else {
            throw GatewayError(.unauthorized, "missing API key: send 'Authorization: Bearer <key>' (create one with `custos keys create`)",
                               type: "invalid_request_error", code: "invalid_api_key")
        }
        guard let key = keys.lookup(secret: secret) else {
            throw GatewayError(.unauthorized, "invalid API key", type: "invalid_request_error", code: "invalid_api_key")
        }
        if role == .admin, key.role != .admin {
            throw GatewayError(.forbidden, "key '\(key.name)' is not an admin key", type: "permission_error", code: "forbidden")
        }
        return key
    }

    /// The secret of an `Authorization: Bearer <secret>` value (scheme in any case, spaces and tabs around the
    /// secret dropped), or nil for another scheme. Works on the UTF-8 bytes: it runs on every request.
    static func bearerSecret(_ header: String) -> String? {
        let bytes = header.utf8
        let scheme = "bearer ".utf8
        guard bytes.count >= scheme.count, zip(bytes, scheme).allSatisfy({ $1 == 32 ? $0 == 32 : $0 | 0x20 == $1 }) else { return nil }
        var body = bytes.dropFirst(scheme.count)
        while let first = body.first, first == 32 || first == 9 { body = body.dropFirst() }
        while let last = body.last, last == 32 || last == 9 { body = body.dropLast() }
        return String(Substring(body))
    }

    func readBody(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.maximumBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Self.tooLarge(limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge(limit)
        }
    }

    static func tooLarge(_ limit: Int) -> GatewayError {
        GatewayError(.contentTooLarge, "request body over the gateway's limit of \(limit) bytes (max_body_bytes)",
                     type: "invalid_request_error", code: "request_too_large")
    }

    static func gatewayError(for error: CustosError) -> GatewayError {
        switch error.code {
        case .invalidInput, .usage: return .invalid(error)
        case .missingAsset:
            return GatewayError(.serviceUnavailable, error.description, type: "server_error", code: "model_unavailable")
        case .upstream: return GatewayError(.badGateway, error.description, type: "server_error", code: "upstream_error")
        case .io, .internal: return GatewayError(.internalServerError, error.description, type: "server_error")
        }
    }

    static func kind(_ failure: UpstreamFailure) -> String {
        switch failure {
        case .timeout: return "timeout"
        case .unreachable: return "unreachable"
        case .reset: return "reset"
        case .status(let code, _): return "status_\(code)"
        case .malformed: return "malformed"
        }
    }

    static func newRequestID() -> String {
        var random = SystemRandomNumberGenerator()
        let (a, b) = (random.next(), random.next())
        return "req_" + (withUnsafeBytes(of: a) { Array($0) } + withUnsafeBytes(of: b) { Array($0) }).hexString
    }

    func plain(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    func readiness() async -> Response {
        if await recorder.healthy() { return plain("ready\n") }
        return plain("audit store unavailable: \(await recorder.lastError ?? "unknown")\n", status: .serviceUnavailable)
    }
}

/// A handle to shut a running gateway down gracefully from inside the process (tests, embedding applications).
public final class GatewayControl: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)

    /// A handle; pass it to `Gateway.run`.
    public init() {}

    func attach(_ group: ServiceGroup) { self.group.withLock { $0 = group } }

    /// Stops accepting connections and lets in-flight requests finish, as SIGTERM does.
    public func shutdown() async {
        guard let group = group.withLock({ $0 }) else { return }
        await group.triggerGracefulShutdown()
    }
}
