/// The emulated link of a ``LinkProfile`` as a value, with no sockets: bytes handed to it at a
/// time come back as segments, each with the time it may be delivered. ``FaultProxy`` holds one
/// for the whole proxy (so connections share each direction's bandwidth); tests can drive one
/// directly. Times are nanoseconds on one monotonic clock (the proxy uses `DispatchTime`'s).
public struct LinkShaper: Sendable {
    /// Bytes that may be delivered from `deliverAt` on.
    public struct Segment: Sendable, Equatable {
        /// How many bytes.
        public var length: Int
        /// When they may be delivered.
        public var deliverAt: Int
    }

    /// The state of the link at a moment.
    public enum Phase: Sendable, Equatable {
        /// Bytes flow.
        case up
        /// Bytes are held until then, connections kept.
        case stalled(until: Int)
        /// The link is lost until then: connections are reset.
        case cut(until: Int)
    }

    /// What the link does.
    public let profile: LinkProfile
    /// When the profile was set: the outage schedule counts from here.
    public let start: Int
    private var linkFree = [0, 0]  // per direction: when the link has sent everything it was given
    private var lastDelivery = [0, 0]  // per direction: segments are never reordered
    private var jitter: [FaultProxyCore.SplitMix64]
    private var cutsSeen = 0

    /// A link with `profile` whose schedule starts at `start`.
    public init(profile: LinkProfile, start: Int) {
        self.profile = profile
        self.start = start
        linkFree = [start, start]
        lastDelivery = [start, start]
        jitter = [.init(state: profile.seed), .init(state: profile.seed ^ 0x5DEE_CE66_D1CE_4E5B)]
    }

    /// `duration` in whole nanoseconds.
    public static func nanoseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }

    /// The largest segment in `direction`: about 5 ms of the link's time (512 B to 16 KiB), so a
    /// capped link delivers smoothly; unlimited, a chunk stays whole.
    public func segmentSize(_ direction: LinkDirection) -> Int {
        profile.bytesPerSecond(direction).map { min(16 * 1024, max(512, $0 / 200)) } ?? Int.max
    }

    /// How many undelivered bytes one connection may hold in `direction` before the proxy stops
    /// reading its source: enough to keep the link busy through the delay and jitter, so the
    /// sender meets backpressure as on a real link instead of filling the proxy's memory.
    public func queueLimit(_ direction: LinkDirection) -> Int {
        guard let rate = profile.bytesPerSecond(direction) else { return 4 * 1024 * 1024 }
        let inFlight = Self.nanoseconds(profile.delay + profile.jitter) / 1_000 * rate / 1_000_000
        return inFlight + max(64 * 1024, rate / 2)
    }

    /// The link's state at `now`.
    public func phase(at now: Int) -> Phase {
        if let cuts = profile.cuts, let end = outageEnd(cuts, at: now) { return .cut(until: end) }
        if let stalls = profile.stalls, let end = outageEnd(stalls, at: now) { return .stalled(until: end) }
        return .up
    }

    /// How many cuts have started by `now`.
    public func cutsStarted(by now: Int) -> Int {
        guard let cuts = profile.cuts else { return 0 }
        let first = start + Self.nanoseconds(cuts.startingAfter)
        return now < first ? 0 : (now - first) / Self.nanoseconds(cuts.every) + 1
    }

    /// The next moment after `now` at which an outage starts or ends; nil without outages.
    public func nextChange(after now: Int) -> Int? {
        [profile.cuts, profile.stalls].compactMap { $0 }.map { outages in
            let first = start + Self.nanoseconds(outages.startingAfter)
            guard now >= first else { return first }
            let every = Self.nanoseconds(outages.every)
            let begun = first + (now - first) / every * every
            let end = begun + Self.nanoseconds(outages.lasting)
            return now < end ? end : begun + every
        }.min()
    }

    /// Puts `count` bytes read at `now` on the link in `direction` and returns their segments, in
    /// order: each waits for the link to be free (and up), takes its transmission time at the cap,
    /// then the delay and its jitter; none is delivered before the one ahead of it.
    public mutating func transmit(_ count: Int, _ direction: LinkDirection, at now: Int) -> [Segment] {
        let cuts = cutsStarted(by: now)
        if cuts != cutsSeen {  // a cut dropped whatever was on the link
            cutsSeen = cuts
            linkFree = [now, now]
            lastDelivery = [now, now]
        }
        let d = direction.rawValue
        let rate = profile.bytesPerSecond(direction)
        let size = segmentSize(direction)
        let delay = Self.nanoseconds(profile.delay), spread = Self.nanoseconds(profile.jitter)
        var t = max(now, linkFree[d])
        var segments: [Segment] = []
        segments.reserveCapacity(count / min(size, count) + 1)
        var remaining = count
        while remaining > 0 {
            let n = min(size, remaining)
            if case .stalled(let end) = phase(at: t) { t = end }
            if case .cut(let end) = phase(at: t) { t = end }
            if let rate { t += n * 1_000_000_000 / rate }
            var at = t + delay
            if spread > 0 { at += Int(jitter[d].next() % UInt64(spread + 1)) }
            at = max(at, lastDelivery[d])
            lastDelivery[d] = at
            segments.append(Segment(length: n, deliverAt: at))
            remaining -= n
        }
        linkFree[d] = t
        return segments
    }

    /// The end of the outage `now` falls in, or nil.
    private func outageEnd(_ outages: LinkOutages, at now: Int) -> Int? {
        let first = start + Self.nanoseconds(outages.startingAfter)
        guard now >= first else { return nil }
        let every = Self.nanoseconds(outages.every)
        let begun = first + (now - first) / every * every
        let end = begun + Self.nanoseconds(outages.lasting)
        return now < end ? end : nil
    }
}
