import Foundation
import Hummingbird
import Logging
import ScorecardCore

/// An error answered with API.md's JSON body: `{"error": {"code", "message"}}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    /// The HTTP response for this error.
    public func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let body = (try? WireJSON.encode(ErrorBody(code: code, message: message))) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, "invalid_value", "\(field): \(message)")
    }

    static func unauthorized(_ message: String = "Send a valid token in `Authorization: Bearer TOKEN`; log in with POST /api/v1/auth/login.") -> APIError {
        APIError(.unauthorized, "unauthorized", message, headers: [.wwwAuthenticate: "Bearer"])
    }
}

extension APIError {
    /// Maps any error thrown by a handler or the router to the API's error shape, in one place.
    static func from(_ error: any Error, request: Request, routes: RouteTable, logger: Logger) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as StoreError:
            switch e.code {
            case .conflict: return APIError(.conflict, "conflict", e.message)
            case .notFound: return APIError(.notFound, "not_found", e.message)
            case .cursorExpired: return APIError(.gone, "cursor_expired", e.message)
            case .invalid: return APIError(.unprocessableContent, "invalid_value", e.message)
            case .unsupported: return APIError(.notImplemented, "not_implemented", e.message)
            case .forbidden: return APIError(.forbidden, "forbidden", e.message)
            case .unavailable:
                logger.warning("database unavailable: \(e.message)")
                return APIError(
                    .serviceUnavailable, "database_unavailable", "The server cannot reach its database just now; nothing was changed. Retry shortly.",
                    headers: [.retryAfter: "5"])
            }
        case let e as SettingRefusal:
            let sentence: String = e.message.prefix(1).uppercased() + String(e.message.dropFirst()) + "."
            return APIError(.badRequest, "secret_not_stored", sentence)
        case let e as LoginRefusal:
            switch e.code {
            case .throttled:
                return APIError(.tooManyRequests, e.code.rawValue, e.message, headers: e.retryAfter.map { [.retryAfter: String($0)] } ?? [:])
            case .invalidCredentials:
                return APIError(.unauthorized, e.code.rawValue, e.message)
            }
        case let e as ReviewRefusal:
            switch e.code {
            case .cooldown, .dailyLimit, .inProgress:
                return APIError(.tooManyRequests, e.code.rawValue, e.message, headers: e.retryAfter.map { [.retryAfter: String($0)] } ?? [:])
            case .coachFailed:
                return APIError(.badGateway, e.code.rawValue, "The review could not be written: \(e.message).")
            }
        case let e as HTTPError where e.status == .notFound:
            let allowed = routes.methods(for: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method) {
                let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
                return APIError(
                    .methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed here; use \(allow).",
                    headers: [.allow: allow])
            }
            return APIError(.notFound, "not_found", "No such endpoint: \(request.uri.path). See docs/api.md.")
        case let e as any HTTPResponseError where e.status == .contentTooLarge:  // HTTPError, or NIOTooManyBytesError from collectBody
            return APIError(.contentTooLarge, "payload_too_large", "The request body is larger than this server accepts.")
        case let e as HTTPError:
            return APIError(e.status, e.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), e.body ?? e.status.reasonPhrase)
        case let e as DecodingError:
            return APIError.decoding(e)
        default:
            logger.error("unhandled error: \(String(reflecting: error))")
            return APIError(.internalServerError, "internal_error", "The server failed; the request id in X-Request-ID helps the operator find out why.")
        }
    }

    static func decoding(_ error: DecodingError) -> APIError {
        func path(_ p: [any CodingKey]) -> String {
            p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let c) where c.codingPath.isEmpty:
            return APIError(.badRequest, "malformed_json", "The body is not valid JSON.")
        case .keyNotFound(let key, let c):
            return .invalid(path(c.codingPath + [key]), "is required")
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return .invalid(path(c.codingPath), c.debugDescription)
        @unknown default:
            return APIError(.badRequest, "bad_request", "The body could not be read.")
        }
    }
}
