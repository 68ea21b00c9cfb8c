import Foundation
import Glibc

/// Per-connection behaviour of ``FaultProxy``. Every function here runs on the connection's own thread,
/// which owns its fds and closes each exactly once via `closeSocket`.
extension FaultProxyCore {
    func handle(_ client: Int32, _ mode: FaultMode, cutMark: Int) {
        setNoDelay(client)
        switch mode {
        case .refuse:
            // Let the request head arrive first (≤ 1 s) so the client reliably sees a reset connection
            // ("Recv failure") rather than, depending on timing, a failed connect.
            discard(client, timeoutMs: 1_000, headOnly: true)
            closeSocket(client, reset: true)
        case .stall:
            discard(client, timeoutMs: nil, headOnly: false)
            closeSocket(client, reset: false)
        case .status503(let retryAfter):
            discard(client, timeoutMs: 2_000, headOnly: true)
            let body = #"{"error":{"code":"unavailable","message":"Service unavailable (injected by FaultProxy)"}}"#
            let response = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: \(retryAfter)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body
            let bytes = Array(response.utf8)
            if bytes.withUnsafeBytes({ sendAll(client, $0.baseAddress!, $0.count) }) {
                shutdown(client, Int32(SHUT_WR))
                // Drain until the client closes, so unread request bytes don't turn our close into an RST.
                discard(client, timeoutMs: 1_000, headOnly: false)
            }
            closeSocket(client, reset: false)
        case .pass, .delay, .cutResponse:
            forward(client, mode, cutMark: cutMark)
        }
    }

    /// Pumps bytes both ways between `client` and a new upstream connection through the shared
    /// link (see ``LinkShaper``), applying `delay`/`cutResponse`. A cut of the link since `cutMark`
    /// resets both sockets.
    private func forward(_ client: Int32, _ mode: FaultMode, cutMark: Int) {
        guard let upstream = connectUpstream() else {
            discard(client, timeoutMs: 1_000, headOnly: true)  // then drop it, as `.refuse` does
            return closeSocket(client, reset: true)
        }
        setNonBlocking(client)
        setNonBlocking(upstream)
        var holdFirstResponse: Int? = nil, cutAfter = Int.max, sentToClient = 0
        if case .delay(let ms) = mode { holdFirstResponse = ms * 1_000_000 }
        if case .cutResponse(let n) = mode { cutAfter = max(0, n) }
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        defer { buffer.deallocate() }
        // Indexed by `LinkDirection.rawValue`: to upstream reads the client, to the client reads upstream.
        var pipes = [LinkPipe(source: client, sink: upstream), LinkPipe(source: upstream, sink: client)]
        var abort = false  // reset both sockets instead of closing cleanly

        pump: while true {
            let now = Self.nowNs()
            let (phase, cut, limits, nextChange) = state.withLock { s in
                (s.link.phase(at: now), s.cutCount(at: now) != cutMark,
                 LinkDirection.allCases.map { s.link.queueLimit($0) }, s.link.nextChange(after: now))
            }
            if cut { abort = true; break pump }
            if case .cut = phase { abort = true; break pump }
            var stalled = false
            if case .stalled = phase { stalled = true }

            // Deliver what is due, then pass on an end of stream once its bytes are out.
            var wake = nextChange ?? Int.max
            for direction in LinkDirection.allCases where !stalled {
                let d = direction.rawValue
                var limit = Int.max
                if direction == .toClient { limit = cutAfter - sentToClient }
                switch pipes[d].deliver(upTo: now, limit: limit) {
                case .failed: abort = true; break pump
                case .sent(let n):
                    if n > 0 {
                        state.withLock { s in
                            if direction == .toClient { s.toClient += n } else { s.toUpstream += n }
                        }
                    }
                    if direction == .toClient {
                        sentToClient += n
                        if sentToClient >= cutAfter, pipes[d].received > 0 { abort = true; break pump }
                    }
                }
                if let due = pipes[d].nextDue, !pipes[d].blocked { wake = min(wake, due) }
            }
            if pipes.allSatisfy(\.finished) { break pump }

            var fds = [pollfd(fd: -1, events: 0, revents: 0), pollfd(fd: -1, events: 0, revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            for (i, fd) in [client, upstream].enumerated() {
                let reading = pipes[i].sourceOpen && pipes[i].queued < limits[i]
                let writing = pipes[1 - i].blocked  // this fd is the other direction's sink
                let events = (reading ? POLLIN : 0) | (writing ? POLLOUT : 0)
                if events != 0 { fds[i] = pollfd(fd: fd, events: Int16(events), revents: 0) }
            }
            // Wake for the next due segment or phase change, and at least every 100 ms to notice a new profile.
            let timeoutMs = wake == Int.max ? 100 : max(0, min(100, (wake - now + 999_999) / 1_000_000))
            if poll(&fds, 3, Int32(timeoutMs)) < 0 {
                if errno == EINTR { continue }
                abort = true; break pump
            }
            if fds[2].revents != 0 { abort = true; break pump }
            for (i, fd) in [client, upstream].enumerated() where fds[i].revents != 0 {
                pipes[1 - i].blocked = false  // try the write again; an error then shows on send
                guard pipes[i].sourceOpen, fds[i].events & Int16(POLLIN) != 0 else { continue }
                let n = recv(fd, buffer, capacity, 0)
                if n > 0 {
                    let direction = LinkDirection(rawValue: i)!
                    let readAt = Self.nowNs()
                    var segments = state.withLock { s in
                        if direction == .toClient { s.fromUpstream += n }
                        return s.link.transmit(n, direction, at: readAt)
                    }
                    if direction == .toClient, let hold = holdFirstResponse {
                        for k in segments.indices { segments[k].deliverAt = max(segments[k].deliverAt, readAt + hold) }
                        holdFirstResponse = nil
                    }
                    pipes[i].enqueue(buffer, segments)
                } else if n == 0 {
                    pipes[i].sourceOpen = false
                } else if errno != EINTR, errno != EAGAIN, errno != EWOULDBLOCK {
                    abort = true; break pump
                }
            }
        }
        closeSocket(client, reset: abort)
        closeSocket(upstream, reset: abort)
    }

    private func setNonBlocking(_ fd: Int32) { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

    private func connectUpstream() -> Int32? {
        let family = upstreamAddress.withUnsafeBytes { Int32($0.load(as: sockaddr.self).sa_family) }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        let registered = state.withLock { s in
            if !s.stopped { s.live.insert(fd) }
            return !s.stopped
        }
        guard registered else { close(fd); return nil }
        let rc = upstreamAddress.withUnsafeBytes { raw in
            connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        guard rc == 0 else { closeSocket(fd, reset: false); return nil }
        setNoDelay(fd)
        return fd
    }

    /// Reads and throws away bytes until EOF, an error, `stop()`, `timeoutMs` (nil: no limit), or —
    /// when `headOnly` — the blank line ending an HTTP request head.
    private func discard(_ fd: Int32, timeoutMs: Int?, headOnly: Bool) {
        let deadline = timeoutMs.map { nowMs() + $0 }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var tail: [UInt8] = []
        while true {
            let wait = deadline.map { max(0, $0 - nowMs()) } ?? -1
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, Int32(clamping: wait))
            if ready < 0, errno == EINTR { continue }
            if ready <= 0 || fds[1].revents != 0 { return }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            guard headOnly else { continue }
            tail += buffer[0..<n]
            if tail.count >= 4, (0...(tail.count - 4)).contains(where: { tail[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }) {
                return
            }
            tail = Array(tail.suffix(3))
        }
    }

    private func sendAll(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let n = send(fd, bytes + offset, count - offset, Int32(MSG_NOSIGNAL))
            if n > 0 { offset += n } else if n < 0, errno == EINTR { continue } else { return false }
        }
        return true
    }

    /// Forgets `fd` (so `stop()` won't touch it), optionally arms an RST, and closes it.
    private func closeSocket(_ fd: Int32, reset: Bool) {
        _ = state.withLock { $0.live.remove(fd) }
        if reset {
            var option = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        }
        close(fd)
    }

    private func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    private func nowMs() -> Int { Int(DispatchTime.now().uptimeNanoseconds / 1_000_000) }
}
