/// The top-level keys of a JSON document (or of its first element, for a top-level array), found
/// by one pass over the bytes that skips nested values: enough to tell a document's kind without
/// decoding it.
enum JSONShape {
    struct Keys {
        var isArray: Bool
        var keys: Set<String>
    }

    static func topLevelKeys(_ bytes: [UInt8]) -> Keys? {
        var index = 0
        func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }
        skipSpace()
        guard index < bytes.count else { return nil }
        var isArray = false
        if bytes[index] == UInt8(ascii: "[") {
            isArray = true
            index += 1
            skipSpace()
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            return isArray ? Keys(isArray: true, keys: []) : nil
        }
        index += 1
        var keys = Set<String>()
        var nesting = 0
        var expectingKey = true
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if nesting == 0 && expectingKey {
                    keys.insert(String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self))
                    expectingKey = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                nesting += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if nesting == 0 { return Keys(isArray: isArray, keys: keys) }
                nesting -= 1
            case UInt8(ascii: ","):
                if nesting == 0 { expectingKey = true }
            default:
                break
            }
            index += 1
        }
        return Keys(isArray: isArray, keys: keys)
    }
}
