#if canImport(Glibc)
import Glibc
#endif

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
        case .coded(let entries, let codes):
            for r in rows where valid?[r] ?? true { appendString(entries[Int(codes[r])], to: &out) }
        }
    }

    /// Byte-wise (unsigned) order of two strings' UTF-8, the order of Parquet's statistics
    /// for strings (Swift's `<` orders by Unicode scalars after normalization).
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = Swift.min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c < 0 || (c == 0 && x.count < y.count)
            }
        }
    }

    /// Whether two strings have the same UTF-8 bytes (Swift's `==` is canonical equivalence).
    static func utf8Equal(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) }
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
            setStringBounds(v.indices.lazy.filter(isValid).map { v[$0] })
        case .coded(let entries, let codes):
            // Each entry in use once, whatever the number of rows.
            var used = [Bool](repeating: false, count: entries.count)
            for r in 0..<n where isValid(r) { used[Int(codes[r])] = true }
            setStringBounds(entries.indices.lazy.filter { used[$0] }.map { entries[$0] })
        }
    }

    private mutating func setStringBounds<S: Sequence<String>>(_ strings: S) {
        var lo: String?, hi: String?
        for s in strings {
            if lo.map({ PlainEncoding.utf8Precedes(s, $0) }) ?? true { lo = s }
            if hi.map({ PlainEncoding.utf8Precedes($0, s) }) ?? true { hi = s }
        }
        if let lo, let hi, lo.utf8.count <= Self.maxStringBound, hi.utf8.count <= Self.maxStringBound {
            min = Array(lo.utf8)
            max = Array(hi.utf8)
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
