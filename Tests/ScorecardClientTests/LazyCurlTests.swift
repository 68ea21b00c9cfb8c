import CLazyCurl
import Foundation
import ScorecardSync
import ScorecardTesting
import Testing

/// libcurl is reached through CLazyCurl's trampolines (loaded on first use in release binaries).
@Suite struct LazyCurlTests {
    /// FoundationNetworking's calls to libcurl bind to the trampolines in this process too, so
    /// every sync test in this suite exercises them (the variadic `curl_easy_setopt` included).
    @Test func foundationNetworkingCallsTheTrampolines() {
        let bound = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "curl_easy_init")  // RTLD_DEFAULT
        #expect(bound.map { UnsafeRawPointer($0) } == scorecard_curl_trampoline())
    }

    /// A real request through URLSession, the trampolines and libcurl: status, headers and body.
    @Test(arguments: TestBackend.all) func aRequestGoesThroughTheTrampolines(backend: TestBackend) async throws {
        let server = try await TestServer.start(backend: backend)
        defer { Task { await server.stop() } }
        let response = try await URLSessionTransport().send(
            TransportRequest(method: "GET", url: URL(string: server.baseURL + "/healthz")!, deadline: .seconds(10)))
        #expect(response.status == 200)
        #expect(response.header("content-type")?.hasPrefix("application/json") == true)
        #expect(String(decoding: response.body, as: UTF8.self).contains("ok"))
        #expect(scorecard_curl_loaded() == 1)
    }
}
