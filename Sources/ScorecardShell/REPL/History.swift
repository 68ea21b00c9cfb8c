import CReadline
import Foundation
import ScorecardCore

/// The shell's history file, `$XDG_STATE_HOME/scorecard/history` (default
/// `~/.local/state/scorecard/history`): created 0600, appended after every line, with no blank
/// lines and no line repeating the one before.
public struct History: Sendable {
    public let path: String
    /// Lines kept in the file.
    public var limit: Int32 = 2000

    public init(path: String = XDG.stateHome + "/scorecard/history") { self.path = path }

    /// Creates the file (0600, directory 0700) and loads it into readline's history.
    public func load() {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        if fd >= 0 {
            fchmod(fd, 0o600)
            close(fd)
        }
        history_truncate_file(path, limit)
        read_history(path)
        using_history()
    }

    /// True when `line` belongs in the history: not blank, not the previous line again.
    public static func shouldKeep(_ line: String, previous: String?) -> Bool {
        !line.allSatisfy(\.isWhitespace) && line != previous
    }

    /// Adds `line` to readline's history and appends it to the file.
    public func add(_ line: String) {
        let previous = sc_history_last().map { String(cString: $0) }
        guard History.shouldKeep(line, previous: previous) else { return }
        add_history(line)
        append_history(1, path)
    }
}
