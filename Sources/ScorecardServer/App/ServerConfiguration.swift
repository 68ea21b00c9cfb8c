/// How a server runs; the `serve` command fills it from flags in one place.
public struct ServerConfiguration: Sendable {
    /// Address to bind; loopback by default.
    public var host = "127.0.0.1"
    /// Port to bind; 0 picks a free one.
    public var port = 8080
    /// How long a login token lives, in seconds (30 days).
    public var tokenLifetimeSeconds = 30 * 86_400
    /// Largest request body accepted, in bytes (413 beyond).
    public var maxBodyBytes = 32 << 20
    /// Largest number of records one ingest request may carry (413 beyond).
    public var maxIngestRecords = 10_000
    /// How long a web session (the pages' sign-in cookie) lives, in seconds (12 hours).
    public var sessionLifetimeSeconds = 12 * 3600
    /// Mark the pages' cookies `Secure` (set when the server is reached over HTTPS through a
    /// proxy; a request with `X-Forwarded-Proto: https` gets them `Secure` anyway).
    public var secureCookies = false
    /// Response compression (docs/api.md, "Compression").
    public var compression = CompressionSettings()
    /// How often the long-poll checks every waiting person's feed even without a report of a
    /// commit (catches SQLite writes by other processes and lost notifications; docs/sync.md).
    public var longPollSweep: Duration = .seconds(2)
    /// The most requests in progress at once; more answer 503 `overloaded` (docs/operations.md).
    public var maxInFlight = 256
    /// Login throttling rules.
    public var loginThrottle = LoginThrottle.Policy()

    public init() {}
}
