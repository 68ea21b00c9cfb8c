/// How a renderer lays out: the width to fit, whether to colour, whether long text may be cut.
public struct Style: Sendable, Equatable {
    /// Columns to fit.
    public var width: Int
    /// ANSI colour on.
    public var color: Bool
    /// Long free text may be cut with `…` (only on a terminal; piped output is never truncated).
    public var truncate: Bool

    public init(width: Int, color: Bool, truncate: Bool = true) {
        self.width = width
        self.color = color
        self.truncate = truncate
    }

    /// The SGR colours and attributes the renderers use.
    public enum Paint: String, Sendable {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36"
    }

    /// `text` in `paints` when colour is on; `text` unchanged otherwise.
    public func paint(_ text: String, _ paints: Paint...) -> String {
        guard color, !paints.isEmpty, !text.isEmpty else { return text }
        return "\u{1B}[" + paints.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    /// A section heading.
    public func heading(_ text: String) -> String { paint(text, .bold) }
}
