/// Snappy compression (the format of google/snappy's format_description.txt): the
/// uncompressed length as a varint, then literals and back-references (copies).
///
/// The input is cut into 64 KiB blocks, each matched against itself only, so every copy
/// fits a 2-byte offset. Matches are found through a hash of the next four bytes (the last
/// position with that hash); a miss skips ahead faster the longer nothing matched, as the
/// reference compressor does, so incompressible data passes quickly.
enum SnappyCompressor {
    static let blockSize = 1 << 16
    static let tableBits = 14

    static func compress(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + input.count + input.count / 6)
        RLEHybridEncoder.varint(UInt64(input.count), into: &out)
        input.withUnsafeBufferPointer { src in
            var table = [Int32](repeating: -1, count: 1 << tableBits)
            var blockStart = 0
            while blockStart < src.count {
                let blockEnd = min(src.count, blockStart + blockSize)
                for i in table.indices { table[i] = -1 }
                compressBlock(src, blockStart, blockEnd, &table, &out)
                blockStart = blockEnd
            }
        }
        return out
    }

    @inline(__always)
    private static func load32(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt32.self)
    }

    @inline(__always)
    private static func hash(_ v: UInt32) -> Int {
        Int((v &* 0x1E35_A7BD) >> UInt32(32 - tableBits))
    }

    private static func compressBlock(_ src: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                      _ table: inout [Int32], _ out: inout [UInt8]) {
        var literalStart = start
        var i = start
        var misses = 32
        // A match needs four bytes at both ends.
        while i + 4 <= end {
            let v = load32(src, i)
            let h = hash(v)
            let candidate = Int(table[h])
            table[h] = Int32(i)
            if candidate >= start, load32(src, candidate) == v {
                emitLiteral(src, literalStart, i, &out)
                var length = 4
                while i + length < end, src[candidate + length] == src[i + length] { length += 1 }
                emitCopy(offset: i - candidate, length: length, &out)
                i += length
                literalStart = i
                misses = 32
            } else {
                i += misses >> 5
                misses += 1
            }
        }
        emitLiteral(src, literalStart, end, &out)
    }

    private static func emitLiteral(_ src: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ out: inout [UInt8]) {
        let n = to - from
        guard n > 0 else { return }
        let m = n - 1
        if m < 60 {
            out.append(UInt8(m << 2))
        } else if m < 1 << 8 {
            out.append(60 << 2); out.append(UInt8(m))
        } else if m < 1 << 16 {
            out.append(61 << 2); out.append(UInt8(m & 0xFF)); out.append(UInt8(m >> 8))
        } else {
            out.append(62 << 2); out.append(UInt8(m & 0xFF)); out.append(UInt8((m >> 8) & 0xFF)); out.append(UInt8(m >> 16))
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: src[from..<to]))
    }

    /// Copies with a 2-byte offset (tag 2), at most 64 bytes each.
    private static func emitCopy(offset: Int, length: Int, _ out: inout [UInt8]) {
        var left = length
        while left > 0 {
            // Never leave a remainder under 4 bytes: split 68 as 60 + 8 rather than 64 + 4.
            let n = left > 64 ? (left - 64 < 4 ? 60 : 64) : left
            out.append(UInt8((n - 1) << 2 | 2))
            out.append(UInt8(offset & 0xFF))
            out.append(UInt8(offset >> 8))
            left -= n
        }
    }
}
