/// A problem found while splitting a record into fields.
enum TokenizerProblem: Equatable, Sendable {
    /// A quoted field runs to the end of the input without its closing quote.
    case unterminatedQuote(offset: Int)
    /// Something other than a delimiter or line end follows a closing quote.
    case textAfterClosingQuote(offset: Int)

    var offset: Int {
        switch self {
        case .unterminatedQuote(let o), .textAfterClosingQuote(let o): return o
        }
    }

    var reason: String {
        switch self {
        case .unterminatedQuote: return "quoted field is not closed before the end of the file"
        case .textAfterClosingQuote: return "expected a delimiter or end of line after a closing quote"
        }
    }
}

/// Splits a byte range into records and fields following RFC 4180: fields may be quoted with
/// `"`, a quoted field may hold delimiters, line breaks and doubled quotes (`""` = one quote);
/// records end at LF or CRLF. A quote inside an unquoted field is kept as a literal byte.
///
/// The tokenizer never copies: it reports each field as a byte range of the input and
/// whether the field needs unescaping (it contained `""`). Offsets are relative to `base`.
struct RecordTokenizer {
    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: Delimiter
    /// Next byte to read.
    private(set) var position: Int
    /// Line breaks passed so far (inside quoted fields too), counted from the range start.
    private(set) var linesPassed = 0

    // Per record: field ranges, whether each needs unescaping, and where it started.
    private(set) var fieldStarts: UnsafeMutablePointer<Int>
    private(set) var fieldEnds: UnsafeMutablePointer<Int>
    private(set) var fieldEscaped: UnsafeMutablePointer<Bool>
    private(set) var fieldCount = 0
    private var fieldCapacity = 64
    private(set) var recordStart = 0
    /// Line breaks passed before this record began (so its first line is `recordLine + 1`).
    private(set) var recordLine = 0
    private(set) var problem: TokenizerProblem?

    init(base: UnsafePointer<UInt8>, start: Int, end: Int, delimiter: Delimiter) {
        self.base = base
        self.position = start
        self.end = end
        self.delimiter = delimiter
        fieldStarts = .allocate(capacity: fieldCapacity)
        fieldEnds = .allocate(capacity: fieldCapacity)
        fieldEscaped = .allocate(capacity: fieldCapacity)
    }

    /// Frees the field buffers; call once when done.
    func release() {
        fieldStarts.deallocate()
        fieldEnds.deallocate()
        fieldEscaped.deallocate()
    }

    /// End offset of the current record's text, without its line break.
    var recordEnd: Int {
        var e = position
        if e > recordStart, base[e - 1] == 10 { e -= 1 }
        if e > recordStart, base[e - 1] == 13 { e -= 1 }
        return e
    }

    /// True when the record is an empty line (or only blanks in whitespace mode).
    var isBlank: Bool {
        fieldCount == 0 || (fieldCount == 1 && fieldStarts[0] == fieldEnds[0] && !hadQuotedField && problem == nil)
    }
    private var hadQuotedField = false

    @inline(__always)
    private mutating func push(_ s: Int, _ e: Int, escaped: Bool) {
        if fieldCount == fieldCapacity {
            let c = fieldCapacity * 2
            let ns = UnsafeMutablePointer<Int>.allocate(capacity: c)
            let ne = UnsafeMutablePointer<Int>.allocate(capacity: c)
            let nq = UnsafeMutablePointer<Bool>.allocate(capacity: c)
            ns.moveInitialize(from: fieldStarts, count: fieldCount)
            ne.moveInitialize(from: fieldEnds, count: fieldCount)
            nq.moveInitialize(from: fieldEscaped, count: fieldCount)
            fieldStarts.deallocate(); fieldEnds.deallocate(); fieldEscaped.deallocate()
            fieldStarts = ns; fieldEnds = ne; fieldEscaped = nq
            fieldCapacity = c
        }
        fieldStarts[fieldCount] = s
        fieldEnds[fieldCount] = e
        fieldEscaped[fieldCount] = escaped
        fieldCount += 1
    }

    /// Reads the next record; false at the end of the range.
    mutating func next() -> Bool {
        fieldCount = 0
        problem = nil
        hadQuotedField = false
        recordStart = position
        recordLine = linesPassed
        if position >= end { return false }
        switch delimiter {
        case .byte(let d): readDelimited(d)
        case .whitespace: readWhitespace()
        }
        return true
    }

    /// Reads a quoted field whose opening quote is at `position`; on a missing closing quote
    /// it records the problem and consumes the rest of the range.
    @inline(__always)
    private mutating func readQuoted() -> (start: Int, end: Int, escaped: Bool) {
        hadQuotedField = true
        var p = position + 1
        let contentStart = p
        var escaped = false
        while true {
            while p < end, base[p] != 34 {
                if base[p] == 10 { linesPassed += 1 }
                p += 1
            }
            if p >= end {
                problem = .unterminatedQuote(offset: position)
                position = end
                return (contentStart, end, escaped)
            }
            if p + 1 < end, base[p + 1] == 34 { escaped = true; p += 2; continue }
            position = p + 1
            return (contentStart, p, escaped)
        }
    }

    /// Skips to the byte after the next line break.
    private mutating func skipLine() {
        while position < end, base[position] != 10 { position += 1 }
        if position < end { position += 1; linesPassed += 1 }
    }

    private mutating func readDelimited(_ d: UInt8) {
        while true {
            if position < end, base[position] == 34 {
                let f = readQuoted()
                push(f.start, f.end, escaped: f.escaped)
                if problem != nil || position >= end { return }
                let c = base[position]
                if c == d { position += 1; continue }
                if c == 10 { position += 1; linesPassed += 1; return }
                if c == 13 {
                    if position + 1 >= end { position = end; return }
                    if base[position + 1] == 10 { position += 2; linesPassed += 1; return }
                }
                problem = .textAfterClosingQuote(offset: position)
                skipLine()
                return
            }
            let s = position
            var p = scanUnquoted(from: position, delimiter: d)
            var e = p
            if p >= end || base[p] == 10 {
                if e > s, base[e - 1] == 13 { e -= 1 }
                push(s, e, escaped: false)
                if p < end { linesPassed += 1; position = p + 1 } else { position = p }
                return
            }
            push(s, e, escaped: false)
            position = p + 1
        }
    }

    /// The first offset at or after `start` holding the delimiter or a line feed (or `end`).
    /// Eight bytes at a time: a byte equal to the target turns into a zero byte after XOR,
    /// and `(x - 0x01..) & ~x & 0x80..` flags zero bytes; the lowest flag is always exact.
    @inline(__always)
    private func scanUnquoted(from start: Int, delimiter d: UInt8) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let dMask = ones &* UInt64(d), nlMask = ones &* 10
        var p = start
        let raw = UnsafeRawPointer(base)
        while p + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
            let a = w ^ dMask, b = w ^ nlMask
            let m = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
            if m != 0 { return p + m.trailingZeroBitCount >> 3 }
            p += 8
        }
        while p < end {
            let c = base[p]
            if c == d || c == 10 { return p }
            p += 1
        }
        return end
    }

    @inline(__always)
    private func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 }

    private mutating func readWhitespace() {
        while true {
            while position < end, isBlank(base[position]) { position += 1 }
            if position >= end { return }
            if base[position] == 10 { position += 1; linesPassed += 1; return }
            if base[position] == 34 {
                let f = readQuoted()
                push(f.start, f.end, escaped: f.escaped)
                if problem != nil { return }
                if position < end, !isBlank(base[position]), base[position] != 10 {
                    problem = .textAfterClosingQuote(offset: position)
                    skipLine()
                    return
                }
                continue
            }
            let s = position
            while position < end {
                let c = base[position]
                if c == 32 || c == 9 || c == 10 || c == 13 { break }
                position += 1
            }
            push(s, position, escaped: false)
        }
    }

    /// Copies field `i` into `scratch`, turning `""` into `"`, and returns the bytes' length.
    /// Only needed when `fieldEscaped[i]`.
    func unescape(_ i: Int, into scratch: GrowableBuffer<UInt8>) -> Int {
        scratch.removeAll()
        var p = fieldStarts[i]
        let e = fieldEnds[i]
        while p < e {
            scratch.append(base[p])
            p += base[p] == 34 && p + 1 < e && base[p + 1] == 34 ? 2 : 1
        }
        return scratch.count
    }

    /// Field `i` as a string (unescaped; invalid UTF-8 repaired).
    func string(_ i: Int) -> String {
        let scratch = GrowableBuffer<UInt8>()
        if fieldEscaped[i] {
            let n = unescape(i, into: scratch)
            return String(decoding: UnsafeBufferPointer(start: scratch.base, count: n), as: UTF8.self)
        }
        return String(decoding: UnsafeBufferPointer(start: base + fieldStarts[i], count: fieldEnds[i] - fieldStarts[i]), as: UTF8.self)
    }
}
