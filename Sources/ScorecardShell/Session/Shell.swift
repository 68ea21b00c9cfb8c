import Foundation
import ScorecardCore
import ScorecardSync
import Synchronization

/// What `scorecard shell` takes from its flags.
public struct ShellOptions: Sendable {
    /// Sync in the background while the shell is open.
    public var autoSync = true
    /// How often.
    public var autoSyncInterval: Duration = .seconds(300)
    /// Between background syncs, while online, wait for changes this long per request (the
    /// long-poll; 0: only the timed syncs).
    public var liveWait = AutoSync.defaultLiveWait
    public var accounts = AccountStore()
    public var history = History()

    public init() {}
}

/// `scorecard shell`: interactive on a terminal (readline, history, completion, auto-sync);
/// commands read line by line from standard input otherwise (no prompt, no echo, stop at the
/// first failure). The loop always runs on its own thread, never on the cooperative pool.
public enum Shell {
    /// Runs the shell; returns the exit status.
    public static func run(_ options: ShellOptions) async -> Int32 {
        if isatty(STDIN_FILENO) == 1 { return await interactive(options) }
        let session = ShellSession(accounts: options.accounts, interactive: false)
        return await onThread { Shell.readLines(session) }
    }

    static func interactive(_ options: ShellOptions) async -> Int32 {
        let session = ShellSession(accounts: options.accounts, interactive: true)
        let notices = Notices()
        let completer = Completer(source: MirrorCompletionSource(session: session), today: DateRange.today())
        let repl = InteractiveREPL(session: session, notices: notices, history: options.history, completer: completer)
        let sync = options.autoSync ? Task { await AutoSync(interval: options.autoSyncInterval, liveWait: options.liveWait, session: session, notices: notices).run() } : nil
        let status = await onThread { repl.run() }
        sync?.cancel()
        return status
    }

    /// Commands from standard input, one per line, until the end or the first failure.
    static func readLines(_ session: ShellSession) -> Int32 {
        while let line = readLine(strippingNewline: true) {
            let status = blocking { await session.runScript([line]) }
            if status != 0 { return status }
            if let words = try? Tokenizer.split(line), words.first == "quit" || words.first == "exit" { return 0 }
        }
        return 0
    }

    /// Runs `body` on a new thread (8 MiB stack) and waits for it without blocking the pool.
    static func onThread(_ body: @escaping @Sendable () -> Int32) async -> Int32 {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs async work from a plain thread and waits for it.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let semaphore = DispatchSemaphore(value: 0)
        let box = Locked<T?>(nil)
        Task {
            let value = await body()
            box.set(value)
            semaphore.signal()
        }
        semaphore.wait()
        return box.get()!
    }
}

/// A value behind a mutex that escaping closures can share.
final class Locked<T: Sendable>: Sendable {
    private let mutex: Mutex<T>

    init(_ value: T) { mutex = Mutex(value) }

    func get() -> T { mutex.withLock { $0 } }
    func set(_ value: T) { mutex.withLock { $0 = value } }
}
