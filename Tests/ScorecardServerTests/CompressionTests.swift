import Foundation
import NIOCore
import ScorecardCore
import ScorecardServer
import ScorecardTesting
import Testing

@Suite("Compression")
struct CompressionTests {
    /// A server with one agent and 300 calls (pages of several KB in either form).
    func withCalls(_ backend: TestBackend, _ body: (TestServer, _ admin: String, _ agent: String) async throws -> Void) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            _ = try await server.ingestCDRs((0..<300).map { cdr("c\($0)", agent: "agent-1", n: $0) }, token: admin)
            try await body(server, admin, agent)
        }
    }

    func inflate(_ response: RawHTTP.Response) throws -> Data {
        let buffer = ByteBuffer(bytes: response.body)
        switch response.header("Content-Encoding") {
        case nil: return response.body
        case "gzip": return Data(buffer: try Compression.decompress(buffer, .gzip, limit: 64 << 20))
        case "zstd": return Data(buffer: try Compression.decompress(buffer, .zstd, limit: 64 << 20))
        case let other?: throw TestHTTPError(status: response.status, body: "unexpected coding \(other)")
        }
    }

    @Test(arguments: TestBackend.all, PullFormat.allCases)
    func pullPagesAreCompressedAsAskedAndInflateToTheSameBytes(backend: TestBackend, format: PullFormat) async throws {
        try await withCalls(backend) { server, _, agent in
            let path = "/api/v1/sync/pull?since=0&limit=1000&format=\(format.rawValue)"
            func get(_ acceptEncoding: String?) async throws -> RawHTTP.Response {
                var headers = ["Authorization": "Bearer \(agent)"]
                if let acceptEncoding { headers["Accept-Encoding"] = acceptEncoding }
                let r = try await RawHTTP.send(port: server.port, "GET", path, headers: headers)
                #expect(r.status == 200)
                return r
            }
            let identity = try await get(nil)
            #expect(identity.header("Content-Encoding") == nil)
            #expect(identity.header("Vary") == "Accept-Encoding", "the representation varies even when not compressed")
            #expect(identity.body.count > 10_000)
            #expect(Int(identity.header("Content-Length") ?? "") == identity.body.count)
            #expect((try? JSONSerialization.jsonObject(with: identity.body)) != nil)

            let cases: [(String, String?)] = [
                ("gzip", "gzip"), ("zstd", "zstd"), ("zstd, gzip", "zstd"), ("gzip, zstd;q=0.5", "gzip"), ("x-gzip", "gzip"),
                ("*", "zstd"), ("gzip;q=0, zstd;q=0", nil), ("identity", nil), ("br", nil), ("deflate, gzip, br, zstd", "zstd"),
            ]
            for (accept, expected) in cases {
                let r = try await get(accept)
                #expect(r.header("Content-Encoding") == expected, "Accept-Encoding: \(accept)")
                #expect(r.header("Vary") == "Accept-Encoding")
                #expect(Int(r.header("Content-Length") ?? "") == r.body.count)
                #expect(try inflate(r) == identity.body, "Accept-Encoding: \(accept)")
                if expected != nil { #expect(r.body.count * 4 < identity.body.count, "\(accept): \(r.body.count) of \(identity.body.count)") }
            }
        }
    }

    @Test(arguments: TestBackend.all) func smallAnswersGoAsTheyAreWithoutVary(backend: TestBackend) async throws {
        try await withCalls(backend) { server, _, agent in
            // The no-op pull: nothing new.
            let all = try await server.pullAll(token: agent)
            let last = try #require(all.map(\.seq).max())
            let noop = try await RawHTTP.send(
                port: server.port, "GET", "/api/v1/sync/pull?since=\(last)", headers: ["Authorization": "Bearer \(agent)", "Accept-Encoding": "zstd, gzip"])
            #expect(noop.status == 200)
            #expect(noop.header("Content-Encoding") == nil)
            #expect(noop.header("Vary") == nil)
            #expect(noop.body.count < 200)
            let health = try await RawHTTP.send(port: server.port, "GET", "/healthz", headers: ["Accept-Encoding": "gzip"])
            #expect(health.header("Content-Encoding") == nil)
            #expect(health.header("Vary") == nil)
        }
    }

    @Test(arguments: TestBackend.all) func listsErrorsAndPagesAreCompressedToo(backend: TestBackend) async throws {
        try await withCalls(backend) { server, admin, agent in
            // The metrics text, several KB after a few requests.
            let metrics = try await RawHTTP.send(port: server.port, "GET", "/metrics", headers: ["Accept-Encoding": "gzip"])
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Encoding") == "gzip")
            #expect(String(decoding: try inflate(metrics), as: UTF8.self).contains("scorecard_http_requests_total"))
            // A 404's JSON error is small: as it is.
            let missing = try await RawHTTP.send(port: server.port, "GET", "/api/v1/nope", headers: ["Accept-Encoding": "gzip", "Authorization": "Bearer \(agent)"])
            #expect(missing.status == 404)
            #expect(missing.header("Content-Encoding") == nil)
            // The sign-in page is HTML above the threshold.
            let page = try await RawHTTP.send(port: server.port, "GET", "/login", headers: ["Accept-Encoding": "zstd"])
            #expect(page.status == 200)
            #expect(page.header("Content-Encoding") == "zstd")
            #expect(String(decoding: try inflate(page), as: UTF8.self).contains("<form"))
            _ = admin
        }
    }

    @Test(arguments: TestBackend.all) func gzipRequestBodiesAreInflated(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let records = try CDRFixture.json((0..<200).map { cdr("z\($0)", agent: "agent-1", n: $0) })
            let gzipped = Data(buffer: try Compression.compress(ByteBuffer(bytes: records), .gzip, settings: CompressionSettings()))
            #expect(gzipped.count * 4 < records.count)
            let r = try await server.request(
                "POST", "/api/v1/ingest/cdr", token: admin, body: gzipped, headers: ["Content-Encoding": "gzip", "Content-Type": "application/json"])
            #expect(r.status == 200, "\(r.text)")
            #expect(try r.decode(IngestResult.self) == IngestResult(inserted: 200))
            #expect(try await server.pullAll(token: agent).count == 200)

            // A push in gzip: one goal created.
            let push = try WireJSON.encode(["mutations": [JSONValue.object(["id": "m1", "type": "create_goal", "goal": .object(PushTests.goal("g1"))])]])
            let zipped = Data(buffer: try Compression.compress(ByteBuffer(bytes: push), .gzip, settings: CompressionSettings()))
            let pushed = try await server.request(
                "POST", "/api/v1/sync/push", token: agent, body: zipped, headers: ["Content-Encoding": "gzip", "Content-Type": "application/json"])
            #expect(pushed.status == 200, "\(pushed.text)")
            #expect(try pushed.decode(PushResponse.self).results.map(\.status) == [.applied], "\(pushed.text)")
        }
    }

    @Test(arguments: TestBackend.all) func aZipBombIs413AndWritesNothing(backend: TestBackend) async throws {
        try await withServer(backend: backend, configure: { $0.maxBodyBytes = 1 << 20 }) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            // A valid JSON array of 1,000 records padded by spaces to 64 MiB: 64 KiB compressed.
            var json = try CDRFixture.json((0..<1000).map { cdr("b\($0)", agent: "agent-1", n: $0) })
            json.insert(contentsOf: Data(repeating: 0x20, count: 64 << 20), at: 1)
            let bomb = Data(buffer: try Compression.compress(ByteBuffer(bytes: json), .gzip, settings: CompressionSettings()))
            #expect(bomb.count < 1 << 20, "the compressed body is under the limit: \(bomb.count)")
            let r = try await RawHTTP.send(
                port: server.port, "POST", "/api/v1/ingest/cdr",
                headers: ["Authorization": "Bearer \(admin)", "Content-Encoding": "gzip", "Content-Type": "application/json"], body: bomb)
            #expect(r.status == 413)
            #expect(String(decoding: r.body, as: UTF8.self).contains("payload_too_large"))
            #expect(try await server.pullAll(token: agent).isEmpty)
            #expect(try await server.request("GET", "/healthz").status == 200)
        }
    }

    @Test(arguments: TestBackend.all) func corruptOrUnknownCodingsAreRefused(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server in
            let admin = try await server.adminToken()
            try await server.addPerson("agent-1")
            let agent = try await server.login("agent-1")
            let records = try CDRFixture.json((0..<50).map { cdr("k\($0)", agent: "agent-1", n: $0) })
            let gzipped = Data(buffer: try Compression.compress(ByteBuffer(bytes: records), .gzip, settings: CompressionSettings()))
            let headers = ["Content-Type": "application/json"]
            let cut = try await server.request(
                "POST", "/api/v1/ingest/cdr", token: admin, body: gzipped.prefix(gzipped.count / 2), headers: headers.merging(["Content-Encoding": "gzip"]) { $1 })
            #expect(cut.status == 400, "\(cut.text)")
            let garbage = try await server.request(
                "POST", "/api/v1/ingest/cdr", token: admin, body: Data("not gzip at all".utf8), headers: headers.merging(["Content-Encoding": "gzip"]) { $1 })
            #expect(garbage.status == 400)
            #expect(garbage.errorCode == "malformed_body")
            let brotli = try await server.request("POST", "/api/v1/ingest/cdr", token: admin, body: records, headers: headers.merging(["Content-Encoding": "br"]) { $1 })
            #expect(brotli.status == 415)
            #expect(brotli.errorCode == "unsupported_encoding")
            #expect(try await server.pullAll(token: agent).isEmpty)
        }
    }

    @Test func negotiation() {
        #expect(Compression.negotiate([]) == nil)
        #expect(Compression.negotiate([""]) == nil)
        #expect(Compression.negotiate(["gzip"]) == .gzip)
        #expect(Compression.negotiate(["GZIP;Q=1.0"]) == .gzip)
        #expect(Compression.negotiate(["gzip", "zstd"]) == .zstd)
        #expect(Compression.negotiate(["zstd;q=0.1, gzip;q=0.9"]) == .gzip)
        #expect(Compression.negotiate(["*;q=0"]) == nil)
        #expect(Compression.negotiate(["*, zstd;q=0"]) == .gzip)
        #expect(Compression.negotiate(["gzip;q=nonsense"]) == nil)
    }
}
