import Hummingbird

/// The per-request context: Hummingbird's core storage plus the request id.
public struct ScorecardContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request's id (`X-Request-ID`, accepted or generated).
    public var requestID = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
