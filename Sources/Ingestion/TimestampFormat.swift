import Core
/// The timestamp layouts the reader understands. All parse straight from bytes to seconds
/// since 1970-01-01T00:00:00Z; zone-less values are taken as UTC.
public enum TimestampFormat: String, CaseIterable, Sendable, Codable {
    /// ISO 8601: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with `T` or a space,
    /// optionally followed by `Z` or an offset `±HH:MM` / `±HHMM` / `±HH` (converted to UTC).
    case iso8601 = "iso8601"
    /// `yyyyMMdd`, e.g. `19970101` (the CDNOW files).
    case compactDate = "yyyyMMdd"
    /// `MM/dd/yyyy` (one-digit month and day allowed), optionally ` HH:MM[:SS]`.
    case usDate = "MM/dd/yyyy"
    /// `dd.MM.yyyy` (one-digit day and month allowed), optionally ` HH:MM[:SS]`.
    case europeanDate = "dd.MM.yyyy"
    /// Integer (or fractional) seconds since the Unix epoch.
    case epochSeconds = "epoch"

    /// What the format looks like, for error messages.
    public var example: String {
        switch self {
        case .iso8601: return "an ISO 8601 date or date-time like 2018-03-04 or 2018-03-04T12:30:00Z"
        case .compactDate: return "a date as yyyyMMdd like 20180304"
        case .usDate: return "a date as MM/dd/yyyy like 03/04/2018"
        case .europeanDate: return "a date as dd.MM.yyyy like 04.03.2018"
        case .epochSeconds: return "seconds since 1970-01-01 like 1520166600"
        }
    }

    /// Parses one value; nil when it does not match the format or is not a real date/time.
    @inlinable @inline(__always)
    public func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        switch self {
        case .iso8601: return TimestampParser.iso8601(p, n)
        case .compactDate: return TimestampParser.compact(p, n)
        case .usDate: return TimestampParser.separated(p, n, separator: UInt8(ascii: "/"), monthFirst: true)
        case .europeanDate: return TimestampParser.separated(p, n, separator: UInt8(ascii: "."), monthFirst: false)
        case .epochSeconds: return TimestampParser.epoch(p, n)
        }
    }

    /// Parses a Swift string (convenience for tests and flags).
    public func parse(_ s: String) -> Int64? {
        var copy = s
        return copy.withUTF8 { b in b.baseAddress.flatMap { parse($0, b.count) } }
    }

    /// The first format, in a fixed order of preference, that parses every sample; nil if none
    /// does. `yyyyMMdd` is tried before epoch seconds, so 8-digit dates are read as dates.
    public static func detect(samples: [[UInt8]]) -> TimestampFormat? {
        let nonEmpty = samples.filter { !$0.isEmpty }
        guard !nonEmpty.isEmpty else { return nil }
        let order: [TimestampFormat] = [.iso8601, .compactDate, .usDate, .europeanDate, .epochSeconds]
        return order.first { f in
            nonEmpty.allSatisfy { s in s.withUnsafeBufferPointer { f.parse($0.baseAddress!, $0.count) != nil } }
        }
    }
}

/// Byte-level timestamp parsers behind ``TimestampFormat``.
public enum TimestampParser {
    @inlinable @inline(__always)
    static func digit(_ b: UInt8) -> Int? {
        let d = Int(b) &- 48
        return d >= 0 && d <= 9 ? d : nil
    }

    /// Reads exactly `count` digits at `p[i...]`.
    @inlinable @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> Int? {
        var v = 0
        for k in 0..<count {
            guard let d = digit(p[i + k]) else { return nil }
            v = v * 10 + d
        }
        return v
    }

    @inlinable @inline(__always)
    static func seconds(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Int64? {
        guard mo >= 1, mo <= 12, d >= 1, d <= CivilDate.daysInMonth(year: y, month: mo),
              h < 24, mi < 60, s < 60 else { return nil }
        let day = CivilDate.dayNumber(year: y, month: mo, day: d)
        return Int64(day) * 86_400 + Int64(h * 3600 + mi * 60 + s)
    }

    /// `YYYY-MM-DDTHH:MM:SS` (or a space for `T`), the common case: all digits checked in one
    /// pass with no early exits; nil when the shape differs, so the general parser decides.
    @inlinable @inline(__always)
    static func isoFixed19(_ p: UnsafePointer<UInt8>) -> Int64? {
        @inline(__always) func v(_ i: Int) -> UInt8 { p[i] &- 48 }  // a non-digit becomes > 9
        let top = max(max(max(v(0), v(1)), max(v(2), v(3))), max(max(v(5), v(6)), max(v(8), v(9))),
                      max(max(v(11), v(12)), max(v(14), v(15))), max(v(17), v(18)))
        guard top <= 9, p[4] == 45, p[7] == 45, p[13] == 58, p[16] == 58, p[10] == 84 || p[10] == 32 else { return nil }
        @inline(__always) func d(_ i: Int) -> Int { Int(v(i)) }
        return seconds(d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), d(5) * 10 + d(6), d(8) * 10 + d(9),
                       d(11) * 10 + d(12), d(14) * 10 + d(15), d(17) * 10 + d(18))
    }

    @inlinable @inline(__always)
    static func iso8601(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        if n == 19, let t = isoFixed19(p) { return t }
        guard n >= 10, p[4] == 45, p[7] == 45,  // '-'
              let y = digits(p, 0, 4), let mo = digits(p, 5, 2), let d = digits(p, 8, 2) else { return nil }
        if n == 10 { return seconds(y, mo, d, 0, 0, 0) }
        guard n >= 16, p[10] == 84 || p[10] == 32 || p[10] == 116, p[13] == 58,  // 'T' ' ' 't' ':'
              let h = digits(p, 11, 2), let mi = digits(p, 14, 2) else { return nil }
        var i = 16
        var s = 0
        if i < n, p[i] == 58 {
            guard n >= 19, let ss = digits(p, 17, 2) else { return nil }
            s = ss
            i = 19
            if i < n, p[i] == 46 || p[i] == 44 {  // fraction: '.' or ','
                i += 1
                let start = i
                while i < n, digit(p[i]) != nil { i += 1 }
                if i == start { return nil }
            }
        }
        guard let base = seconds(y, mo, d, h, mi, s) else { return nil }
        if i == n { return base }
        if (p[i] == 90 || p[i] == 122), i + 1 == n { return base }  // 'Z' / 'z'
        guard p[i] == 43 || p[i] == 45 else { return nil }  // '+' / '-'
        let sign: Int64 = p[i] == 43 ? 1 : -1
        i += 1
        guard i + 2 <= n, let oh = digits(p, i, 2) else { return nil }
        i += 2
        var om = 0
        if i < n {
            if p[i] == 58 { i += 1 }
            guard i + 2 == n, let m = digits(p, i, 2) else { return nil }
            om = m
        }
        guard oh <= 18, om < 60 else { return nil }
        return base - sign * Int64(oh * 3600 + om * 60)
    }

    @inlinable
    static func compact(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        guard n == 8, let y = digits(p, 0, 4), let mo = digits(p, 4, 2), let d = digits(p, 6, 2) else { return nil }
        return seconds(y, mo, d, 0, 0, 0)
    }

    /// `A<sep>B<sep>yyyy[ HH:MM[:SS]]` with one- or two-digit A and B.
    @inlinable
    static func separated(_ p: UnsafePointer<UInt8>, _ n: Int, separator: UInt8, monthFirst: Bool) -> Int64? {
        var i = 0
        func number(_ maxDigits: Int) -> Int? {
            var v = 0, k = 0
            while i < n, k < maxDigits, let d = digit(p[i]) { v = v * 10 + d; i += 1; k += 1 }
            return k == 0 ? nil : v
        }
        guard let a = number(2), i < n, p[i] == separator else { return nil }
        i += 1
        guard let b = number(2), i < n, p[i] == separator else { return nil }
        i += 1
        let yearStart = i
        guard let y = number(4), i - yearStart == 4 else { return nil }
        var h = 0, mi = 0, s = 0
        if i < n {
            guard p[i] == 32 || p[i] == 84 else { return nil }
            i += 1
            guard let hh = number(2), i < n, p[i] == 58 else { return nil }
            i += 1
            guard let mm = number(2) else { return nil }
            h = hh; mi = mm
            if i < n {
                guard p[i] == 58 else { return nil }
                i += 1
                guard let ss = number(2) else { return nil }
                s = ss
            }
            guard i == n else { return nil }
        }
        return monthFirst ? seconds(y, a, b, h, mi, s) : seconds(y, b, a, h, mi, s)
    }

    @inlinable
    static func epoch(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 45 { negative = true; i = 1 }
        let start = i
        var v: Int64 = 0
        while i < n, let d = digit(p[i]) {
            guard i - start < 12 else { return nil }
            v = v * 10 + Int64(d); i += 1
        }
        guard i > start else { return nil }
        if i < n {
            guard p[i] == 46 else { return nil }
            i += 1
            while i < n, digit(p[i]) != nil { i += 1 }
            guard i == n else { return nil }
        }
        return negative ? -v : v
    }
}
