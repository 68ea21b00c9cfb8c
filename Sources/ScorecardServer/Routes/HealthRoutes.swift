import Hummingbird

extension Routes {
    mutating func addHealthRoutes() {
        let services = services
        on(.get, "/healthz") { _, context in
            do {
                try await services.store.ping()
                return try .json(["status": "ok"])
            } catch {
                context.logger.error("health check failed: \(error)")
                return APIError(.serviceUnavailable, "unavailable", "The database does not answer.").response()
            }
        }
        on(.get, "/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: services.metrics.render() + services.feedWaiters.prometheusText() + services.admission.prometheusText())))
        }
    }
}
