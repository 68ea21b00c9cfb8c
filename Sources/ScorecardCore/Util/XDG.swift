import Foundation

/// The XDG base directories.
public enum XDG {
    public static func directory(_ variable: String, fallback: String) -> String {
        if let value = ProcessEnvironment.current[variable], value.hasPrefix("/") { return value }
        let home = ProcessEnvironment.current["HOME"] ?? NSHomeDirectory()
        return home + "/" + fallback
    }

    /// `$XDG_DATA_HOME`, default `~/.local/share`.
    public static var dataHome: String { directory("XDG_DATA_HOME", fallback: ".local/share") }
    /// `$XDG_CONFIG_HOME`, default `~/.config`.
    public static var configHome: String { directory("XDG_CONFIG_HOME", fallback: ".config") }
    /// `$XDG_STATE_HOME`, default `~/.local/state`.
    public static var stateHome: String { directory("XDG_STATE_HOME", fallback: ".local/state") }
}
