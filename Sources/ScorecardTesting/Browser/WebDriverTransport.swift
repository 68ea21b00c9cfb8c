import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ScorecardCore

/// Plain HTTP/1.1 + JSON to chromedriver (one connection per command), every call under a deadline.
///
/// Not URLSession: chromedriver writes its response headers without a space after the colon
/// (`Content-Length:252`), which swift-corelibs-foundation's header parser rejects, so on Linux
/// every URLSession request to chromedriver fails ("Failed writing header"). SwiftNIO's HTTP
/// parser accepts them.
final class WebDriverTransport: Sendable {
    /// `http://127.0.0.1:PORT`.
    let base: String
    let port: Int
    /// The deadline of a call that does not name its own.
    let timeout: Duration

    init(port: Int, timeout: Duration) {
        self.base = "http://127.0.0.1:\(port)"
        self.port = port
        self.timeout = timeout
    }

    /// Sends a command and returns its `value`; throws ``WebDriverError`` for an error answer, no
    /// answer before the deadline, or an answer that is not WebDriver JSON.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: JSONValue? = nil, timeout: Duration? = nil) async throws -> JSONValue {
        let command = "\(method) \(path)"
        let payload: Data? = method == "POST" ? try JSONEncoder().encode(body ?? [:]) : nil
        let limit = timeout ?? self.timeout
        let port = self.port
        let (status, data) = try await withDeadline(limit) {
            WebDriverError(code: WebDriverError.deadlineExceeded, message: "no answer within \(limit)", command: command)
        } _: {
            do {
                return try await Self.exchange(port: port, method: HTTPMethod(rawValue: method), path: path, body: payload)
            } catch let error as WebDriverError {
                throw error
            } catch {
                throw WebDriverError(code: WebDriverError.connectionFailed, message: "\(error)", command: command)
            }
        }
        guard let answer = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(let fields) = answer else {
            let text = String(decoding: data.prefix(500), as: UTF8.self)
            throw WebDriverError(code: WebDriverError.invalidResponse, message: "not JSON: \(text)", command: command, httpStatus: status)
        }
        let value = fields["value"] ?? .null
        if case .object(let object) = value, case .string(let code)? = object["error"] {
            throw WebDriverError(code: code, message: object["message"]?.asString ?? "", command: command, httpStatus: status)
        }
        guard status == 200 else {
            throw WebDriverError(code: WebDriverError.invalidResponse, message: "HTTP \(status) without an error code", command: command, httpStatus: status)
        }
        return value
    }

    /// One request on a fresh loopback connection; the status and the whole body.
    private static func exchange(port: Int, method: HTTPMethod, path: String, body: Data?) async throws -> (Int, Data) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "127.0.0.1:\(port)")
            headers.add(name: "Connection", value: "close")
            if let body {
                headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
                headers.add(name: "Content-Length", value: "\(body.count)")
            }
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
            if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var status = 0
            var data = Data()
            for try await part in inbound {
                switch part {
                case .head(let head): status = Int(head.status.code)
                case .body(let buffer): data.append(contentsOf: buffer.readableBytesView)
                case .end: return (status, data)
                }
            }
            throw WebDriverError(code: WebDriverError.connectionFailed, message: "chromedriver closed the connection mid-answer")
        }
    }
}
