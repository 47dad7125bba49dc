import Foundation
import Testing
@testable import QuadraKit

/// `summary.html` for a month: the chart's bars, Italian formats, and the page as headless Chromium
/// draws it (`.ci/run` installs Debian's `chromium`).
@Suite struct SummaryPageTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func theLast30PaymentDaysStandAloneAndOlderOnesGoByWeek() {
        var figures = SummaryFigures(asOf: "2026-11-29")
        var total: Int64 = 0
        // 45 payment days: 2026-10-16 (a Friday) to 2026-11-29, one euro more each day.
        for offset in 0..<45 {
            let day = CivilDate(iso: "2026-10-16")!.adding(days: offset)
            figures.addPaymentDay(["80000000002", day.description, "CASHED", "\(100 * (offset + 1))"])
            total += Int64(100 * (offset + 1))
        }
        let bars = SummaryPage.bars(figures, SummaryPage.Words(language: .italian))
        #expect(bars.count == 30 + 3, "15 older days: the weeks from 12/10, 19/10 and 26/10")
        #expect(bars.prefix(3).map(\.label) == ["sett. 12/10", "sett. 19/10", "sett. 26/10"])
        #expect(bars[0].centsByState == ["CASHED": 600], "16, 17 and 18 October")
        #expect(bars[3].label == "31/10" && bars.last?.label == "29/11" && bars.last?.title == "29/11/2026")
        #expect(bars.reduce(Int64(0)) { $0 + ($1.centsByState["CASHED"] ?? 0) } == total, "every cent in some bar")
    }

    @Test func amountsAndDatesAreWrittenTheItalianWay() {
        #expect(ItalianFormat.euro(123_456_789) == "1.234.567,89 €")
        #expect(ItalianFormat.euro(-5) == "-0,05 €" && ItalianFormat.euro(100_000) == "1.000,00 €")
        #expect(ItalianFormat.date("2026-11-29") == "29/11/2026" && ItalianFormat.date("2026-11") == "2026-11")
        #expect(ItalianFormat.count(1_234_567) == "1.234.567" && ItalianFormat.count(999) == "999")
    }

    @Test(.enabled(if: chromium != nil, "chromium is missing (.ci/run installs it)"))
    func headlessChromiumDrawsThePage() throws {
        let (_, out) = try CreditorFolderTests.sampleNight()
        let page = out.appendingPathComponent("\(CreditorFolderTests.day)/summary.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("Comune di Esempio") && html.contains("600,00 €") && html.contains("20/11/2026"))
        let folder = try TestSupport.scratchFolder()
        let png = folder.appendingPathComponent("summary.png")
        _ = try ReportFiles.execute(URL(fileURLWithPath: Self.chromium!), [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
            "--proxy-server=127.0.0.1:9", "--window-size=1200,900", "--screenshot=\(png.path)", page.absoluteString,
        ])
        // The PNG decoded by python3 alone: its size and how many distinct colours its pixels use.
        let script = """
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            pos, chunks = 8, {}
            while pos < len(data):
                size, kind = struct.unpack('>I4s', data[pos:pos + 8])
                chunks.setdefault(kind, b'')
                chunks[kind] += data[pos + 8:pos + 8 + size]
                pos += 12 + size
            width, height, depth, colour = struct.unpack('>IIBB', chunks[b'IHDR'][:10])
            channels = {2: 3, 6: 4}[colour]
            raw, stride, colours, previous, offset = zlib.decompress(chunks[b'IDAT']), width * channels, set(), bytearray(width * channels), 0
            for y in range(height):
                kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
                offset += 1 + stride
                for i in range(stride):
                    left = line[i - channels] if i >= channels else 0
                    up, corner = previous[i], previous[i - channels] if i >= channels else 0
                    if kind == 1: line[i] = (line[i] + left) & 255
                    elif kind == 2: line[i] = (line[i] + up) & 255
                    elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
                    elif kind == 4:
                        p = left + up - corner
                        pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                        line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
                previous = line
                if y % 4 == 0:
                    colours.update(bytes(line[x:x + 3]) for x in range(0, stride, channels * 4))
            print(width, height, len(colours), int(b'\\x2e\\x7d\\x32' in colours))
            """
        let python = try ReportFiles.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, png.path])
        let figures = python.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(python.status == 0, "\(python.stderr)")
        #expect(figures.count == 4 && figures[0] == 1200 && figures[1] == 900, "the window's size")
        #expect(figures.count == 4 && figures[2] > 20, "text, bars and table: many colours, not a blank page")
        #expect(figures.count == 4 && figures[3] == 1, "the cashed bars' green is drawn")
    }
}
