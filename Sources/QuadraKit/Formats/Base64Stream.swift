/// Decodes base64 arriving in pieces (the text of an element, line-wrapped or not), so that a flow
/// wrapped in `xmlRendicontazione` is never held whole.
struct Base64Stream {
    private var quantum: [UInt8] = []
    private var finished = false

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Decodes what `text` completes, handing the bytes to `body`; white space is skipped.
    mutating func decode(_ text: UnsafeRawBufferPointer, _ body: ([UInt8]) throws -> Void) throws {
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4 + 3)
        for byte in text {
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { continue }
            guard !finished else { throw DocumentRejection(reason: "base64 content continues after its padding") }
            quantum.append(byte)
            guard quantum.count == 4 else { continue }
            try flush(into: &output)
        }
        if !output.isEmpty { try body(output) }
    }

    /// Confirms the text ended on a whole quantum.
    func finish() throws {
        guard quantum.isEmpty else { throw DocumentRejection(reason: "base64 content is truncated") }
    }

    private mutating func flush(into output: inout [UInt8]) throws {
        defer { quantum.removeAll(keepingCapacity: true) }
        let padding = quantum[3] == UInt8(ascii: "=") ? (quantum[2] == UInt8(ascii: "=") ? 2 : 1) : 0
        var bits: UInt32 = 0
        for (index, byte) in quantum.enumerated() {
            let value: UInt8
            if index >= 4 - padding {
                value = 0
            } else {
                value = Self.values[Int(byte)]
                guard value != 0xFF else { throw DocumentRejection(reason: "'\(Character(UnicodeScalar(byte)))' is not base64") }
            }
            bits = bits << 6 | UInt32(value)
        }
        output.append(UInt8(bits >> 16 & 0xFF))
        if padding < 2 { output.append(UInt8(bits >> 8 & 0xFF)) }
        if padding < 1 { output.append(UInt8(bits & 0xFF)) }
        if padding > 0 { finished = true }
    }
}
