import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync
import ScorecardTesting
import Testing

/// The client asks for compressed pages and libcurl inflates them: the same page either way.
@Suite struct CompressedSyncTests {
    @Test(arguments: TestBackend.all) func pagesComeCompressedAndReadTheSame(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, _ in
            try await server.seedDemo(agents: 1, days: 10)
            let token = try await server.demoLogin()
            let compressed = APIClient(server: URL(string: server.baseURL)!, token: token)
            #expect(compressed.acceptEncoding == "zstd, gzip")
            var plain = compressed
            plain.acceptEncoding = nil
            for format in PullFormat.allCases {
                let query = ["since": "0", "limit": "500", "format": format.rawValue]
                let a = try await compressed.send("GET", "api/v1/sync/pull", query: query)
                let b = try await plain.send("GET", "api/v1/sync/pull", query: query)
                #expect(a.header("Content-Encoding") == "zstd", "\(format)")
                #expect(b.header("Content-Encoding") == nil, "\(format)")
                #expect(a.body == b.body, "inflated by libcurl to the same bytes (\(format))")
                let page = try MirrorPage.parse(a.body)
                #expect(page.changes.count == 500)
            }
            // Over the wire the compressed page is several times smaller (the server's own measure).
            let raw = try await RawHTTP.send(
                port: server.port, "GET", "/api/v1/sync/pull?since=0&limit=500&format=rows",
                headers: ["Authorization": "Bearer \(token)", "Accept-Encoding": APIClient.defaultAcceptEncoding])
            let identity = try await RawHTTP.send(
                port: server.port, "GET", "/api/v1/sync/pull?since=0&limit=500&format=rows", headers: ["Authorization": "Bearer \(token)"])
            #expect(raw.body.count * 4 < identity.body.count, "\(raw.body.count) of \(identity.body.count) bytes")
        }
    }
}
