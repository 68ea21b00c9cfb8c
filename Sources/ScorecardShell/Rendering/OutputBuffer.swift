import Foundation
import ScorecardCore
import Synchronization

/// A command's output, collected so the whole of it can go through the pager when long.
public final class OutputBuffer: Sendable {
    private let text = Mutex("")

    public init() {}

    public func write(_ s: String) { text.withLock { $0 += s } }

    /// The output so far, emptying the buffer.
    public func take() -> String { text.withLock { t in defer { t = "" }; return t } }

    /// Writes the output to standard output, through the pager when `pager` is on, standard
    /// output is a terminal and the text is taller than it.
    public func flush(terminal: TerminalInfo, pager: Bool) {
        let s = take()
        guard !s.isEmpty else { return }
        if pager, terminal.isTTY, Pager.lines(in: s, width: terminal.width) >= terminal.height, Pager.show(s) { return }
        Output.standard(s)
    }
}

/// Raw writes to the standard streams (unbuffered, so they interleave correctly with readline).
public enum Output {
    public static func standard(_ s: String) { write(STDOUT_FILENO, s) }
    public static func error(_ s: String) { write(STDERR_FILENO, s) }

    static func write(_ fd: Int32, _ s: String) {
        var bytes = Array(s.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(n)
        }
    }
}

/// `$PAGER` (default `less -FRX`) for output taller than the terminal.
public enum Pager {
    /// The pager command line: `$PAGER`, else `less -FRX`; nil when `PAGER` is empty or `cat`.
    public static func command(environment: ProcessEnvironment = .current) -> String? {
        guard let pager = environment["PAGER"] else { return "less -FRX" }
        let trimmed = pager.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
    }

    /// Terminal lines `s` takes at `width` columns.
    static func lines(in s: String, width: Int) -> Int {
        s.split(separator: "\n", omittingEmptySubsequences: false).reduce(0) { n, line in
            n + max(1, (Text.width(String(line)) + width - 1) / max(1, width))
        }
    }

    /// Pipes `s` into the pager and waits for it; false when it could not be started.
    static func show(_ s: String) -> Bool {
        guard let command = command() else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardInput = pipe
        do {
            try process.run()
        } catch {
            return false
        }
        let previous = signal(SIGPIPE, SIG_IGN)  // the pager may quit before reading everything
        try? pipe.fileHandleForWriting.write(contentsOf: Data(s.utf8))
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        signal(SIGPIPE, previous)
        return true
    }
}
