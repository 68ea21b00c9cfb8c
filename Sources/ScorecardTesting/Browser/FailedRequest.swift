/// A request of the page that failed: an HTTP status of 400 or more, or a load that did not
/// complete (refused connection, blocked, DNS…), from Chromium's DevTools network events.
public struct FailedRequest: Sendable, Equatable, CustomStringConvertible {
    public var url: String
    /// The HTTP status, nil when no response came.
    public var status: Int?
    /// Chromium's error text (`net::ERR_CONNECTION_REFUSED`…), nil for an HTTP error status.
    public var error: String?
    /// The DevTools resource type: `Document`, `Stylesheet`, `Image`, `Script`, `Fetch`…
    public var resourceType: String?

    public init(url: String, status: Int? = nil, error: String? = nil, resourceType: String? = nil) {
        self.url = url
        self.status = status
        self.error = error
        self.resourceType = resourceType
    }

    public var description: String {
        "\(resourceType ?? "request") \(url): " + (status.map { "HTTP \($0)" } ?? error ?? "failed")
    }
}
