import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 exchange on a fresh loopback connection, with the body exactly as it crossed the
/// wire: nothing adds `Accept-Encoding` and nothing inflates the answer (URLSession does both).
public enum RawHTTP {
    /// A response as received: status, header fields in order, and the undecoded body.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: Data

        /// The first value of a header, case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// Every value of a header, case-insensitively.
        public func headers(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }
    }

    /// Sends `method path` to `127.0.0.1:port` with exactly `headers` (plus `Host`,
    /// `Connection: close` and the body's `Content-Length`).
    public static func send(
        port: Int, _ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPHeaders()
            head.add(name: "Host", value: "127.0.0.1:\(port)")
            head.add(name: "Connection", value: "close")
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head.add(name: name, value: value) }
            if let body { head.add(name: "Content-Length", value: "\(body.count)") }
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: head)))
            if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var response = Response(status: 0, headers: [], body: Data())
            for try await part in inbound {
                switch part {
                case .head(let h):
                    response.status = Int(h.status.code)
                    response.headers = h.headers.map { ($0.name, $0.value) }
                case .body(let bytes):
                    response.body.append(contentsOf: bytes.readableBytesView)
                case .end:
                    return response
                }
            }
            return response
        }
    }
}
