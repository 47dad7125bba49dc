/// The pagoPA reference found in the remittance text ("causale", SCT attribute AT-05) of a credit.
public enum CausaleReference: Sendable, Equatable {
    /// A cumulative credit of a reporting flow (LGPE-RIVERSAMENTO) or a top-up of one (LGPE-INTEGRAZIONE).
    case flow(id: String, integration: Bool)
    /// A single-payment credit: /RFS/<IUV>/<amount> or /RFB/<IUV>[/<amount>][/TXT/...]; amount in Int64 euro cents.
    case payment(iuv: String, amountCents: Int64?)
    case unparseable
}

/// Extracts the pagoPA reference from a treasury causale, tolerating the way banks mangle it.
///
/// The AgID forms are `/PUR/LGPE-RIVERSAMENTO[/TXT/<n>]/URI/<flow id>`,
/// `/PUR/LGPE-INTEGRAZIONE/URI/<flow id>`, `/RFS/<IUV>/<amount>` and
/// `/RFB/<IUV>[/<amount>][/TXT/<text>]`. Treasuries reprint them with prefixes, lower case,
/// spaces for slashes and line-wrapping spaces, so the parser works as follows:
///
/// - Keywords (`LGPE`, `RIVERSAMENTO`, `INTEGRAZIONE`, `TXT`, `URI`) match case-insensitively and
///   may contain spaces between their letters (`L GPE`). Between keywords any run of `/`, `-`,
///   `.`, `:` or whitespace is a separator; `/PUR/` and `URI` are optional, `/TXT/` must be
///   followed by one digit.
/// - The flow id is the run of `[A-Za-z0-9_-]` after the keywords. It ends at any other
///   character (so `/TXT/...`, `/ZZ4/...` or `:SEC:` trailers are cut off). A whitespace gap is
///   treated as a wrapping artefact and the next run is glued on, but only when that run contains
///   a digit, `-` or `_` (plain words such as `ACCREDITO`, `TXT`, `COMUNE` are trailing text) and
///   the result stays within 35 characters. Real ids end in a numeric unique part, so a wrapped
///   fragment practically always carries a digit or a hyphen.
/// - The id is accepted only if it is at most 35 characters long and starts with a valid
///   `YYYY-MM-DD` date; it keeps the case it was printed in. Truncation after the date cannot be
///   detected here and yields the truncated id.
/// - If an LGPE marker is present, only a flow reference can be returned: when no marker yields
///   a valid id the answer is `.unparseable`, even if an `RFB` appears elsewhere.
/// - `RFS`/`RFB` must stand as a word (start of text or after a non-alphanumeric character) and
///   be followed by `/` or whitespace; the IUV is the next run of `[A-Za-z0-9]` (1...35 characters,
///   at least one digit, so a word like `TXT` is never taken for an IUV) ending at `/`, whitespace
///   or the end. The amount is the following token if it is a decimal (`150`, `150.00`, `150,5`);
///   anything else — absent, free text, more than two decimals, thousands separators, above the
///   pagoPA maximum of 999,999,999.99 — gives a nil amount but keeps the IUV, since the IUV alone
///   still identifies the payment (also for `RFS`).
public enum CausaleParser {
    public static func parse(_ text: String) -> CausaleReference {
        let causale = CausaleText(text)
        let markers = causale.lgpeMarkers()
        if !markers.isEmpty {
            for marker in markers {
                if let reference = causale.flow(afterMarkerEndingAt: marker) { return reference }
            }
            return .unparseable
        }
        return causale.payment() ?? .unparseable
    }
}

/// Byte-level view of a causale. Everything the grammar needs is ASCII, so each Unicode scalar
/// becomes one byte: ASCII as is, any Unicode whitespace as a space, anything else as 0, which
/// matches no character class. This keeps indexing O(1) and immune to grapheme clustering.
private struct CausaleText {
    private static let maxIdLength = 35
    private static let maxIUVLength = 35
    /// pagoPA amounts stop at 999,999,999.99 € (`stAmount`), so more significant euro digits are
    /// not an amount; this also keeps the cents far from Int64 overflow.
    private static let maxEuroDigits = 9
    /// Bound on the amount token scan, generous enough for zero-padded amounts.
    private static let maxAmountLength = 24

    /// The text as printed (case preserved), used to copy out ids and IUVs.
    private let printed: [UInt8]
    /// The same bytes with ASCII letters upper-cased, used to match keywords.
    private let upper: [UInt8]

    init(_ text: String) {
        var printed: [UInt8] = []
        printed.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                printed.append(Byte.space)
            } else if scalar.isASCII {
                printed.append(UInt8(scalar.value))
            } else {
                printed.append(0)
            }
        }
        self.printed = printed
        self.upper = printed.map { Byte.isLowerLetter($0) ? $0 - 32 : $0 }
    }

    // MARK: - Flow references

    /// End positions of every `LGPE` keyword that starts a word.
    func lgpeMarkers() -> [Int] {
        upper.indices.compactMap { index in
            guard upper[index] == UInt8(ascii: "L"), index == 0 || !Byte.isAlphanumeric(upper[index - 1]) else {
                return nil
            }
            return matchKeyword("LGPE", at: index)
        }
    }

    /// Parses `[sep] RIVERSAMENTO|INTEGRAZIONE sep [TXT sep <digit> sep] [URI sep] <id>`.
    func flow(afterMarkerEndingAt markerEnd: Int) -> CausaleReference? {
        let kindStart = skipSeparators(from: markerEnd)
        let integration: Bool
        var position: Int
        if let end = matchKeyword("RIVERSAMENTO", at: kindStart) {
            integration = false
            position = end
        } else if let end = matchKeyword("INTEGRAZIONE", at: kindStart) {
            integration = true
            position = end
        } else {
            return nil
        }
        guard let afterKind = requireSeparator(after: position) else { return nil }
        position = afterKind
        if let txtEnd = matchKeyword("TXT", at: position) {
            guard let digitAt = requireSeparator(after: txtEnd), digitAt < upper.count,
                  Byte.isDigit(upper[digitAt]),
                  let afterDigit = requireSeparator(after: digitAt + 1) else { return nil }
            position = afterDigit
        }
        if let uriEnd = matchKeyword("URI", at: position), let afterURI = requireSeparator(after: uriEnd) {
            position = afterURI
        }
        guard let id = flowId(at: position) else { return nil }
        return .flow(id: id, integration: integration)
    }

    /// Reads the flow id at `start`, gluing wrapped fragments as documented on `CausaleParser`.
    private func flowId(at start: Int) -> String? {
        var id = idRun(from: start)
        var position = start + id.count
        while id.count <= Self.maxIdLength {
            let fragmentStart = skipSpaces(from: position)
            guard fragmentStart > position else { break }
            let fragment = idRun(from: fragmentStart)
            guard fragment.contains(where: { !Byte.isLetter($0) }),
                  id.count + fragment.count <= Self.maxIdLength else { break }
            id += fragment
            position = fragmentStart + fragment.count
        }
        guard id.count <= Self.maxIdLength,
              CivilDate(iso: String(decoding: id.prefix(10), as: UTF8.self)) != nil else { return nil }
        return String(decoding: id, as: UTF8.self)
    }

    /// The run of flow-id characters at `start`, as printed; stops one past the maximum length so
    /// over-long ids are detected without scanning arbitrarily far.
    private func idRun(from start: Int) -> ArraySlice<UInt8> {
        var end = start
        while end < printed.count, end - start <= Self.maxIdLength, Byte.isIdCharacter(printed[end]) {
            end += 1
        }
        return printed[start..<end]
    }

    // MARK: - Single-payment references

    /// The first `RFS`/`RFB` occurrence that is followed by a plausible IUV.
    func payment() -> CausaleReference? {
        for index in upper.indices where index + 3 < upper.count {
            guard upper[index] == UInt8(ascii: "R"), upper[index + 1] == UInt8(ascii: "F"),
                  upper[index + 2] == UInt8(ascii: "S") || upper[index + 2] == UInt8(ascii: "B"),
                  index == 0 || !Byte.isAlphanumeric(upper[index - 1]),
                  Byte.isPaymentSeparator(upper[index + 3]) else { continue }
            let iuvStart = skipPaymentSeparators(from: index + 3)
            var iuvEnd = iuvStart
            while iuvEnd < printed.count, iuvEnd - iuvStart <= Self.maxIUVLength, Byte.isAlphanumeric(printed[iuvEnd]) {
                iuvEnd += 1
            }
            let iuv = printed[iuvStart..<iuvEnd]
            guard (1...Self.maxIUVLength).contains(iuv.count), iuv.contains(where: Byte.isDigit),
                  isPaymentTokenEnd(iuvEnd) else { continue }
            return .payment(iuv: String(decoding: iuv, as: UTF8.self), amountCents: amount(at: iuvEnd))
        }
        return nil
    }

    /// The amount token after the IUV, in cents, or nil when there is no well-formed amount.
    private func amount(at iuvEnd: Int) -> Int64? {
        let start = skipPaymentSeparators(from: iuvEnd)
        guard start > iuvEnd else { return nil }
        var end = start
        while end < upper.count, end - start <= Self.maxAmountLength, Byte.isAmountCharacter(upper[end]) {
            end += 1
        }
        guard isPaymentTokenEnd(end) else { return nil }
        return Self.cents(upper[start..<end])
    }

    /// Exact conversion of `150`, `150.00`, `150,5` to cents on integers: one decimal separator
    /// at most, one or two decimals, at most `maxEuroDigits` euro digits after leading zeros.
    private static func cents(_ token: ArraySlice<UInt8>) -> Int64? {
        let parts = token.split(omittingEmptySubsequences: false) {
            $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",")
        }
        guard let euros = parts.first, !euros.isEmpty, parts.count <= 2,
              euros.drop(while: { $0 == UInt8(ascii: "0") }).count <= maxEuroDigits else { return nil }
        var fraction: ArraySlice<UInt8> = []
        if parts.count == 2 {
            fraction = parts[1]
            guard (1...2).contains(fraction.count) else { return nil }
        }
        var cents: Int64 = 0
        for digit in euros { cents = cents * 10 + Int64(digit - UInt8(ascii: "0")) }
        let paddedFraction = Array(fraction) + Array(repeating: UInt8(ascii: "0"), count: 2 - fraction.count)
        for digit in paddedFraction { cents = cents * 10 + Int64(digit - UInt8(ascii: "0")) }
        return cents
    }

    private func isPaymentTokenEnd(_ index: Int) -> Bool {
        index == upper.count || Byte.isPaymentSeparator(upper[index])
    }

    // MARK: - Scanning helpers

    /// End of `keyword` (upper-case ASCII) at `start`, allowing spaces between its letters.
    private func matchKeyword(_ keyword: String, at start: Int) -> Int? {
        var position = start
        var first = true
        for letter in keyword.utf8 {
            if !first { position = skipSpaces(from: position) }
            first = false
            guard position < upper.count, upper[position] == letter else { return nil }
            position += 1
        }
        return position
    }

    /// Position after a mandatory separator run following `end`, nil if there is none.
    private func requireSeparator(after end: Int) -> Int? {
        let next = skipSeparators(from: end)
        return next > end ? next : nil
    }

    private func skipSeparators(from start: Int) -> Int {
        skip(from: start, while: Byte.isSeparator)
    }

    private func skipPaymentSeparators(from start: Int) -> Int {
        skip(from: start, while: Byte.isPaymentSeparator)
    }

    private func skipSpaces(from start: Int) -> Int {
        skip(from: start) { $0 == Byte.space }
    }

    private func skip(from start: Int, while predicate: (UInt8) -> Bool) -> Int {
        var position = start
        while position < upper.count, predicate(upper[position]) { position += 1 }
        return position
    }
}

/// ASCII character classes used by the causale grammar.
private enum Byte {
    static let space = UInt8(ascii: " ")

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    static func isLowerLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }

    static func isLetter(_ byte: UInt8) -> Bool {
        isLowerLetter(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }

    static func isIdCharacter(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// Separators between flow keywords: the official `/` plus what treasuries substitute for it.
    static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == space || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    /// Separators between RFS/RFB fields; `.` and `,` are excluded because amounts use them.
    static func isPaymentSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == space
    }

    static func isAmountCharacter(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")
    }
}
