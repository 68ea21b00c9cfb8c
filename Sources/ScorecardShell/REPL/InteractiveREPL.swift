import CReadline
import Foundation
import ScorecardCore
import Synchronization

/// The interactive loop on GNU readline's callback interface, on its own thread.
///
/// It polls the terminal, a signal pipe (SIGINT, SIGWINCH) and the notice pipe, so Ctrl-C clears
/// the line and keeps the shell, a resize is followed, and background notices are printed above
/// the line being typed, which is then redrawn intact.
final class InteractiveREPL: Sendable {
    let session: ShellSession
    let notices: Notices
    let history: History
    let completer: Completer

    init(session: ShellSession, notices: Notices, history: History, completer: Completer) {
        self.session = session
        self.notices = notices
        self.history = history
        self.completer = completer
    }

    /// A finished line from readline's handler.
    enum Event: Sendable { case line(String), eof }

    /// Where readline's line handler (a C function pointer) leaves the line.
    static let received = Mutex<Event?>(nil)

    /// Runs until `quit`, `exit` or Ctrl-D; returns 0.
    func run() -> Int32 {
        let signals = WakePipe.make()
        let done = WakePipe.make()
        guard sc_install_signal_pipe(signals.write) == 0 else { return 1 }
        defer {
            rl_callback_handler_remove()
            sc_remove_signal_pipe()
            signals.close()
            done.close()
        }
        sc_rl_set_readline_name(strdup("scorecard"))  // for `$if scorecard` in ~/.inputrc; readline keeps the pointer
        sc_rl_set_catch_signals(0)
        sc_rl_set_catch_sigwinch(0)
        ReadlineCompletion.shared.install(completer)
        history.load()
        Output.standard("Scorecard shell — `help` lists the commands, Tab completes, Ctrl-D leaves.\n")
        while true {
            var prompt = Prompt.current(session)
            rl_callback_handler_install(prompt) { line in
                // Removed here, inside the handler, so readline does not print the next prompt
                // before the command's output.
                rl_callback_handler_remove()
                InteractiveREPL.received.withLock { $0 = line.map { .line(String(cString: $0)) } ?? .eof }
                free(line)
            }
            var event: Event?
            while event == nil {
                var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: signals.read, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: notices.readFD, events: Int16(POLLIN), revents: 0)]
                if poll(&fds, 3, -1) < 0 {
                    if errno == EINTR { continue }
                    return 1
                }
                if fds[1].revents != 0 {
                    for signo in signals.drain() {
                        if signo == SIGINT { clearLine() } else if signo == SIGWINCH { rl_resize_terminal() }
                    }
                }
                if fds[2].revents != 0 { prompt = show(notices.drain(), prompt: prompt) }
                if fds[0].revents != 0 {
                    rl_callback_read_char()
                    event = InteractiveREPL.received.withLock { e in defer { e = nil }; return e }
                }
            }
            guard case .line(let line) = event else {
                Output.standard("\n")
                return 0
            }
            history.add(line)
            if execute(line, signals: signals, done: done) == .quit { return 0 }
        }
    }

    /// Ctrl-C at the prompt: abandon the line, keep the shell.
    func clearLine() {
        fflush(nil)
        Output.standard("^C\n")
        rl_callback_sigcleanup()
        rl_free_line_state()
        rl_replace_line("", 1)
        using_history()
        rl_on_new_line()
        rl_redisplay()
    }

    /// Prints notices above the line being typed and redraws it (with a fresh prompt).
    ///
    /// A terminal that can clear a line gets the notice in place of the line, which is then
    /// redrawn below it; a `dumb` one keeps the line, gets the notice under it and the line again
    /// (as bash shows job notices), and waits for the next prompt to show a new prompt state.
    func show(_ lines: [String], prompt: String) -> String {
        let fresh = Prompt.current(session)
        let dumb = (ProcessEnvironment.current["TERM"] ?? "dumb") == "dumb"
        guard !lines.isEmpty || (fresh != prompt && !dumb) else { return prompt }
        if dumb {
            Output.standard("\n")
        } else {
            rl_clear_visible_line()
            fflush(nil)  // readline writes through stdio; the notice goes straight to the descriptor
        }
        for line in lines { Output.standard(line + "\n") }
        rl_set_prompt(fresh)
        rl_on_new_line()
        rl_redisplay()
        return fresh
    }

    /// Runs a line on the cooperative pool while this thread waits; Ctrl-C cancels it.
    func execute(_ line: String, signals: WakePipe, done: WakePipe) -> ShellSession.Next {
        let result = Locked<ShellSession.Next>(.proceed)
        let session = self.session
        let task = Task {
            do {
                result.set(try await session.run(line: line))
            } catch {
                Output.error(ShellSession.message(CLIError.from(error)))
            }
            done.signal()
        }
        while true {
            var fds = [pollfd(fd: done.read, events: Int16(POLLIN), revents: 0), pollfd(fd: signals.read, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 && errno != EINTR { break }
            if fds[1].revents != 0, signals.drain().contains(SIGINT) {
                task.cancel()
                Output.error("^C\n")
            }
            if fds[0].revents != 0 {
                _ = done.drain()
                break
            }
        }
        return result.get()
    }
}

/// A non-blocking pipe.
struct WakePipe: Sendable {
    let read: Int32
    let write: Int32

    static func make() -> WakePipe {
        var fds: [Int32] = [-1, -1]
        if Foundation.pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        return WakePipe(read: fds[0], write: fds[1])
    }

    func signal() {
        var byte: UInt8 = 1
        _ = Foundation.write(write, &byte, 1)
    }

    /// The bytes waiting, as signal numbers.
    func drain() -> [Int32] {
        var out: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = Foundation.read(read, &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[0..<n].map { Int32($0) }
        }
        return out
    }

    func close() {
        _ = Foundation.close(read)
        _ = Foundation.close(write)
    }
}
