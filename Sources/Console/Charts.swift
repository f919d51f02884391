import Foundation
import Storage
import Workflow

/// A horizontal bar chart drawn as SVG by the `chart` template: the geometry is computed here, so the template
/// only places numbers, and the page needs no script and no chart library. Colours come from the stylesheet.
struct BarChart {
    struct Bar {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var kind: String
        var text: String
        var textX: Int
        var textY: Int
    }

    struct Row {
        var label: String
        var labelY: Int
        var bars: [Bar]
    }

    var title: String
    var summary: String
    var width: Int
    var height: Int
    var rows: [Row]
    var legend: [Bar]

    static let labelWidth = 180
    static let plotWidth = 300
    static let barHeight = 14

    /// KPI target against actual, each KPI on its own scale (units differ): the longer of the two fills the plot.
    static func kpis(_ outcome: Outcome, strategy: Strategy, t: Catalogue) -> BarChart {
        var rows: [Row] = []
        var y = 24
        for k in outcome.kpis {
            let name = strategy.kpis.first { $0.key == k.key }?.name ?? k.key
            let top = max(abs(k.target), abs(k.actual), 1e-9)
            func bar(_ value: Double, _ kind: String, _ dy: Int) -> Bar {
                let w = Int((abs(value) / top * Double(plotWidth)).rounded())
                return Bar(
                    x: labelWidth, y: y + dy, width: max(w, 1), height: barHeight, kind: kind,
                    text: t.number(value), textX: labelWidth + max(w, 1) + 6, textY: y + dy + barHeight - 3)
            }
            rows.append(
                Row(
                    label: name, labelY: y + barHeight + 2,
                    bars: [bar(k.target, "target", 0), bar(k.actual, k.met ? "met" : "missed", barHeight + 2)]))
            y += 2 * barHeight + 14
        }
        return BarChart(
            title: t.say("chart.kpis"),
            summary: outcome.kpis.map {
                t.say(
                    "chart.kpi_summary", ["kpi": $0.key, "target": t.number($0.target), "actual": t.number($0.actual)])
            }
            .joined(separator: "; "),
            width: labelWidth + plotWidth + 80, height: y, rows: rows,
            legend: legend(["target", "met", "missed"], t: t))
    }

    /// A rate per agency on a 0–100 % scale, with its sample size.
    static func rates(title: String, _ items: [(String, Rate)], t: Catalogue) -> BarChart {
        var rows: [Row] = []
        var y = 24
        for (label, rate) in items {
            let w = Int(((rate.value ?? 0) * Double(plotWidth)).rounded())
            rows.append(
                Row(
                    label: label, labelY: y + barHeight - 2,
                    bars: [
                        Bar(
                            x: labelWidth, y: y, width: max(w, 1), height: barHeight, kind: "met",
                            text: rate.value.map { "\(t.percent($0)) (n=\(rate.n))" } ?? t.say("chart.no_data"),
                            textX: labelWidth + max(w, 1) + 6, textY: y + barHeight - 3)
                    ]))
            y += barHeight + 10
        }
        return BarChart(
            title: title,
            summary: items.map { "\($0.0): \($0.1.value.map(t.percent) ?? t.say("chart.no_data"))" }
                .joined(separator: "; "),
            width: labelWidth + plotWidth + 110, height: y + 4, rows: rows, legend: [])
    }

    static func legend(_ kinds: [String], t: Catalogue) -> [Bar] {
        kinds.enumerated().map { i, kind in
            Bar(
                x: labelWidth + i * 90, y: 4, width: 10, height: 10, kind: kind, text: t.say("chart.\(kind)"),
                textX: labelWidth + i * 90 + 14,
                textY: 13)
        }
    }
}
