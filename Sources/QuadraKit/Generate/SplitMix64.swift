/// A seeded generator (splitmix64): the data generator and property-style tests draw the same
/// values on every machine and every Swift version, which `SystemRandomNumberGenerator` cannot promise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<n`, by multiply-shift: no modulo bias worth a test, and no library algorithm
    /// whose draws could change between Swift releases.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// True with probability `perMillion` / 1,000,000.
    public mutating func chance(perMillion: Int) -> Bool { below(1_000_000) < perMillion }

    /// An index drawn with the given cumulative weights (ascending, last = total).
    public mutating func pick(cumulative: [Int]) -> Int {
        let draw = below(cumulative[cumulative.count - 1])
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > draw { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
