/// `summary.html`: one self-contained page for the treasurer — headline figures, a stacked bar chart
/// (inline SVG) of amounts per payment day by state, discrepancies by code and age, the flows with
/// problems and what changed since the previous run. No script and no external asset, so it opens
/// the same from a mail attachment as from a file share.
enum SummaryPage {
    static let states = ["CASHED", "REPORTED", "PAID", "ANOMALY"]
    static let colours = ["CASHED": "#2e7d32", "REPORTED": "#1565c0", "PAID": "#f9a825", "ANOMALY": "#c62828"]

    static func render(_ figures: SummaryFigures) -> String {
        let open = (figures.discrepanciesByStatus["new"] ?? 0) + (figures.discrepanciesByStatus["open"] ?? 0)
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Quadra — \(Markup.escape(figures.asOf))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
            .cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:.8em 1.2em;min-width:9em}
            .card b{display:block;font-size:1.6em}table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            </style></head><body>
            <h1>Reconciliation as of \(Markup.escape(figures.asOf))</h1>
            <div class="cards">

            """
        for state in states {
            html += card(state.lowercased(), "\(figures.keysByState[state] ?? 0) transfers", "EUR " + Money.format(figures.centsByState[state] ?? 0))
        }
        html += card("open discrepancies", "\(open)", "\(figures.discrepanciesByStatus["new"] ?? 0) new")
        html += "</div>\n<h2>Amounts per payment day</h2>\n" + chart(figures)
        html += "<h2>Since the previous run</h2>\n<p>\(figures.discrepanciesByStatus["new"] ?? 0) new discrepancies, "
            + "\(figures.discrepanciesByStatus["resolved"] ?? 0) resolved, \(figures.discrepanciesByStatus["open"] ?? 0) still open.</p>\n"
        let changes = ["new", "changed", "open"].map { "\(figures.keysByChange[$0] ?? 0) \($0 == "open" ? "still open" : $0)" }
        html += "<p>Tonight's files list \(figures.keysByState.values.reduce(0, +)) transfers: \(changes.joined(separator: ", ")).</p>\n"
        if let previous = figures.previous {
            html += "<p>As of \(Markup.escape(previous.asOf)): \(previous.open) open discrepancies; now \(open) (\(signed(open - previous.open))).</p>\n"
        }
        html += "<h2>Open discrepancies by code</h2>\n"
            + table(["code", "count"], figures.openByCode.sorted { $0.key < $1.key }.map { [$0.key, "\($0.value)"] })
        html += "<h2>Open discrepancies by age (days)</h2>\n"
            + table(["age", "count"], SummaryFigures.ageBuckets.map { [$0.label, "\(figures.openByAge[$0.label] ?? 0)"] })
        html += "<h2>Flows with problems</h2>\n" + table(["creditor", "flow", "total", "credited", "credit status", "findings"],
            figures.problemFlows.map { [$0.creditor, $0.flowId, Money.format($0.totalCents), Money.format($0.creditedCents), $0.creditStatus, $0.findings] })
        return html + "</body></html>\n"
    }

    private static func signed(_ change: Int) -> String {
        change > 0 ? "+\(change)" : "\(change)"
    }

    private static func card(_ title: String, _ figure: String, _ detail: String) -> String {
        "<div class=\"card\">\(Markup.escape(title))<b>\(Markup.escape(figure))</b>\(Markup.escape(detail))</div>\n"
    }

    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "<p>None.</p>\n" }
        let head = header.map { "<th>\(Markup.escape($0))</th>" }.joined()
        let body = rows.map { row in
            "<tr>" + row.map { cell in
                let digits = cell.hasPrefix("-") ? cell.dropFirst() : Substring(cell)
                let numeric = !digits.isEmpty && digits.allSatisfy { $0.isNumber || $0 == "." }
                return "<td\(numeric ? " class=\"n\"" : "")>\(Markup.escape(cell))</td>"
            }.joined() + "</tr>"
        }.joined(separator: "\n")
        return "<table><tr>\(head)</tr>\n\(body)</table>\n"
    }

    /// Stacked bars, one per payment day, heights in proportion to the largest day.
    private static func chart(_ figures: SummaryFigures) -> String {
        let days = figures.centsByDayAndState.keys.sorted()
        guard !days.isEmpty else { return "<p>No payments.</p>\n" }
        let width = 640, height = 220, left = 70, bottom = 40
        let top = max(figures.centsByDayAndState.values.map { $0.values.reduce(0, +) }.max() ?? 1, 1)
        let slot = (width - left) / days.count
        let bar = max(slot * 3 / 5, 4)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height + bottom)\" role=\"img\" aria-label=\"amounts per payment day by state\">\n"
        svg += "<text x=\"0\" y=\"12\" font-size=\"11\">EUR \(Money.format(top))</text><line x1=\"\(left - 4)\" y1=\"\(height)\" x2=\"\(width)\" y2=\"\(height)\" stroke=\"#888\"/>\n"
        for (index, day) in days.enumerated() {
            let x = left + index * slot + (slot - bar) / 2
            var y = height
            for state in states {
                let cents = figures.centsByDayAndState[day]?[state] ?? 0
                guard cents > 0 else { continue }
                let h = max(Int(Int64(height - 20) * cents / top), 1)
                y -= h
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(bar)\" height=\"\(h)\" fill=\"\(colours[state]!)\"><title>\(day) \(state) EUR \(Money.format(cents))</title></rect>\n"
            }
            svg += "<text x=\"\(x + bar / 2)\" y=\"\(height + 16)\" font-size=\"11\" text-anchor=\"middle\">\(day.suffix(5))</text>\n"
        }
        for (index, state) in states.enumerated() {
            let x = left + index * 120
            svg += "<rect x=\"\(x)\" y=\"\(height + 26)\" width=\"10\" height=\"10\" fill=\"\(colours[state]!)\"/><text x=\"\(x + 14)\" y=\"\(height + 35)\" font-size=\"11\">\(state.lowercased())</text>\n"
        }
        return svg + "</svg>\n"
    }
}
