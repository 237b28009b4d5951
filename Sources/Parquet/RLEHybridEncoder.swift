/// The RLE / bit-packing hybrid of the Parquet format (definition levels and dictionary
/// indices): a sequence of runs, each headed by a varint. An RLE run (header `count << 1`)
/// repeats one value, stored in `ceil(bitWidth / 8)` little-endian bytes; a bit-packed run
/// (header `groups << 1 | 1`) holds `8 * groups` values of `bitWidth` bits, packed from the
/// least significant bit, the last group padded with zeros.
///
/// Runs of 8 or more equal values become RLE runs when they start on a group boundary of the
/// values waiting to be bit-packed; everything else is bit-packed.
enum RLEHybridEncoder {
    /// The bits needed to store `maximum` (at least 1).
    static func bitWidth(forMaximum maximum: UInt32) -> Int {
        max(1, 32 - maximum.leadingZeroBitCount)
    }

    /// Appends the encoding of `values` (each below `1 << bitWidth`) to `out`.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        let n = values.count
        var pending = 0  // first value not yet written
        var i = 0
        while i < n {
            let v = values[i]
            var run = 1
            while i + run < n, values[i + run] == v { run += 1 }
            if run >= 8, (i - pending) % 8 == 0 {
                bitPacked(values, pending..<i, bitWidth: bitWidth, into: &out)
                repeated(v, count: run, bitWidth: bitWidth, into: &out)
                i += run
                pending = i
            } else if run >= 8 {
                // Bit-pack up to the next group boundary, then the rest of the run is an RLE run.
                i += 8 - (i - pending) % 8
            } else {
                i += run
            }
        }
        bitPacked(values, pending..<n, bitWidth: bitWidth, into: &out)
    }

    static func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var out: [UInt8] = []
        values.withUnsafeBufferPointer { encode($0, bitWidth: bitWidth, into: &out) }
        return out
    }

    private static func repeated(_ value: UInt32, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        varint(UInt64(count) << 1, into: &out)
        for b in 0..<((bitWidth + 7) / 8) { out.append(UInt8(truncatingIfNeeded: value >> (8 * b))) }
    }

    private static func bitPacked(_ values: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, bitWidth: Int, into out: inout [UInt8]) {
        guard !range.isEmpty else { return }
        let groups = (range.count + 7) / 8
        varint(UInt64(groups) << 1 | 1, into: &out)
        var accumulator: UInt64 = 0
        var bits = 0
        for k in 0..<(groups * 8) {
            let v = range.lowerBound + k < range.upperBound ? UInt64(values[range.lowerBound + k]) : 0
            accumulator |= v << bits
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
    }

    static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
