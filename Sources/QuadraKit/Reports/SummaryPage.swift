/// `summary.html`: one self-contained page for the treasurer — headline figures, a stacked bar chart
/// (inline SVG) of the last 30 payment days by state with the older days of the window in weekly
/// totals, a table per creditor (name, cashed, open, discrepancies by severity) linking to its
/// folder, discrepancies by code and age, the flows with problems and what changed since the
/// previous run. Italian number and date formats (`1.234,56 €`, `29/11/2026`); the words follow
/// `[reports] language`. No script and no external asset, so it opens the same from a mail
/// attachment as from a file share.
enum SummaryPage {
    static let states = ["CASHED", "REPORTED", "PAID", "ANOMALY"]
    static let colours = ["CASHED": "#2e7d32", "REPORTED": "#1565c0", "PAID": "#f9a825", "ANOMALY": "#c62828"]
    /// Payment days shown one by one; the older days of the window are totalled by week.
    static let dailyBars = 30
    /// How far back the chart reaches, in calendar days before the as-of date.
    static let windowDays = 90

    /// A served creditor's row in the table, from the figures of its own folder.
    typealias CreditorFigures = (creditor: ServedCreditor, figures: SummaryFigures)

    /// `links`: each creditor's name leads to its own page and its fiscal code to its folder (the
    /// intermediary-wide page, which sits beside them).
    static func render(_ figures: SummaryFigures, creditors: [CreditorFigures], links: Bool, language: ReportLanguage) -> String {
        let words = Words(language: language)
        let open = (figures.discrepanciesByStatus["new"] ?? 0) + (figures.discrepanciesByStatus["open"] ?? 0)
        let date = ItalianFormat.date(figures.asOf)
        let whose = links || creditors.count != 1 ? "" : " — " + creditors[0].creditor.name
        var html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8"><title>Quadra — \(Markup.escape(date + whose))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:66em}
            .cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:.8em 1.2em;min-width:9em}
            .card b{display:block;font-size:1.6em}table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            </style></head><body>
            <h1>\(Markup.escape(words.title(date) + whose))</h1>
            <div class="cards">

            """
        for state in states {
            html += card(words.state(state), words.transfers(figures.keysByState[state] ?? 0),
                         ItalianFormat.euro(figures.centsByState[state] ?? 0))
        }
        html += card(words.t("anomalie aperte", "open discrepancies"), ItalianFormat.count(open),
                     words.t("\(figures.discrepanciesByStatus["new"] ?? 0) nuove", "\(figures.discrepanciesByStatus["new"] ?? 0) new"))
        html += "</div>\n<h2>\(words.t("Importi per giorno di pagamento", "Amounts per payment day"))</h2>\n"
            + "<p>\(Markup.escape(words.t("Gli ultimi \(dailyBars) giorni di pagamento uno per uno, i precedenti (fino a \(windowDays) giorni) per settimana.", "The last \(dailyBars) payment days one by one, the earlier ones (up to \(windowDays) days back) by week.")))</p>\n"
            + chart(figures, words)
        html += "<h2>\(words.t("Enti", "Creditors"))</h2>\n" + creditorTable(creditors, links: links, words)
        html += "<h2>\(words.t("Rispetto all'esecuzione precedente", "Since the previous run"))</h2>\n<p>"
            + Markup.escape(words.t("Anomalie nuove: \(figures.discrepanciesByStatus["new"] ?? 0); risolte: \(figures.discrepanciesByStatus["resolved"] ?? 0); aggravate (sostituite da una più grave): \(figures.discrepanciesByStatus["escalated"] ?? 0); ancora aperte: \(figures.discrepanciesByStatus["open"] ?? 0).",
                                    "\(figures.discrepanciesByStatus["new"] ?? 0) new discrepancies, \(figures.discrepanciesByStatus["resolved"] ?? 0) resolved, \(figures.discrepanciesByStatus["escalated"] ?? 0) escalated (replaced by a graver one), \(figures.discrepanciesByStatus["open"] ?? 0) still open."))
            + "</p>\n"
        /// A file's rows, then how many are new, changed and still open, and, in a full listing, how
        /// many closed before tonight.
        func listed(_ byChange: [String: Int], _ noun: (it: String, en: String)) -> String {
            let count = { ItalianFormat.count(byChange[$0] ?? 0) }
            let all = ItalianFormat.count(byChange.values.reduce(0, +))
            let closed = (byChange[""] ?? 0) > 0 ? words.t(", \(count("")) chiusi in precedenza", ", \(count("")) closed before") : ""
            return words.t("\(all) \(noun.it): \(count("new")) nuovi, \(count("changed")) cambiati, \(count("open")) ancora aperti\(closed)",
                           "\(all) \(noun.en): \(count("new")) new, \(count("changed")) changed, \(count("open")) still open\(closed)")
        }
        html += "<p>" + Markup.escape(words.t("I file di stanotte elencano ", "Tonight's files list ")
            + [listed(figures.keysByChange, ("trasferimenti", "transfers")), listed(figures.flowsByChange, ("flussi", "flows")),
               listed(figures.movementsByChange, ("movimenti di tesoreria", "treasury movements"))].joined(separator: "; ") + ".") + "</p>\n"
        if let previous = figures.previous {
            let then = ItalianFormat.date(previous.asOf)
            html += "<p>" + Markup.escape(words.t("Al \(then): \(previous.open) anomalie aperte; ora \(open) (\(signed(open - previous.open))).",
                                                  "As of \(then): \(previous.open) open discrepancies; now \(open) (\(signed(open - previous.open))).")) + "</p>\n"
        }
        html += "<h2>\(words.t("Anomalie aperte per codice", "Open discrepancies by code"))</h2>\n"
            + table([words.t("codice", "code"), words.t("numero", "count")],
                    figures.openByCode.sorted { $0.key < $1.key }.map { [.text($0.key), .number(ItalianFormat.count($0.value))] }, words)
        html += "<h2>\(words.t("Anomalie aperte per età (giorni)", "Open discrepancies by age (days)"))</h2>\n"
            + table([words.t("età", "age"), words.t("numero", "count")],
                    SummaryFigures.ageBuckets.map { [.text(words.age($0.label)), .number(ItalianFormat.count(figures.openByAge[$0.label] ?? 0))] }, words)
        html += "<h2>\(words.t("Flussi con problemi", "Flows with problems"))</h2>\n"
            + table([words.t("ente", "creditor"), words.t("flusso", "flow"), words.t("totale", "total"), words.t("accreditato", "credited"),
                     words.t("stato accredito", "credit status"), words.t("rilievi", "findings")],
                    figures.problemFlows.map { [.text($0.creditor), .text($0.flowId), .number(ItalianFormat.euro($0.totalCents)),
                                                .number(ItalianFormat.euro($0.creditedCents)), .text($0.creditStatus), .text($0.findings)] }, words)
        return html + "</body></html>\n"
    }

    /// The words of the page in the report's language.
    struct Words {
        var language: ReportLanguage

        func t(_ italian: String, _ english: String) -> String { language == .italian ? italian : english }

        func title(_ date: String) -> String { t("Riconciliazione al \(date)", "Reconciliation as of \(date)") }

        func transfers(_ count: Int) -> String { t("\(ItalianFormat.count(count)) trasferimenti", "\(ItalianFormat.count(count)) transfers") }

        func state(_ state: String) -> String {
            guard language == .italian else { return state.lowercased() }
            return ["CASHED": "incassato", "REPORTED": "rendicontato", "PAID": "pagato", "ANOMALY": "anomalia"][state] ?? state.lowercased()
        }

        func age(_ label: String) -> String { label == "over 30" ? t("oltre 30", "over 30") : label }
    }

    private enum Cell {
        case text(String)
        /// Right-aligned.
        case number(String)
        /// A link to a creditor's folder, relative to this page.
        case link(String, href: String)
    }

    /// Name, cashed and still open over the window, open discrepancies by severity.
    private static func creditorTable(_ creditors: [CreditorFigures], links: Bool, _ words: Words) -> String {
        table([words.t("ente", "creditor"), words.t("codice fiscale", "fiscal code"), words.t("incassato", "cashed"),
               words.t("aperto", "open"), words.t("errori", "errors"), words.t("avvisi", "warnings"), words.t("informazioni", "info")],
              creditors.map { creditor, figures in
                  let window = figures.windowCents
                  let name = creditor.name.isEmpty ? creditor.fiscalCode : creditor.name
                  return [links ? .link(name, href: "\(creditor.fiscalCode)/summary.html") : .text(name),
                          links ? .link(creditor.fiscalCode, href: "\(creditor.fiscalCode)/") : .text(creditor.fiscalCode),
                          .number(ItalianFormat.euro(window.cashed)), .number(ItalianFormat.euro(window.open))]
                      + ["error", "warning", "info"].map { .number(ItalianFormat.count(figures.openBySeverity[$0] ?? 0)) }
              }, words)
    }

    private static func signed(_ change: Int) -> String {
        change > 0 ? "+\(change)" : "\(change)"
    }

    private static func card(_ title: String, _ figure: String, _ detail: String) -> String {
        "<div class=\"card\">\(Markup.escape(title))<b>\(Markup.escape(figure))</b>\(Markup.escape(detail))</div>\n"
    }

    private static func table(_ header: [String], _ rows: [[Cell]], _ words: Words) -> String {
        guard !rows.isEmpty else { return "<p>\(words.t("Nessuno.", "None."))</p>\n" }
        let head = header.map { "<th>\(Markup.escape($0))</th>" }.joined()
        let body = rows.map { row in
            "<tr>" + row.map { cell in
                switch cell {
                case let .text(text): return "<td>\(Markup.escape(text))</td>"
                case let .number(text): return "<td class=\"n\">\(Markup.escape(text))</td>"
                case let .link(text, href): return "<td><a href=\"\(Markup.escape(href))\">\(Markup.escape(text))</a></td>"
                }
            }.joined() + "</tr>"
        }.joined(separator: "\n")
        return "<table><tr>\(head)</tr>\n\(body)</table>\n"
    }

    /// A bar of the chart: one payment day, or a week of older ones.
    struct Bar: Equatable {
        var label: String
        var title: String
        var centsByState: [String: Int64]
    }

    /// The last `dailyBars` payment days one by one; the older ones totalled per week (Monday first).
    static func bars(_ figures: SummaryFigures, _ words: Words) -> [Bar] {
        let days = figures.centsByPaymentDay.keys.sorted()
        let older = days.dropLast(dailyBars)
        var weeks: [(start: CivilDate, cents: [String: Int64])] = []
        for day in older {
            guard let date = CivilDate(iso: day) else { continue }
            let start = date.adding(days: -((CivilDate.daysBetween(monday, date) % 7 + 7) % 7))
            if weeks.last?.start != start { weeks.append((start, [:])) }
            for (state, cents) in figures.centsByPaymentDay[day] ?? [:] { weeks[weeks.count - 1].cents[state, default: 0] += cents }
        }
        let weekly = weeks.map { week in
            let label = ItalianFormat.date(week.start.description).prefix(5)
            return Bar(label: words.t("sett. ", "wk ") + label, title: words.t("settimana dal ", "week from ") + ItalianFormat.date(week.start.description),
                       centsByState: week.cents)
        }
        return weekly + days.suffix(dailyBars).map { day in
            Bar(label: String(ItalianFormat.date(day).prefix(5)), title: ItalianFormat.date(day), centsByState: figures.centsByPaymentDay[day] ?? [:])
        }
    }

    private static let monday = CivilDate(year: 1970, month: 1, day: 5)!

    /// Stacked bars, heights in proportion to the largest bar; labels turned so 40 bars stay legible.
    private static func chart(_ figures: SummaryFigures, _ words: Words) -> String {
        let bars = bars(figures, words)
        guard !bars.isEmpty else { return "<p>\(words.t("Nessun pagamento.", "No payments."))</p>\n" }
        let width = 960, height = 240, left = 90, bottom = 90
        let top = max(bars.map { $0.centsByState.values.reduce(0, +) }.max() ?? 1, 1)
        let slot = min((width - left) / bars.count, 60)
        let bar = max(slot * 3 / 5, 4)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height + bottom)\" role=\"img\" aria-label=\"\(words.t("importi per giorno di pagamento e stato", "amounts per payment day by state"))\">\n"
        svg += "<text x=\"0\" y=\"12\" font-size=\"11\">\(Markup.escape(ItalianFormat.euro(top)))</text><line x1=\"\(left - 4)\" y1=\"\(height)\" x2=\"\(width)\" y2=\"\(height)\" stroke=\"#888\"/>\n"
        let weeks = bars.count - min(bars.count, dailyBars)
        if weeks > 0 {
            svg += "<line x1=\"\(left + weeks * slot)\" y1=\"20\" x2=\"\(left + weeks * slot)\" y2=\"\(height)\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (index, column) in bars.enumerated() {
            let x = left + index * slot + (slot - bar) / 2
            var y = height
            for state in states {
                let cents = column.centsByState[state] ?? 0
                guard cents > 0 else { continue }
                let h = max(Int(Int64(height - 20) * cents / top), 1)
                y -= h
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(bar)\" height=\"\(h)\" fill=\"\(colours[state]!)\"><title>\(Markup.escape("\(column.title) \(words.state(state)) \(ItalianFormat.euro(cents))"))</title></rect>\n"
            }
            let middle = x + bar / 2
            svg += "<text x=\"\(middle)\" y=\"\(height + 12)\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-60 \(middle) \(height + 12))\">\(Markup.escape(column.label))</text>\n"
        }
        for (index, state) in states.enumerated() {
            let x = left + index * 140
            svg += "<rect x=\"\(x)\" y=\"\(height + bottom - 14)\" width=\"10\" height=\"10\" fill=\"\(colours[state]!)\"/><text x=\"\(x + 14)\" y=\"\(height + bottom - 5)\" font-size=\"11\">\(words.state(state))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
