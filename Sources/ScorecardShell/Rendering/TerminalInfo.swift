import CReadline
import Foundation
import ScorecardCore

/// The one "is this a terminal?" switch (as gh has it): it decides colour, pager, progress lines
/// and truncation together, plus the width everything is laid out to.
public struct TerminalInfo: Sendable, Equatable {
    /// Standard output is a terminal.
    public var isTTY: Bool
    /// ANSI colour: never with `NO_COLOR`; forced by `CLICOLOR_FORCE`; else only on a terminal
    /// whose `TERM` is not `dumb`.
    public var color: Bool
    /// Columns: `COLUMNS`, then the terminal's size (TIOCGWINSZ), else 80.
    public var width: Int
    /// Rows: `LINES`, then the terminal's size, else 24 (decides when the pager is used).
    public var height: Int

    public init(isTTY: Bool, color: Bool, width: Int, height: Int) {
        self.isTTY = isTTY
        self.color = color
        self.width = width
        self.height = height
    }

    /// Reads the environment and standard output.
    public static func detect(environment: ProcessEnvironment = .current, fd: Int32 = STDOUT_FILENO) -> TerminalInfo {
        let tty = isatty(fd) == 1
        let set = { (name: String) in environment[name].map { !$0.isEmpty } ?? false }
        let color: Bool
        if set("NO_COLOR") {
            color = false
        } else if set("CLICOLOR_FORCE"), environment["CLICOLOR_FORCE"] != "0" {
            color = true
        } else {
            color = tty && environment["TERM"] != "dumb"
        }
        let columns = environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        let lines = environment["LINES"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        let width = columns ?? nonZero(sc_terminal_columns(fd)) ?? 80
        let height = lines ?? nonZero(sc_terminal_rows(fd)) ?? 24
        return TerminalInfo(isTTY: tty, color: color, width: max(20, width), height: max(5, height))
    }

    private static func nonZero(_ n: Int32) -> Int? { n > 0 ? Int(n) : nil }

    /// How renderers lay out for this terminal.
    public var style: Style { Style(width: width, color: color, truncate: isTTY) }
}
