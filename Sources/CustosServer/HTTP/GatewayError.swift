import CustosCore
import CustosOpenAI
import Foundation
import HTTPTypes
import Hummingbird

/// An error the gateway answers with, in the OpenAI error format so SDKs raise their usual exceptions.
public struct GatewayError: Error, Sendable {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// The body.
    public var body: APIErrorBody
    /// Seconds the caller should wait (429).
    public var retryAfter: Double?

    /// An error.
    public init(_ status: HTTPResponse.Status, _ message: String, type: String, param: String? = nil, code: String? = nil,
                retryAfter: Double? = nil) {
        self.status = status
        body = APIErrorBody(message: message, type: type, param: param, code: code)
        self.retryAfter = retryAfter
    }

    /// 400 for a malformed or unsuitable request; the JSON path (when known) is `param`.
    public static func invalid(_ error: CustosError) -> GatewayError {
        GatewayError(.badRequest, error.message + (error.location?.jsonPath.map { " (at \($0))" } ?? ""),
                     type: "invalid_request_error", param: error.location?.jsonPath, code: "invalid_request")
    }

    /// The error for an upstream failure: 504 on timeout, the upstream's own 4xx passed through, 502 otherwise.
    public static func upstream(_ failure: UpstreamFailure) -> GatewayError {
        switch failure {
        case .timeout:
            return GatewayError(.gatewayTimeout, "\(failure)", type: "server_error", code: "upstream_timeout")
        case .status(let code, let body):
            if (400..<500).contains(code), code != 401, code != 403 {
                if let decoded = try? JSONDecoder().decode(APIErrorBody.self, from: Data(body)) {
                    return GatewayError(HTTPResponse.Status(code: code), decoded.error.message, type: decoded.error.type,
                                        param: decoded.error.param, code: decoded.error.code)
                }
                return GatewayError(HTTPResponse.Status(code: code), "upstream answered HTTP \(code)", type: "invalid_request_error",
                                    code: "upstream_rejected")
            }
            // 401/403 upstream means the gateway's own upstream key is wrong: that is the operator's problem.
            return GatewayError(.badGateway, "upstream answered HTTP \(code)", type: "server_error", code: "upstream_error")
        case .unreachable, .reset, .malformed:
            return GatewayError(.badGateway, "\(failure)", type: "server_error", code: "upstream_error")
        }
    }

    /// The response.
    public func response(requestID: String) -> Response {
        var response = JSONResponse.make(status, body, requestID: requestID)
        if let retryAfter { response.headers[.retryAfter] = String(Int(retryAfter.rounded(.up))) }
        return response
    }
}

/// JSON responses with the gateway's headers.
public enum JSONResponse {
    /// `x-custos-request-id` on every response.
    public static let requestIDHeader = header("x-custos-request-id")
    /// `x-custos-decision` on screened responses: allow, flag, pseudonymize, redact or block.
    public static let decisionHeader = header("x-custos-decision")
    /// `x-custos-subject`: the end user a request is about (payloads are encrypted per subject so they can be
    /// forgotten); without it the key's name is the subject.
    public static let subjectHeader = header("x-custos-subject")

    /// A header name that is a valid token by construction (a literal in this file).
    static func header(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("'\(name)' is not a valid header name") }
        return field
    }

    /// A JSON response of an encodable value.
    public static func make(_ status: HTTPResponse.Status, _ value: some Encodable, requestID: String) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let bytes = (try? encoder.encode(value)).map { Array($0) } ?? Array(#"{"error":{"message":"encoding failed","type":"server_error"}}"#.utf8)
        return make(status, bytes: bytes, requestID: requestID)
    }

    /// A JSON response of raw bytes.
    public static func make(_ status: HTTPResponse.Status, bytes: [UInt8], requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[requestIDHeader] = requestID
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
