import Hummingbird
import Logging
import NIOCore

/// Builds the server's HTTP application.
public enum ScorecardApplication {
    /// The router with every route and the request middleware, and the table of what it registered.
    public static func router(services: ServerServices) -> (Router<ScorecardContext>, RouteTable) {
        let router = Router(context: ScorecardContext.self)
        // Hummingbird applies a middleware only to routes registered after it, and the middleware
        // needs the whole table for its 405 answers: collect the table first, then register.
        var table = Routes(router: nil, services: services)
        table.addAll()
        // Outermost, so error bodies and pages are compressed like the rest.
        router.middlewares.add(CompressionMiddleware<ScorecardContext>(settings: services.configuration.compression))
        router.middlewares.add(RequestMiddleware(routes: table.table, metrics: services.metrics))
        // Inside the request middleware, so an `overloaded` answer is its usual JSON (or error page).
        router.middlewares.add(InFlightLimitMiddleware(admission: services.admission))
        var routes = Routes(router: router, services: services)
        routes.addAll()
        return (router, routes.table)
    }

    /// The application, bound to the configured host and port.
    public static func make(
        services: ServerServices, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let (router, _) = router(services: services)
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(services.configuration.host, port: services.configuration.port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: logger)
    }
}

/// Registers routes and remembers them in a ``RouteTable``.
struct Routes {
    /// Where handlers go; nil collects the table only.
    let router: Router<ScorecardContext>?
    let services: ServerServices
    var table = RouteTable()

    init(router: Router<ScorecardContext>?, services: ServerServices) {
        self.router = router
        self.services = services
    }

    /// Every route of the API.
    mutating func addAll() {
        addHealthRoutes()
        addAuthRoutes()
        addPeopleRoutes()
        addIngestRoutes()
        addPerformanceRoutes()
        addScoreRoutes()
        addReviewRoutes()
        addGoalRoutes()
        addSettingsRoutes()
        addAuditRoutes()
        addSyncRoutes()
        addWebRoutes()
    }

    mutating func on(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, ScorecardContext) async throws -> Response
    ) {
        table.add(method, path)
        router?.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
    }
}
