import Foundation

/// Watches the bytes going to libxml2 for a start tag longer than `maximum`.
///
/// libxml2 2.9 checks each attribute of a start tag against every one before it: a 3.4 MB tag of
/// 300,000 attributes took 28 s of CPU, and one filling the 128 MiB a document may have would hold
/// a night for days. No element of these formats has a start tag near 64 KiB (namespace
/// declarations make the longest, under 1 KiB), so a longer one is refused before libxml2 parses it.
/// Text is skipped with `memchr` to the next `<`; only the bytes of tags are looked at one by one.
/// The bytes are read as ASCII, which holds for UTF-8 and the other encodings XML declares in one
/// byte per ASCII character; in UTF-16 or UTF-32 a character like `ľ` (3E 01) reads as `>`, so a
/// document whose first bytes hold a zero is refused (every format Quadra reads is UTF-8).
struct StartTagLimit {
    static let maximum = 64 << 10

    enum Verdict {
        case admitted, tagTooLong, notSingleByte
    }

    private enum State {
        case text
        /// Just after `<`: an element's tag, or a comment, CDATA section or processing instruction.
        case opened
        case tag(length: Int, quote: UInt8?)
        /// `<!…>` or `<?…>`, whose quotes are prose (an apostrophe in a comment): not counted.
        case markup
    }

    private var state = State.text
    /// How many of the document's first four bytes have been seen.
    private var seen = 0

    mutating func check(_ chunk: UnsafeRawBufferPointer) -> Verdict {
        let head = chunk.prefix(max(0, 4 - seen))
        seen += head.count
        if head.contains(0) { return .notSingleByte }
        return admits(chunk) ? .admitted : .tagTooLong
    }

    /// False once a start tag has run past `maximum`.
    private mutating func admits(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard let base = chunk.baseAddress else { return true }
        var index = 0
        while index < chunk.count {
            switch state {
            case .text:
                guard let found = memchr(base + index, 0x3C, chunk.count - index) else { return true }
                index = base.distance(to: UnsafeRawPointer(found)) + 1
                state = .opened
            case .opened:
                state = chunk[index] == 0x21 || chunk[index] == 0x3F ? .markup : .tag(length: 1, quote: nil)
                index += 1
            case .markup:
                guard let found = memchr(base + index, 0x3E, chunk.count - index) else { return true }
                index = base.distance(to: UnsafeRawPointer(found)) + 1
                state = .text
            case var .tag(length, quote):
                while index < chunk.count {
                    let byte = chunk[index]
                    index += 1
                    length += 1
                    if let open = quote {
                        if byte == open { quote = nil }
                    } else if byte == 0x22 || byte == 0x27 {
                        quote = byte
                    } else if byte == 0x3E {
                        break
                    }
                }
                guard length <= Self.maximum else { return false }
                let closed = quote == nil && chunk[index - 1] == 0x3E
                state = closed ? .text : .tag(length: length, quote: quote)
            }
        }
        return true
    }
}
