import Foundation
import Hummingbird
import Logging

/// A small Hummingbird app of the tests' own (a scripted chat server, the recording proxy, the
/// browser harness's pages) on a free loopback port, quiet in the logs.
public enum LoopbackApp {
    /// Starts `router` on 127.0.0.1 and waits until it listens; returns the port and the task that
    /// runs it (cancel it to stop). `name` labels the logger and the error when it never listens.
    public static func start(_ router: Router<BasicRequestContext>, name: String) async throws -> (port: Int, task: Task<Void, any Error>) {
        var logger = Logger(label: name)
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw TestHTTPError(status: 0, body: "\(name) stopped before it listened")
        }
        return (port, task)
    }
}
