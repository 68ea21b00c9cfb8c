import Foundation
import ScorecardCore
import ScorecardServerCore
import Testing

@testable import ScorecardServer

/// The SVG chart builders are pure functions: their numbers, labels and escaping.
@Suite("Chart builders")
struct ChartTests {
    @Test func numbersAreCompact() {
        #expect(SVG.number(12) == "12")
        #expect(SVG.number(12.5) == "12.5")
        #expect(SVG.number(12.345) == "12.35")
        #expect(SVG.number(-0.001) == "0")
        #expect(SVG.number(.nan) == "0")
        #expect(SVG.number(87.46, places: 1) == "87.5")
    }

    @Test func textIsEscaped() {
        #expect(SVG.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        let chart = Histogram(buckets: [("<script>", 2)], highlight: nil).svg
        #expect(!chart.contains("<script>"))
        #expect(chart.contains("&lt;script&gt;"))
    }

    @Test func sparklineLabelsEveryWeekAndBreaksAtGaps() {
        let svg = Sparkline(points: [("W1", 50), ("W2", nil), ("W3", 60), ("W4", 70)]).svg
        #expect(svg.contains(#"aria-label="Composite by week: W1 50, W2 not scored, W3 60, W4 70""#))
        #expect(svg.components(separatedBy: "<polyline").count == 2, "one line (W3–W4): W1 stands alone")
        #expect(svg.contains("<circle"), "the last point is marked")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
    }

    @Test func trendChartCarriesItsNumbersAndThreshold() {
        let svg = TrendChart(points: [("W39", 20), ("W40", 70)], threshold: 70).svg
        #expect(svg.contains("Composite score by week: W39 20, W40 70"))
        #expect(svg.contains("<title>W39: 20</title>"))
        #expect(svg.contains("Flagged threshold 70"))
        #expect(svg.contains(#"class="trend-dot below""#), "20 is below 70")
        #expect(svg.components(separatedBy: "class=\"trend-dot").count == 3)
    }

    @Test func radarHasSixAxesAndBothWeeks() {
        let axes = ["Support", "Operations", "Field service", "Communication", "Sales", "Data quality"]
        let svg = RadarChart(axes: axes, current: [80, nil, 50, 60, 0, 100], previous: [70, nil, 40, 60, 10, 90]).svg
        for axis in axes { #expect(svg.contains(">\(axis)</text>")) }
        #expect(svg.contains("This week: Support 80, Operations no activity"))
        #expect(svg.contains("Previous week: Support 70"))
        #expect(svg.contains(#"class="radar-current""#) && svg.contains(#"class="radar-previous""#))
        // The top axis at full score reaches the outer ring (radius 100 above the centre at 135); its label sits outside it.
        let full = RadarChart(axes: axes, current: [100, 0, 0, 0, 0, 0], previous: nil).svg
        #expect(full.contains(#"points="180,35 180,135"#))
        #expect(full.contains(#"<text class="axis" x="180" y="25" text-anchor="middle">Support</text>"#))
    }

    @Test func donutFoldsTheTailIntoOther() {
        let counts = ["A": 9, "B": 8, "C": 7, "D": 6, "E": 5, "F": 4, "G": 3, "H": 2, "I": 0]
        let slices = DonutChart.fold(counts)
        #expect(slices.map(\.label) == ["A", "B", "C", "D", "E", "F", "Other"])
        #expect(slices.last?.count == 5)
        let svg = DonutChart(slices: slices).svg
        #expect(svg.contains("A 9 (20.5%)"))
        #expect(svg.contains(">44</text>"), "the total in the middle")
        #expect(DonutChart(slices: []).svg.contains("Dispositions: no calls"))
    }

    @Test func groupedBarsScaleToANiceCeiling() {
        #expect(GroupedBars.niceCeiling(1) == 4)
        #expect(GroupedBars.niceCeiling(5) == 8)
        #expect(GroupedBars.niceCeiling(53) == 80)
        #expect(GroupedBars.niceCeiling(120) == 200)
        let svg = GroupedBars(days: [("Mon 16", 46, 53), ("Tue 17", 0, 0)]).svg
        #expect(svg.contains("Mon 16 46 in, 53 out; Tue 17 0 in, 0 out"))
        #expect(svg.contains("<title>Mon 16: 53 outbound</title>"))
    }

    @Test func stackedBarSharesAddUp() {
        let svg = StackedBar(segments: [("Busy", "seg-busy", 3600), ("Idle", "seg-idle", 1200), ("Pause", "seg-pause", 0)], format: { "\(Int($0))s" }).svg
        #expect(svg.contains("Busy 3600s (75%), Idle 1200s (25%), Pause 0s (0%)"))
        #expect(svg.contains(#"width="450""#) && svg.contains(#"x="450""#))
        #expect(!svg.contains("seg-pause\""), "an empty segment draws nothing")
    }

    @Test func miniBarsAndProgress() {
        let bars = MiniBars(values: [("Support", 50), ("Sales", nil)]).svg
        #expect(bars.contains("Domain scores: Support 50, Sales none"))
        #expect(bars.components(separatedBy: "class=\"minibar\"").count == 2)
        #expect(ProgressBar(fraction: 0.5, label: "Half", tone: "").svg.contains(#"width="100""#))
        #expect(!ProgressBar(fraction: 0, label: "None", tone: "").svg.contains("progress-fill"))
        #expect(ProgressBar(fraction: 3, label: "Over", tone: "done").svg.contains(#"width="200""#))
    }

    @Test func formsDecodeLikeBrowsersSendThem() {
        let form = FormBody(decoding: "person_id=a%2B1&password=p+w%26x&empty=&person_id=second")
        #expect(form["person_id"] == "a+1")
        #expect(form["password"] == "p w&x")
        #expect(form["empty"] == "")
        #expect(form.text("empty") == nil)
    }

    @Test func periodChoices() {
        let today = CivilDate("2026-12-04")!
        #expect(PeriodChoice.parse(period: nil, week: nil, today: today)?.period == nil)
        #expect(PeriodChoice.parse(period: "", week: "2026-W41", today: today)?.period?.description == "2026-W41", "a typed week counts")
        #expect(PeriodChoice.parse(period: "this-week", week: nil, today: today)?.period?.description == "2026-W49")
        #expect(PeriodChoice.parse(period: "last-week", week: nil, today: today)?.period?.description == "2026-W48")
        #expect(PeriodChoice.parse(period: "last-month", week: nil, today: today)?.period?.description == "2026-11")
        #expect(PeriodChoice.parse(period: "custom", week: "2026-W40", today: today)?.period?.description == "2026-W40")
        #expect(PeriodChoice.parse(period: "2026-W40", week: nil, today: today)?.selected == "custom")
        #expect(PeriodChoice.parse(period: "soon", week: nil, today: today) == nil)
        #expect(ReportPeriod("2026-11")?.weeks.map(\.description) == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"])
        #expect(ReportPeriod("2026-01")?.weeks.first?.description == "2026-W01")
        #expect(ReportPeriod("2026-12")?.weeks.last?.description == "2026-W53", "its Thursday is 2026-12-31")
        #expect(ReportPeriod("2027-01")?.weeks.first?.description == "2027-W01")
        #expect(ReportPeriod("2026-13") == nil)
    }
}
