import Foundation
import ScorecardCore

/// Where the server keeps its data: `sqlite:PATH` (embedded default) or `postgres://…`.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Parses `--database`; nil means the default file under `$XDG_DATA_HOME/scorecard-server/`.
    public init(_ text: String?) throws {
        guard let text, !text.isEmpty else {
            self = .sqlite(path: DatabaseLocation.defaultPath)
            return
        }
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreError(.invalid, "--database sqlite: needs a path, e.g. sqlite:/var/lib/scorecard/server.sqlite") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            throw StoreError(.invalid, "--database must be sqlite:PATH or postgres://USER@HOST/DB, got '\(text)'")
        }
    }

    /// Where files of the server's own go (the LLM key moved out of an older database): the
    /// SQLite database's directory, or `$XDG_DATA_HOME/scorecard-server` for PostgreSQL.
    public var keyDirectory: String {
        switch self {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            return directory.isEmpty ? "." : directory
        case .postgres: return XDG.dataHome + "/scorecard-server"
        }
    }

    /// `$XDG_DATA_HOME/scorecard-server/scorecard.sqlite` (XDG default `~/.local/share`).
    public static var defaultPath: String {
        XDG.dataHome + "/scorecard-server/scorecard.sqlite"
    }
}
