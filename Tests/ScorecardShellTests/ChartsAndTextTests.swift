import ScorecardShell
import Testing

@Suite struct ChartsAndTextTests {
    @Test func bars() {
        #expect(Charts.bar(0.5, width: 4) == "██  ")
        #expect(Charts.bar(0.5625, width: 4, track: "░") == "██▎░")
        #expect(Charts.bar(1.7, width: 3) == "███")
        #expect(Charts.bar(-1, width: 2, track: "·") == "··")
        #expect(Charts.bar(.nan, width: 1) == " ")
    }

    @Test func stackedBarsAddUpToTheWidth() {
        let style = Style(width: 80, color: false)
        let bar = Charts.stacked([.init(5, "a"), .init(3, "b"), .init(1, "c"), .init(0, "d")], width: 10, style: style)
        #expect(bar == "aaaaaabbbc")
        #expect(Charts.stacked([.init(1, "a"), .init(1, "b")], width: 10, total: 4, style: style) == "aaabb" || Charts.stacked([.init(1, "a"), .init(1, "b")], width: 10, total: 4, style: style) == "aabbb")
    }

    @Test func sparkline() {
        #expect(Charts.sparkline([0, 50, 100, nil]) == "▁▅█·")
    }

    @Test func displayWidthIgnoresEscapesAndCountsWideCharacters() {
        #expect(Text.width("\u{1B}[1;32mok\u{1B}[0m") == 2)
        #expect(Text.width("日本") == 4)
        #expect(Text.width("█▒ · …") == 6)
        #expect(Text.cut("abcdefgh", 5) == "abcd…")
        #expect(Text.wrap("one two three four", width: 9) == ["one two", "three", "four"])
        #expect(Text.decimal(64.25, 1) == "64.3" || Text.decimal(64.25, 1) == "64.2")
        #expect(Text.decimal(-0.04, 1) == "0.0" || Text.decimal(-0.04, 1) == "-0.0")
        #expect(Text.decimal(7, 0) == "7")
    }
}
