import Foundation

/// Why a field could not be read as a number.
public enum NumberParseFailure: Error, Sendable, Equatable {
    case empty
    /// Digits with a comma where a decimal point was expected, like `1,5`.
    case decimalComma
    case notANumber
}

/// Decimal numbers straight from bytes.
///
/// The common case (at most 19 significant digits, decimal exponent within ±22) is computed
/// exactly as `mantissa × 10^e` with one correctly rounded multiplication or division
/// (Clinger's fast path); anything else falls back to `strtod` on a copy, so every result is
/// the correctly rounded double.
public enum NumberParser {
    /// 10^e for 0 <= e <= 22, all exactly representable. A switch, not a static array,
    /// so the hot path has no lazy-initialisation check.
    @inlinable @inline(__always)
    static func exactPower(_ e: Int) -> Double {
        switch e {
        case 0: return 1e0; case 1: return 1e1; case 2: return 1e2; case 3: return 1e3; case 4: return 1e4
        case 5: return 1e5; case 6: return 1e6; case 7: return 1e7; case 8: return 1e8; case 9: return 1e9
        case 10: return 1e10; case 11: return 1e11; case 12: return 1e12; case 13: return 1e13; case 14: return 1e14
        case 15: return 1e15; case 16: return 1e16; case 17: return 1e17; case 18: return 1e18; case 19: return 1e19
        case 20: return 1e20; case 21: return 1e21; default: return 1e22
        }
    }

    /// The common shape, `[-]digits[.digits]` with at most 15 digits in all, as an exact
    /// integer divided by an exact power of ten (so correctly rounded); nil for anything else.
    @inlinable @inline(__always)
    public static func simpleDecimal(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var i = 0
        let negative = n > 0 && p[0] == 45
        if negative { i = 1 }
        var m: UInt64 = 0
        let start = i
        while i < n {
            let d = p[i] &- 48
            if d > 9 { break }
            m = m &* 10 &+ UInt64(d)
            i += 1
        }
        var fraction = 0
        if i < n, p[i] == 46 {
            i += 1
            while i < n {
                let d = p[i] &- 48
                if d > 9 { break }
                m = m &* 10 &+ UInt64(d)
                i += 1
                fraction += 1
            }
        }
        let digits = i - start - (fraction > 0 || (i > start && p[i - 1] == 46) ? 1 : 0)
        guard i == n, digits > 0, digits <= 15 else { return nil }
        let v = fraction == 0 ? Double(m) : Double(m) / exactPower(fraction)
        return negative ? -v : v
    }

    @inlinable @inline(__always)
    public static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Double, NumberParseFailure> {
        if let v = simpleDecimal(p, n) { return .success(v) }
        if n == 0 { return .failure(.empty) }
        var i = 0
        var negative = false
        if p[0] == 45 || p[0] == 43 { negative = p[0] == 45; i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var scale = 0
        var sawDigit = false
        while i < n, p[i] &- 48 < 10 {
            sawDigit = true
            if significant < 19 {
                mantissa = mantissa * 10 + UInt64(p[i] &- 48)
                if mantissa != 0 { significant += 1 }
            } else { scale += 1 }
            digits += 1; i += 1
        }
        if i < n, p[i] == 46 {  // '.'
            i += 1
            while i < n, p[i] &- 48 < 10 {
                sawDigit = true
                if significant < 19 {
                    mantissa = mantissa * 10 + UInt64(p[i] &- 48)
                    if mantissa != 0 { significant += 1 }
                    scale -= 1
                }
                i += 1
            }
        }
        guard sawDigit else { return .failure(.notANumber) }
        var exponent = 0
        if i < n, p[i] == 101 || p[i] == 69 {  // 'e' 'E'
            i += 1
            var expNegative = false
            if i < n, p[i] == 45 || p[i] == 43 { expNegative = p[i] == 45; i += 1 }
            let start = i
            while i < n, p[i] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(p[i] &- 48) }
                i += 1
            }
            guard i > start else { return .failure(.notANumber) }
            if expNegative { exponent = -exponent }
        }
        if i != n {
            if p[i] == 44 && i + 1 < n && p[i + 1] &- 48 < 10 { return .failure(.decimalComma) }
            return .failure(.notANumber)
        }
        let e = scale + exponent
        if mantissa < (1 << 53), e >= -22, e <= 22 {
            let m = Double(mantissa)
            let v = e >= 0 ? m * exactPower(e) : m / exactPower(-e)
            return .success(negative ? -v : v)
        }
        return slowPath(p, n)
    }

    @usableFromInline
    static func slowPath(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Double, NumberParseFailure> {
        var buffer = [CChar](repeating: 0, count: n + 1)
        for k in 0..<n { buffer[k] = CChar(bitPattern: p[k]) }
        let v = buffer.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
        return v.isFinite ? .success(v) : .failure(.notANumber)
    }

    /// Convenience for strings (tests, flags).
    public static func parse(_ s: String) -> Result<Double, NumberParseFailure> {
        var copy = s
        return copy.withUTF8 { b in
            guard let base = b.baseAddress else { return .failure(.empty) }
            return parse(base, b.count)
        }
    }
}
