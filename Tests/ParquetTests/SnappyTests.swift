import Testing
@testable import Parquet

/// The Snappy compressor against a decoder written here from the format description (the
/// second implementation), over generated inputs; pyarrow, polars and DuckDB decode it in
/// the read-back tests.
@Suite("Parquet: Snappy")
struct SnappyTests {
    func decompress(_ c: [UInt8]) -> [UInt8]? {
        var p = 0
        func varint() -> Int? {
            var v = 0, shift = 0
            while p < c.count { let b = c[p]; p += 1; v |= Int(b & 0x7F) << shift; if b < 0x80 { return v }; shift += 7 }
            return nil
        }
        guard let length = varint() else { return nil }
        var out: [UInt8] = []
        while p < c.count {
            let tag = c[p]; p += 1
            switch tag & 3 {
            case 0:
                var n = Int(tag >> 2) + 1
                if n > 60 {
                    let extra = n - 60
                    n = 0
                    for k in 0..<extra { n |= Int(c[p + k]) << (8 * k) }
                    n += 1
                    p += extra
                }
                guard p + n <= c.count else { return nil }
                out += c[p..<(p + n)]; p += n
            case 1:
                let n = Int((tag >> 2) & 7) + 4, offset = Int(tag >> 5) << 8 | Int(c[p]); p += 1
                guard offset > 0, offset <= out.count else { return nil }
                for _ in 0..<n { out.append(out[out.count - offset]) }
            case 2:
                let n = Int(tag >> 2) + 1, offset = Int(c[p]) | Int(c[p + 1]) << 8; p += 2
                guard offset > 0, offset <= out.count else { return nil }
                for _ in 0..<n { out.append(out[out.count - offset]) }
            default:
                return nil
            }
        }
        return out.count == length ? out : nil
    }

    @Test func knownSmallCases() {
        #expect(SnappyCompressor.compress([]) == [0])
        #expect(SnappyCompressor.compress([65, 66, 67]) == [3, 2 << 2, 65, 66, 67])
        // 100 equal bytes: a literal of 1... then copies at offset 1... whatever the split, it decodes back.
        let run = [UInt8](repeating: 7, count: 100)
        let c = SnappyCompressor.compress(run)
        #expect(c.count < 20 && decompress(c) == run)
    }

    @Test(arguments: [0, 1, 3, 17, 4_096, 65_535, 65_536, 65_537, 200_000])
    func roundTripsOverGeneratedInputs(size: Int) {
        var state = UInt64(size) &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        // Three kinds: random bytes (incompressible), text-like repeats, long runs.
        let random = (0..<size).map { _ in UInt8(truncatingIfNeeded: next()) }
        let words = ["customer", "2019-11-", "P000", ",", "14.99", "\n"].map { Array($0.utf8) }
        var text: [UInt8] = []
        while text.count < size { text += words[Int(next() % UInt64(words.count))] }
        text = Array(text.prefix(size))
        let runs = (0..<size).map { UInt8(($0 / 300) % 3) }
        for input in [random, text, runs] {
            let c = SnappyCompressor.compress(input)
            #expect(decompress(c) == input)
            #expect(c.count <= 32 + input.count + input.count / 6)
        }
        if size >= 4_096 { #expect(SnappyCompressor.compress(text).count < size / 2) }
    }
}
