/// Parquet's PLAIN encoding (little-endian fixed-width values; byte arrays as a 4-byte length
/// and the bytes; booleans one bit each from the least significant bit), and the statistics
/// of a column chunk in the same encoding.
enum PlainEncoding {
    /// Appends rows `rows` of `values` (only those `valid` marks, when given) to `out`.
    static func append(_ values: ParquetValues, rows: Range<Int>, valid: [Bool]?, to out: inout [UInt8]) {
        switch values {
        case .boolean(let v):
            var byte: UInt8 = 0, bit = 0
            for r in rows where valid?[r] ?? true {
                if v[r] { byte |= 1 << bit }
                bit += 1
                if bit == 8 { out.append(byte); byte = 0; bit = 0 }
            }
            if bit > 0 { out.append(byte) }
        case .int32(let v): appendFixed(v, rows: rows, valid: valid, to: &out)
        case .int64(let v): appendFixed(v, rows: rows, valid: valid, to: &out)
        case .double(let v): appendFixed(v, rows: rows, valid: valid, to: &out)
        case .string(let v):
            for r in rows where valid?[r] ?? true { appendString(v[r], to: &out) }
        }
    }

    static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { utf8 in
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: utf8)
        }
    }

    /// Fixed-width values: the machine's bytes (x86-64 and arm64 are little-endian), copied
    /// in one piece when no row is null.
    private static func appendFixed<T: BitwiseCopyable>(_ v: [T], rows: Range<Int>, valid: [Bool]?, to out: inout [UInt8]) {
        if let valid {
            for r in rows where valid[r] { withUnsafeBytes(of: v[r]) { out.append(contentsOf: $0) } }
        } else {
            v[rows].withUnsafeBytes { out.append(contentsOf: $0) }
        }
    }

    /// The plain bytes of one value, for statistics.
    static func bytes<T: BitwiseCopyable>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }
}

/// Minimum, maximum and null count of a column chunk, the minimum and maximum PLAIN-encoded
/// (byte arrays without their length). NaN is left out of a double column's bounds, a zero
/// minimum is written as -0.0 and a zero maximum as +0.0 (the format's rules); strings longer
/// than `maxStringBound` bytes leave the bounds out rather than bloat the footer.
struct ColumnStatistics {
    var nullCount: Int64
    var min: [UInt8]?
    var max: [UInt8]?

    static let maxStringBound = 256

    init(_ values: ParquetValues, valid: [Bool]?) {
        let n = values.count
        nullCount = Int64(valid.map { $0.reduce(0) { $1 ? $0 : $0 + 1 } } ?? 0)
        func isValid(_ r: Int) -> Bool { valid?[r] ?? true }
        switch values {
        case .boolean(let v):
            var seenFalse = false, seenTrue = false
            for r in 0..<n where isValid(r) { if v[r] { seenTrue = true } else { seenFalse = true } }
            if seenFalse || seenTrue {
                min = [seenFalse ? 0 : 1]
                max = [seenTrue ? 1 : 0]
            }
        case .int32(let v):
            if let (lo, hi) = Self.bounds(v, isValid) { min = PlainEncoding.bytes(of: lo); max = PlainEncoding.bytes(of: hi) }
        case .int64(let v):
            if let (lo, hi) = Self.bounds(v, isValid) { min = PlainEncoding.bytes(of: lo); max = PlainEncoding.bytes(of: hi) }
        case .double(let v):
            var lo = Double.infinity, hi = -Double.infinity, any = false
            for r in 0..<n where isValid(r) && !v[r].isNaN {
                any = true
                if v[r] < lo { lo = v[r] }
                if v[r] > hi { hi = v[r] }
            }
            if any {
                min = PlainEncoding.bytes(of: lo == 0 ? -0.0 : lo)
                max = PlainEncoding.bytes(of: hi == 0 ? 0.0 : hi)
            }
        case .string(let v):
            var lo: String?, hi: String?
            for r in 0..<n where isValid(r) {
                let s = v[r]
                if lo == nil || s.utf8.lexicographicallyPrecedes(lo!.utf8) { lo = s }
                if hi == nil || hi!.utf8.lexicographicallyPrecedes(s.utf8) { hi = s }
            }
            if let lo, let hi, lo.utf8.count <= Self.maxStringBound, hi.utf8.count <= Self.maxStringBound {
                min = Array(lo.utf8)
                max = Array(hi.utf8)
            }
        }
    }

    private static func bounds<T: Comparable>(_ v: [T], _ isValid: (Int) -> Bool) -> (T, T)? {
        var result: (T, T)?
        for r in v.indices where isValid(r) {
            if let (lo, hi) = result { result = (Swift.min(lo, v[r]), Swift.max(hi, v[r])) } else { result = (v[r], v[r]) }
        }
        return result
    }
}
