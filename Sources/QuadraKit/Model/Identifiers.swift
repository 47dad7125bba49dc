/// Fiscal code of an organisation (codice fiscale numerico, same check as the partita IVA).
/// Creditor bodies (EC) are always organisations, so the 16-character personal code is out of scope.
public enum FiscalCode {
    /// The shape the formats require (`stFiscalCodePA`: 11 digits), without the check digit:
    /// pagoPA's own fixtures often fail it, and a receipt cannot be refused for it.
    public static func hasOrganizationShape(_ s: String) -> Bool {
        s.utf8.count == 11 && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// True for exactly 11 ASCII digits whose last digit is the check digit: digits in odd
    /// positions are summed, digits in even positions are doubled (minus 9 when above 9) and added,
    /// check = (10 - sum % 10) % 10. Catches every single-digit typo and most transpositions.
    public static func isValidOrganization(_ s: String) -> Bool {
        guard let digits = asciiDigits(s), digits.count == 11 else { return false }
        var sum = 0
        for (index, digit) in digits.prefix(10).enumerated() {
            if index % 2 == 0 {
                sum += digit
            } else {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            }
        }
        return (10 - sum % 10) % 10 == digits[10]
    }
}

/// International Bank Account Number (ISO 13616), the key of every pagoPA transfer to a body.
public enum IBAN {
    /// Electronic form: whitespace removed and upper case, as IBANs are printed in groups of four
    /// and typed in either case; comparisons between IBANs should use this form.
    public static func normalized(_ s: String) -> String {
        // Most IBANs arrive already normalised; reconciliation asks once per key.
        if s.utf8.allSatisfy({ isDigit($0) || isUpperLetter($0) }) { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.filter { !$0.properties.isWhitespace })).uppercased()
    }

    /// The shape pagoPA's schemas give an IBAN (`stIBANIdentifier`: two letters, two digits, 1 to
    /// 30 letters or digits), without the check digits: a receipt carries the IBAN as the creditor
    /// declared it, and reconciliation, not ingestion, judges whose account it is.
    public static func hasSchemaShape(_ s: String) -> Bool {
        let chars = Array(s.utf8)
        return (5...34).contains(chars.count) && isLetter(chars[0]) && isLetter(chars[1]) && isDigit(chars[2]) && isDigit(chars[3])
            && chars[4...].allSatisfy { isDigit($0) || isLetter($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        isUpperLetter(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }

    /// Checks the normalised IBAN: country code with its registered length, two check digits,
    /// alphanumeric BBAN and the ISO 7064 mod-97 remainder of 1. Countries outside the table
    /// (the SEPA area, where pagoPA credits can land) are rejected rather than guessed.
    public static func isValid(_ s: String) -> Bool {
        let chars = Array(normalized(s).utf8)
        guard chars.count >= 5, isUpperLetter(chars[0]), isUpperLetter(chars[1]),
              isDigit(chars[2]), isDigit(chars[3]),
              let expectedLength = lengthByCountry[String(decoding: chars[0..<2], as: UTF8.self)],
              chars.count == expectedLength,
              chars[4...].allSatisfy({ isDigit($0) || isUpperLetter($0) }) else { return false }
        // Move the first four characters to the end, read letters as 10...35, and reduce modulo 97
        // one digit (or letter) at a time so the 30-plus-digit number never has to be materialised.
        var remainder = 0
        for byte in chars[4...] + chars[..<4] {
            if isDigit(byte) {
                remainder = (remainder * 10 + Int(byte - UInt8(ascii: "0"))) % 97
            } else {
                remainder = (remainder * 100 + Int(byte - UInt8(ascii: "A")) + 10) % 97
            }
        }
        return remainder == 1
    }

    /// IBAN lengths from the SWIFT IBAN registry for the SEPA scheme countries.
    private static let lengthByCountry: [String: Int] = [
        "AD": 24, "AL": 28, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
        "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21,
        "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
        "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
        "RS": 22, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
    ]

    private static func isUpperLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}

/// pagoPA notice number (NAV, "numero avviso"): 18 digits = aux digit + optional code + IUV.
public enum NoticeNumber {
    /// The IUV (`creditorReferenceId`) inside a NAV, which is what receipts and flows carry.
    /// Aux 0 drops the aux digit and the 2-digit application code (15-digit IUV); aux 1, 2 and 3
    /// drop only the aux digit (17-digit IUV; for aux 3 the segregation code is part of the IUV).
    /// Nil unless `nav` is exactly 18 ASCII digits with a known aux digit.
    public static func iuv(fromNAV nav: String) -> String? {
        guard let digits = asciiDigits(nav), digits.count == 18 else { return nil }
        switch digits[0] {
        case 0: return String(nav.dropFirst(3))
        case 1, 2, 3: return String(nav.dropFirst(1))
        default: return nil
        }
    }

    /// For aux 0, 2 and 3: the first 16 digits as an integer, modulo 93, equal the last two.
    /// Aux 1 (legacy codes) carries no check digit, so the answer is false, as for malformed NAVs;
    /// callers that warn on failure should skip aux 1. Many test fixtures fail this check, so a
    /// failure is a warning, not a reason to reject a payment.
    public static func hasValidCheckDigit(_ nav: String) -> Bool {
        guard let digits = asciiDigits(nav), digits.count == 18, [0, 2, 3].contains(digits[0]) else {
            return false
        }
        // 16 digits are below 10^16, far inside Int64.
        let body = digits.prefix(16).reduce(Int64(0)) { $0 * 10 + Int64($1) }
        return Int(body % 93) == digits[16] * 10 + digits[17]
    }
}

private func isDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
}

/// Digit values of a string made only of ASCII digits, nil otherwise (so "١٢" or "12 3" fail).
private func asciiDigits(_ s: String) -> [Int]? {
    var digits: [Int] = []
    for byte in s.utf8 {
        guard isDigit(byte) else { return nil }
        digits.append(Int(byte - UInt8(ascii: "0")))
    }
    return digits
}
