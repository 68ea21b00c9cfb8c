/// KPI cards as on seed 000's page, boxed and laid out in rows that fit the width.
public struct Card: Sendable {
    public var label: String
    public var value: String
    public var detail: String

    public init(_ label: String, _ value: String, _ detail: String = "") {
        self.label = label
        self.value = value
        self.detail = detail
    }

    /// The narrowest card: "Avg handle time" and a border.
    static let minimumWidth = 19

    /// Cards in rows of 6, 3, 2 or 1 (the most that fit `style.width`), one space apart.
    public static func grid(_ cards: [Card], style: Style) -> String {
        let perRow = [6, 3, 2].first { $0 * minimumWidth + ($0 - 1) <= style.width } ?? 1
        let width = max(minimumWidth, (style.width - (perRow - 1)) / perRow)
        var out = ""
        var start = 0
        while start < cards.count {
            let row = Array(cards[start..<min(cards.count, start + perRow)])
            let boxes = row.map { box($0, width: width, style: style) }
            for line in 0..<5 { out += boxes.map { $0[line] }.joined(separator: " ") + "\n" }
            start += perRow
        }
        return out
    }

    static func box(_ card: Card, width: Int, style: Style) -> [String] {
        let inner = width - 4
        let border = { (l: String, r: String) in style.paint(l + String(repeating: "─", count: width - 2) + r, .dim) }
        let side = style.paint("│", .dim)
        let line = { (text: String) in side + " " + Text.pad(text, inner) + " " + side }
        return [
            border("╭", "╮"),
            line(style.paint(Text.cut(card.label, inner), .dim)),
            line(style.paint(Text.cut(card.value, inner), .bold)),
            line(Text.cut(card.detail, inner)),
            border("╰", "╯"),
        ]
    }
}
