import Hummingbird
import Logging
import ServiceLifecycle

/// A server running in this process (tests, benchmarks and `scorecard demo`), stopped with ``stop()``.
public final class RunningServer: Sendable {
    /// The bound port.
    public let port: Int
    /// The shared services, for inspection.
    public let services: ServerServices
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, services: ServerServices, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.services = services
        self.group = group
        self.task = task
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://\(services.configuration.host):\(port)" }

    /// Starts the server (port 0 in the configuration picks a free port) and waits until it listens.
    public static func start(services: ServerServices, logger: Logger) async throws -> RunningServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = ScorecardApplication.make(services: services, logger: logger) { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
        }
        let group = ServiceGroup(configuration: .init(services: [app, services.feedWaiters], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw StoreError(.unsupported, "the server stopped before it listened")
        }
        return RunningServer(port: port, services: services, group: group, task: task)
    }

    /// Shuts down gracefully and waits for the server to end.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
