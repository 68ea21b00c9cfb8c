import Foundation
import Glibc

/// Per-connection behaviour of ``FaultProxy``. Every function here runs on the connection's own thread,
/// which owns its fds and closes each exactly once via `closeSocket`.
extension FaultProxyCore {
    func handle(_ client: Int32, _ mode: FaultMode) {
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
            forward(client, mode)
        }
    }

    /// Pumps bytes both ways between `client` and a new upstream connection, applying `delay`/`cutResponse`.
    private func forward(_ client: Int32, _ mode: FaultMode) {
        guard let upstream = connectUpstream() else {
            discard(client, timeoutMs: 1_000, headOnly: true)  // then drop it, as `.refuse` does
            return closeSocket(client, reset: true)
        }
        var delayMs = 0, cutAfter = Int.max, sentToClient = 0
        if case .delay(let ms) = mode { delayMs = ms }
        if case .cutResponse(let n) = mode { cutAfter = max(0, n) }
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        defer { buffer.deallocate() }
        var clientOpen = true, upstreamOpen = true  // read sides not yet at EOF
        var abort = false  // reset both sockets instead of closing cleanly

        pump: while clientOpen || upstreamOpen {
            var fds = [pollfd(fd: clientOpen ? client : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: upstreamOpen ? upstream : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 3, -1) < 0 {
                if errno == EINTR { continue }
                abort = true; break pump
            }
            if fds[2].revents != 0 { abort = true; break pump }
            if fds[0].revents != 0 {
                let n = recv(client, buffer, capacity, 0)
                if n > 0 {
                    guard sendAll(upstream, buffer, n) else { abort = true; break pump }
                    state.withLock { $0.toUpstream += n }
                } else if n == 0 {
                    clientOpen = false
                    shutdown(upstream, Int32(SHUT_WR))
                } else if errno != EINTR {
                    abort = true; break pump
                }
            }
            if fds[1].revents != 0 {
                let n = recv(upstream, buffer, capacity, 0)
                if n > 0 {
                    state.withLock { $0.fromUpstream += n }
                    if delayMs > 0 {
                        guard waitUnlessStopped(milliseconds: delayMs) else { abort = true; break pump }
                        delayMs = 0
                    }
                    let allowed = min(n, cutAfter - sentToClient)
                    if allowed > 0, !sendAll(client, buffer, allowed) { abort = true; break pump }
                    sentToClient += allowed
                    if sentToClient >= cutAfter { abort = true; break pump }
                } else if n == 0 {
                    upstreamOpen = false
                    shutdown(client, Int32(SHUT_WR))
                } else if errno != EINTR {
                    abort = true; break pump
                }
            }
        }
        closeSocket(client, reset: abort)
        closeSocket(upstream, reset: abort)
    }

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

    /// Waits `milliseconds` unless the proxy stops first; returns false if it stopped.
    private func waitUnlessStopped(milliseconds: Int) -> Bool {
        let deadline = nowMs() + milliseconds
        while true {
            let left = deadline - nowMs()
            if left <= 0 { return true }
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 1, Int32(clamping: left)) > 0 { return false }
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
