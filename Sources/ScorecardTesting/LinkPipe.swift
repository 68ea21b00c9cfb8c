import Glibc

/// One direction of a forwarded connection: the bytes read from `source` that the link has not
/// delivered to `sink` yet, each run of them with the time it becomes due.
struct LinkPipe {
    enum Delivery { case sent(Int), failed }

    let source: Int32, sink: Int32
    /// The source has not reached end of stream.
    var sourceOpen = true
    /// The sink's last send would have blocked: wait for it to be writable.
    var blocked = false
    private var finSent = false
    private var bytes: [UInt8] = []
    private var offset = 0  // bytes before this were delivered
    private var due: [(end: Int, at: Int)] = []  // segment ends (in `bytes`) and their times, in order
    private var dueIndex = 0

    init(source: Int32, sink: Int32) {
        self.source = source
        self.sink = sink
    }

    /// Bytes read from the source in all.
    private(set) var received = 0
    /// Bytes read and not yet delivered.
    var queued: Int { bytes.count - offset }
    /// When the next undelivered segment is due.
    var nextDue: Int? { dueIndex < due.count ? due[dueIndex].at : nil }
    /// Everything read was delivered and the end of stream passed on.
    var finished: Bool { finSent }

    mutating func enqueue(_ buffer: UnsafeMutableRawPointer, _ segments: [LinkShaper.Segment]) {
        let count = segments.reduce(0) { $0 + $1.length }
        received += count
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: count))
        var end = bytes.count - count
        for segment in segments {
            end += segment.length
            due.append((end, segment.deliverAt))
        }
    }

    /// Sends the bytes due by `now` (at most `limit`) without blocking, then the end of stream if
    /// the source ended and nothing is left.
    mutating func deliver(upTo now: Int, limit: Int) -> Delivery {
        var sent = 0
        while !blocked, sent < limit, dueIndex < due.count, due[dueIndex].at <= now {
            var end = due[dueIndex].end
            while dueIndex + 1 < due.count, due[dueIndex + 1].at <= now { dueIndex += 1; end = due[dueIndex].end }
            let count = min(end - offset, limit - sent)
            let n = bytes.withUnsafeBytes { send(sink, $0.baseAddress! + offset, count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
                sent += n
                if offset < end { blocked = n < count }  // a short write: the socket buffer is full
            } else if n < 0, errno == EINTR {
                continue
            } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                blocked = true
            } else {
                return .failed
            }
            if offset >= due[dueIndex].end { dueIndex += 1 }
        }
        if offset == bytes.count, offset > 0 {  // all delivered: drop the buffer
            bytes.removeAll(keepingCapacity: bytes.capacity <= 1 << 20)
            due.removeAll(keepingCapacity: true)
            offset = 0
            dueIndex = 0
        } else if offset > 1 << 20 {
            bytes.removeFirst(offset)
            due = due[dueIndex...].map { ($0.end - offset, $0.at) }
            offset = 0
            dueIndex = 0
        }
        if !sourceOpen, !finSent, queued == 0 {
            shutdown(sink, Int32(SHUT_WR))
            finSent = true
        }
        return .sent(sent)
    }
}
