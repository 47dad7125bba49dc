/// A strict pass over a JSON document before it is decoded, refusing what Foundation's decoder
/// would accept silently or pay for dearly:
///
/// - a key given twice in one object (the decoder keeps one of them: a second `organizationFiscalCode`
///   must not quietly decide whose money a position is);
/// - `null` as an element of an array (no pagoPA format has one, and a file of a million `null`s
///   cost the decoder 800 MB);
/// - a number with an exponent past ±20 (`1e300` is no amount: Foundation's `Decimal` gives up on it
///   with no reason worth showing);
/// - nesting deeper than 32, a string longer than 1 MiB, and any syntax error, named by its place
///   (`paymentPositions[3].iupd`) or byte offset.
///
/// ```swift
/// if let problem = JSONValidator.problem(in: bytes) { throw problem }
/// ```
enum JSONValidator {
    static let maximumDepth = 32
    static let maximumString = 1 << 20

    static func problem(in bytes: [UInt8]) -> DocumentRejection? {
        var scanner = Scanner(bytes: bytes)
        do {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            guard scanner.index == bytes.count else { throw scanner.failure("text after the JSON value") }
            return nil
        } catch let rejection as DocumentRejection {
            return rejection
        } catch {
            return DocumentRejection(reason: "\(error)")
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        /// Keys and array indices from the root to the value being read, for messages.
        var path: [String] = []

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        func failure(_ reason: String) -> DocumentRejection {
            let place = path.reduce("") { $0.isEmpty || $1.hasPrefix("[") ? $0 + $1 : $0 + "." + $1 }
            return DocumentRejection(element: place.isEmpty ? nil : place, reason: "not valid JSON: \(reason) (byte \(index))")
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func value(depth: Int) throws {
            guard depth <= JSONValidator.maximumDepth else { throw failure("nested deeper than \(JSONValidator.maximumDepth)") }
            guard index < bytes.count else { throw failure("the document ends where a value should be") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        private mutating func object(depth: Int) throws {
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            var keys = Set<[UInt8]>()
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("a key should be here") }
                let key = try string()
                let name = String(decoding: key, as: UTF8.self)
                guard keys.insert(key).inserted else {
                    path.append(name)
                    throw failure("the key \"\(name)\" appears twice in one object")
                }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("':' should follow a key") }
                index += 1
                skipSpace()
                path.append(name)
                try value(depth: depth + 1)
                path.removeLast()
                skipSpace()
                guard index < bytes.count else { throw failure("the document ends inside an object") }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return
                }
                guard bytes[index] == UInt8(ascii: ",") else { throw failure("',' or '}' should be here") }
                index += 1
            }
        }

        private mutating func array(depth: Int) throws {
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            var count = 0
            while true {
                skipSpace()
                path.append("[\(count)]")
                if index < bytes.count, bytes[index] == UInt8(ascii: "n") { throw failure("null is not an element any of these formats allows") }
                try value(depth: depth + 1)
                path.removeLast()
                count += 1
                skipSpace()
                guard index < bytes.count else { throw failure("the document ends inside an array") }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return
                }
                guard bytes[index] == UInt8(ascii: ",") else { throw failure("',' or ']' should be here") }
                index += 1
            }
        }

        /// The string's raw bytes between its quotes (escapes checked, not decoded: enough to compare keys).
        private mutating func string() throws -> [UInt8] {
            index += 1
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let raw = Array(bytes[start..<index])
                    index += 1
                    return raw
                }
                guard byte >= 0x20 else { throw failure("a control character inside a string") }
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    guard index < bytes.count else { break }
                    switch bytes[index] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    case UInt8(ascii: "u"):
                        guard index + 4 < bytes.count, bytes[(index + 1)...(index + 4)].allSatisfy(Self.isHex) else {
                            throw failure("a \\u escape needs four hex digits")
                        }
                        index += 4
                    default:
                        throw failure("an unknown escape inside a string")
                    }
                }
                index += 1
                guard index - start <= JSONValidator.maximumString else {
                    throw failure("a string longer than \(JSONValidator.maximumString) bytes")
                }
            }
            throw failure("the document ends inside a string")
        }

        private mutating func literal(_ word: StaticString) throws {
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard index + expected.count <= bytes.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
                throw failure("an unknown word")
            }
            index += expected.count
        }

        private mutating func number() throws {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let integer = digits()
            guard integer > 0, integer == 1 || bytes[index - integer] != UInt8(ascii: "0") else { throw failure("not a number") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw failure("a number needs digits after its '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let exponent = digits()
                guard exponent > 0 else { throw failure("a number needs digits in its exponent") }
                guard let power = Int(String(decoding: bytes[(index - exponent)..<index], as: UTF8.self)), power <= 20 else {
                    throw failure("\(String(decoding: bytes[start..<index], as: UTF8.self)) has an exponent past ±20: no amount, count or date of these formats is that large or small")
                }
            }
            guard index - start <= 64 else { throw failure("a number of more than 64 characters") }
        }

        private mutating func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }

        private static func isHex(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
    }
}
