/// A recurring outage of an emulated link: the first one starts `startingAfter` (default: `every`)
/// after the profile is set, lasts `lasting`, and it comes back every `every`.
public struct LinkOutages: Sendable, Equatable {
    /// Time from the start of one outage to the start of the next.
    public var every: Duration
    /// How long each outage lasts (less than `every`).
    public var lasting: Duration
    /// When the first outage starts, counted from the moment the profile is set.
    public var startingAfter: Duration

    /// Outages of `lasting` every `every`, the first one `startingAfter` (default: `every`) in.
    public init(every: Duration, lasting: Duration, startingAfter: Duration? = nil) {
        precondition(every > .zero && lasting > .zero && lasting < every, "an outage lasts less than its period")
        self.every = every
        self.lasting = lasting
        self.startingAfter = startingAfter ?? every
    }
}

/// How ``FaultProxy`` shapes the bytes it forwards, like a real (bad) network link between the
/// client and the server. It applies to the whole proxy: every connection shares the link.
///
/// Each direction is a first-in first-out link of `bytesPerSecond` (nil: unlimited), followed by a
/// one-way `delay` plus a seeded `jitter` (uniform in 0…jitter, never reordering bytes): a byte
/// read at time *t* is delivered at *t* + queueing + its transmission time + delay + jitter. The
/// delay is a time-stamped queue, not a sleep, so a link with delay still carries its full rate.
/// `cuts` reset every live connection and reset new ones as soon as they are accepted (a lost
/// radio link); `stalls` hold every byte in both directions, keeping the connections.
public struct LinkProfile: Sendable, Equatable {
    /// The cap from client to upstream in bytes per second; nil: unlimited.
    public var toUpstreamBytesPerSecond: Int?
    /// The cap from upstream to client in bytes per second; nil: unlimited.
    public var toClientBytesPerSecond: Int?
    /// The one-way delay, in each direction (so the round trip adds twice this).
    public var delay: Duration
    /// The largest extra delay of a segment, drawn uniformly from `seed`'s sequence.
    public var jitter: Duration
    /// Seeds the jitter: the same seed and the same traffic give the same delays.
    public var seed: UInt64
    /// When the link is lost: live connections reset, new ones reset on accept.
    public var cuts: LinkOutages?
    /// When the link freezes: bytes held in both directions, connections kept.
    public var stalls: LinkOutages?

    /// A profile; the defaults forward untouched.
    public init(
        toUpstreamBytesPerSecond: Int? = nil, toClientBytesPerSecond: Int? = nil, delay: Duration = .zero,
        jitter: Duration = .zero, seed: UInt64 = 1, cuts: LinkOutages? = nil, stalls: LinkOutages? = nil
    ) {
        precondition((toUpstreamBytesPerSecond ?? 1) > 0 && (toClientBytesPerSecond ?? 1) > 0, "a cap is positive")
        precondition(delay >= .zero && jitter >= .zero, "delays are not negative")
        self.toUpstreamBytesPerSecond = toUpstreamBytesPerSecond
        self.toClientBytesPerSecond = toClientBytesPerSecond
        self.delay = delay
        self.jitter = jitter
        self.seed = seed
        self.cuts = cuts
        self.stalls = stalls
    }

    /// The same cap both ways, in bits per second.
    public init(bitsPerSecond: Int?, delay: Duration = .zero, jitter: Duration = .zero, seed: UInt64 = 1,
                cuts: LinkOutages? = nil, stalls: LinkOutages? = nil) {
        let bytes = bitsPerSecond.map { max(1, $0 / 8) }
        self.init(toUpstreamBytesPerSecond: bytes, toClientBytesPerSecond: bytes, delay: delay, jitter: jitter,
                  seed: seed, cuts: cuts, stalls: stalls)
    }

    /// No shaping at all: what a new proxy does.
    public static let unlimited = LinkProfile()

    /// A phone on a poor mobile network: 1 Mbit/s each way, 150 ms each way (300 ms round trip).
    public static let mobile1Mbit = LinkProfile(bitsPerSecond: 1_000_000, delay: .milliseconds(150))

    /// A rural link: 256 kbit/s each way, 300 ms each way (600 ms round trip), lost for 2 s every 20 s.
    public static let rural256k = LinkProfile(
        bitsPerSecond: 256_000, delay: .milliseconds(300), cuts: LinkOutages(every: .seconds(20), lasting: .seconds(2)))

    /// The cap in `direction`.
    public func bytesPerSecond(_ direction: LinkDirection) -> Int? {
        direction == .toUpstream ? toUpstreamBytesPerSecond : toClientBytesPerSecond
    }
}

/// One direction of the emulated link.
public enum LinkDirection: Int, Sendable, CaseIterable {
    /// From the client to the server behind the proxy.
    case toUpstream = 0
    /// From the server back to the client.
    case toClient = 1
}
