import Foundation
import Synchronization

/// Messages for the person at the prompt from background work (the auto-sync). They are shown
/// between prompts, above the line being typed, never inside it: posting wakes the REPL's poll
/// through a pipe and the REPL redraws its line after printing them.
public final class Notices: Sendable {
    private let queue = Mutex<[String]>([])
    /// Read end (polled by the REPL) and write end of the wake-up pipe.
    let readFD: Int32
    let writeFD: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Queues a line (and wakes the REPL even with an empty line, to refresh the prompt).
    public func post(_ line: String?) {
        if let line { queue.withLock { $0.append(line) } }
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Everything queued, emptying the queue and the pipe.
    public func drain() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buffer, buffer.count) > 0 {}
        return queue.withLock { q in defer { q = [] }; return q }
    }
}
