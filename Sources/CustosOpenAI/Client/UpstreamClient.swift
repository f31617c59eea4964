import AsyncHTTPClient
import CustosCore
import Foundation
import NIOCore
import NIOHTTP1
import Tracing

/// Where the upstream model is and how long to wait for it.
public struct UpstreamConfiguration: Sendable, Equatable {
    /// Base URL including the API prefix, as the OpenAI SDKs take it (`http://127.0.0.1:8000/v1`).
    public var baseURL: String
    /// Bearer key sent upstream (never the caller's key).
    public var apiKey: String?
    /// Longest wait for the upstream's first byte, and between two bytes of a stream.
    public var timeout: Duration
    /// Largest non-streamed answer accepted.
    public var maximumResponseBytes: Int

    /// A configuration; the base URL must be http(s) with a host.
    public init(baseURL: String, apiKey: String? = nil, timeout: Duration = .seconds(60), maximumResponseBytes: Int = 16 << 20) throws {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw CustosError(.usage, "upstream URL '\(baseURL)' is not an http(s) URL with a host (e.g. http://127.0.0.1:8000/v1)")
        }
        self.baseURL = trimmed
        self.apiKey = apiKey
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }
}

/// Why an upstream call failed; each maps to one HTTP status at the gateway.
public enum UpstreamFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer (or no next stream byte) within the timeout: 504.
    case timeout(String)
    /// Could not connect: 502.
    case unreachable(String)
    /// The connection closed before the answer was complete: 502.
    case reset(String)
    /// The upstream answered with a non-2xx status; its body is passed back to the caller.
    case status(Int, [UInt8])
    /// The upstream answered, but not in the OpenAI format (or too large): 502.
    case malformed(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .timeout(let s): return "upstream timed out: \(s)"
        case .unreachable(let s): return "upstream unreachable: \(s)"
        case .reset(let s): return "upstream closed the connection: \(s)"
        case .status(let code, _): return "upstream answered HTTP \(code)"
        case .malformed(let s): return "upstream sent a malformed answer: \(s)"
        }
    }
}

/// An HTTP client for one OpenAI-compatible upstream (AsyncHTTPClient, pooled keep-alive connections).
public final class UpstreamClient: Sendable {
    /// Where requests go.
    public let configuration: UpstreamConfiguration
    private let http: HTTPClient

    /// A client with its own connection pool; call `shutdown()` when done.
    public init(configuration: UpstreamConfiguration) {
        self.configuration = configuration
        let seconds = configuration.timeout.components.seconds
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .seconds(min(10, max(1, seconds))), read: .seconds(max(1, seconds)))
        http.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        http.decompression = .disabled
        // With no tracer bootstrapped, AsyncHTTPClient still opens a no-op span per request and parses the URL with
        // Foundation to describe it (~16 µs of a gateway request's CPU in a profile); a bootstrapped one is kept.
        if InstrumentationSystem.tracer is NoOpTracer { http.tracing.tracer = nil }
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    /// Closes the connection pool.
    public func shutdown() async throws { try await http.shutdown() }

    /// POSTs a JSON body and returns the whole 2xx answer.
    public func post(_ path: String, body: [UInt8], requestID: String) async throws(UpstreamFailure) -> [UInt8] {
        let response = try await execute(request(path, method: .POST, body: body, requestID: requestID), streaming: false)
        do {
            let buffer = try await response.body.collect(upTo: configuration.maximumResponseBytes)
            return Array(buffer.readableBytesView)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw .malformed("answer larger than \(configuration.maximumResponseBytes) bytes")
        } catch {
            throw Self.classify(error)
        }
    }

    /// GETs a path and returns the whole 2xx answer.
    public func get(_ path: String, requestID: String) async throws(UpstreamFailure) -> [UInt8] {
        let response = try await execute(request(path, method: .GET, body: nil, requestID: requestID), streaming: false)
        do {
            return Array(try await response.body.collect(upTo: configuration.maximumResponseBytes).readableBytesView)
        } catch {
            throw Self.classify(error)
        }
    }

    /// POSTs a JSON body and returns the answer's server-sent events as they arrive. Cancelling the consuming task
    /// cancels the upstream request.
    public func stream(_ path: String, body: [UInt8], requestID: String) async throws(UpstreamFailure) -> UpstreamEventStream {
        let response = try await execute(request(path, method: .POST, body: body, requestID: requestID), streaming: true)
        return UpstreamEventStream(body: response.body)
    }

    private func request(_ path: String, method: HTTPMethod, body: [UInt8]?, requestID: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: "application/json, text/event-stream")
        request.headers.add(name: "x-request-id", value: requestID)
        if let key = configuration.apiKey { request.headers.add(name: "authorization", value: "Bearer \(key)") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        return request
    }

    private func execute(_ request: HTTPClientRequest, streaming: Bool) async throws(UpstreamFailure) -> HTTPClientResponse {
        let seconds = configuration.timeout.components.seconds
        // Non-streamed calls must finish within the timeout; streams are bounded by the read (idle) timeout.
        let deadline: TimeAmount = streaming ? .hours(24) : .seconds(max(1, seconds))
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: deadline)
        } catch {
            throw Self.classify(error)
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
            throw .status(Int(response.status.code), body)
        }
        return response
    }

    static func classify(_ error: any Error) -> UpstreamFailure {
        if let failure = error as? UpstreamFailure { return failure }
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .deadlineExceeded, .connectTimeout, .getConnectionFromPoolTimeout:
                return .timeout("\(error)")
            case .remoteConnectionClosed:
                return .reset("\(error)")
            default:
                return .unreachable("\(error)")
            }
        }
        if error is CancellationError { return .reset("request cancelled") }
        let text = "\(error)"
        if text.localizedCaseInsensitiveContains("connection reset") || text.localizedCaseInsensitiveContains("EOF") {
            return .reset(text)
        }
        return .unreachable(text)
    }
}

/// The events of a streamed upstream answer. Errors are `UpstreamFailure`s (timeouts, resets, malformed event
/// streams).
public struct UpstreamEventStream: AsyncSequence, Sendable {
    /// Events in order.
    public typealias Element = SSEEvent
    let body: HTTPClientResponse.Body

    /// Reads events from the body.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var bytes: HTTPClientResponse.Body.AsyncIterator
        var parser = SSEParser()
        var pending: [SSEEvent] = []
        var finished = false

        /// The next event, or `nil` at the end of the body.
        public mutating func next() async throws -> SSEEvent? {
            while pending.isEmpty {
                if finished { return nil }
                let buffer: ByteBuffer?
                do {
                    buffer = try await bytes.next()
                } catch {
                    throw UpstreamClient.classify(error)
                }
                do {
                    if let buffer {
                        pending = try parser.feed(buffer.readableBytesView)
                    } else {
                        finished = true
                        pending = try parser.finish()
                    }
                } catch let error as CustosError {
                    throw UpstreamFailure.malformed(error.description)
                }
            }
            return pending.removeFirst()
        }
    }

    /// An iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: body.makeAsyncIterator()) }
}
