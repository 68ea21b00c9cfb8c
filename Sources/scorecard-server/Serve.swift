import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import ScorecardServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server until SIGTERM or SIGINT.")

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free one).") var port = 8080
    @Option(help: "Days a login token lives.") var tokenTtlDays = 30
    @Option(help: "Hours a web page session (the sign-in cookie) lives.") var sessionHours = 12
    @Flag(help: "Mark the web pages' cookies Secure: set it when browsers reach the server over HTTPS (a TLS proxy in front).") var secureCookies = false
    @Option(help: "Largest request body in bytes.") var maxBodyBytes = 32 << 20
    @Option(help: "Most requests in progress at once; more are answered 503 overloaded with Retry-After: 1.") var maxInFlight = 256
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Flag(help: "Run the jobs too: weekly scoring (Monday, UTC) with flagged reviews, daily goal progress.") var scheduler = false
    @Option(help: "Seconds between the scheduler's checks.") var schedulerInterval = 600
    @Option(help: ArgumentHelp("Seconds between the long-poll's checks of every waiting feed without a commit report.", visibility: .hidden))
    var longPollSweep = 2.0

    func validate() throws {
        guard (1...3650).contains(tokenTtlDays) else { throw ValidationError("--token-ttl-days must be 1...3650") }
        guard (1...720).contains(sessionHours) else { throw ValidationError("--session-hours must be 1...720") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard schedulerInterval >= 1 else { throw ValidationError("--scheduler-interval must be at least 1") }
        guard (1...100_000).contains(maxInFlight) else { throw ValidationError("--max-in-flight must be 1...100000") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        try await reporting {
            let store = try await db.open()
            var configuration = ServerConfiguration()
            configuration.host = host
            configuration.port = port
            configuration.tokenLifetimeSeconds = tokenTtlDays * 86_400
            configuration.sessionLifetimeSeconds = sessionHours * 3600
            configuration.secureCookies = secureCookies
            configuration.maxBodyBytes = maxBodyBytes
            configuration.maxInFlight = maxInFlight
            configuration.longPollSweep = .milliseconds(Int(max(0.1, longPollSweep) * 1000))
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let services = ServerServices(store: store, configuration: configuration)
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: services.metrics.registry))
            let logger = Logger(label: "scorecard-server")
            let (host, configuredPort) = (configuration.host, configuration.port)
            let app = ScorecardApplication.make(services: services, logger: logger) { channel in
                logger.info("listening on \(channel.localAddress?.description ?? "?")")
                let port = channel.localAddress?.port ?? configuredPort
                let shown = ["0.0.0.0", "::"].contains(host) ? "127.0.0.1" : host
                logger.info("web pages at http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)/ (sign in with a person id and password)")
            }
            var group: [any Service] = [app, services.feedWaiters]  // shut down in reverse: waiters first, then the HTTP drain
            if scheduler {
                group.append(Scheduler(store: store, reviews: services.reviews, interval: .seconds(schedulerInterval), logger: logger))
            }
            // Graceful shutdown on SIGTERM/SIGINT.
            do {
                try await ServiceGroup(configuration: .init(services: group, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}
