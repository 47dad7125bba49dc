/// A one-page A4 PDF 1.4 written object by object: no library, no font file, no clock. The standard
/// Helvetica fonts every reader has, in WinAnsiEncoding so Italian accents (and €) are single bytes a
/// text extractor maps back; the cross-reference table gives each object's exact byte offset. The
/// same lines always give the same bytes.
///
/// ```swift
/// var page = OnePagePDF(title: "Attestazione")
/// page.add("Attestazione di pagamento", bold: true, size: 16, gapBefore: 0)
/// page.add("IUV", value: "01261010000041774")
/// let bytes = page.bytes()
/// ```
struct OnePagePDF {
    static let pageWidth = 595.0, pageHeight = 842.0, margin = 50.0
    /// Where a field's value starts.
    static let valueColumn = 200.0

    let title: String
    /// Every font size and gap times this: a page whose lines do not fit is drawn again smaller.
    let scale: Double
    private var content = ""
    private var y = pageHeight - margin
    /// A line fell past the page's foot and was not drawn.
    private(set) var overflowed = false

    init(title: String, scale: Double = 1) {
        self.title = title
        self.scale = scale
    }

    /// A line of text, wrapped to the page's width; past the page's foot nothing more is drawn.
    mutating func add(_ text: String, bold: Bool, size: Double, indent: Double = 0, gapBefore: Double) {
        let size = size * scale
        y -= gapBefore * scale
        for line in Self.wrap(text, width: Self.pageWidth - 2 * Self.margin - indent, size: size) {
            draw(line, x: Self.margin + indent, bold: bold, size: size)
            y -= size * 1.35
        }
    }

    /// A label in bold on the left and its value, wrapped, in the value column.
    mutating func add(_ label: String, value: String) {
        let size = 9.5 * scale
        let labels = Self.wrap(label, width: Self.valueColumn - Self.margin - 6, size: size)
        let values = Self.wrap(value, width: Self.pageWidth - Self.margin - Self.valueColumn, size: size)
        for row in 0..<max(labels.count, values.count) {
            if row < labels.count { draw(labels[row], x: Self.margin, bold: true, size: size) }
            if row < values.count { draw(values[row], x: Self.valueColumn, bold: false, size: size) }
            y -= size * 1.35
        }
    }

    private mutating func draw(_ text: String, x: Double, bold: Bool, size: Double) {
        guard y > Self.margin / 2 else {
            overflowed = true
            return
        }
        content += "BT /\(bold ? "F2" : "F1") \(Self.number(size)) Tf \(Self.number(x)) \(Self.number(y)) Td (\(Self.literal(text))) Tj ET\n"
    }

    /// The file: header, seven objects, the cross-reference table with their offsets, the trailer.
    func bytes() -> [UInt8] {
        let stream = Array(content.utf8)
        let objects: [[UInt8]] = [
            Array("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array("""
                << /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Self.number(Self.pageWidth)) \(Self.number(Self.pageHeight))] \
                /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>
                """.utf8),
            Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8),
            Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".utf8),
            Array("<< /Length \(stream.count) >>\nstream\n".utf8) + stream + Array("endstream".utf8),
            Array("<< /Title (\(Self.literal(title))) /Producer (Quadra \(Self.literal(QuadraVersion.current))) >>".utf8),
        ]
        // The second line's bytes above 127 tell transfer tools the file is binary.
        var out: [UInt8] = Array("%PDF-1.4\n".utf8) + [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + object + Array("\nendobj\n".utf8)
        }
        let table = out.count
        var xref = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { xref += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        xref += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 7 0 R >>\nstartxref\n\(table)\n%%EOF\n"
        return out + Array(xref.utf8)
    }

    /// Splits on spaces to fit `width` at `size`, judging Helvetica's glyphs at 0.55 em on average
    /// (wide enough for digits and capitals); a word longer than a line is cut.
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        let limit = max(8, Int(width / (size * 0.55)))
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = Substring(word)
            while word.count > limit {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(limit)))
                word = word.dropFirst(limit)
            }
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= limit {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        return lines + [current]
    }

    /// A PDF literal string in WinAnsiEncoding, kept ASCII: parentheses and backslash escaped, other
    /// bytes as octal escapes; a character WinAnsi lacks becomes `?`.
    static func literal(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let byte = winAnsi(scalar)
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"): out += "\\" + String(UnicodeScalar(byte))
            case 0x20...0x7E: out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out
    }

    private static let windows1252: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x201E: 0x84, 0x2026: 0x85, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94,
        0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x2122: 0x99,
    ]

    private static func winAnsi(_ scalar: Unicode.Scalar) -> UInt8 {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xFF: return UInt8(scalar.value)
        default: return windows1252[scalar.value] ?? UInt8(ascii: "?")
        }
    }

    /// A coordinate or size with at most two decimals, the same on every machine.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100, fraction = abs(hundredths % 100)
        guard fraction != 0 else { return "\(whole)" }
        return "\(whole)." + (fraction < 10 ? "0\(fraction)" : (fraction % 10 == 0 ? "\(fraction / 10)" : "\(fraction)"))
    }
}
