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

/// What ended a field.
enum FieldTerminator {
    /// A delimiter: another field of the same record follows.
    case delimiter
    /// A line break (consumed): the record is complete.
    case lineEnd
    /// The end of the input range: the record is complete.
    case inputEnd
}

/// One field: a byte range of the input (the content, without enclosing quotes).
struct FieldSpan {
    var start: Int
    var end: Int
    /// The content contains doubled quotes and must be unescaped before use.
    var escaped: Bool
    /// The field was quoted (so an empty field is not a blank line).
    var quoted: Bool
    var terminator: FieldTerminator
}

/// Splits a byte range into fields and records following RFC 4180: fields may be quoted with
/// `"`, a quoted field may hold delimiters, line breaks and doubled quotes (`""` = one quote);
/// records end at LF or CRLF. A quote inside an unquoted field is kept as a literal byte.
/// In whitespace mode, fields are separated by runs of spaces and tabs and leading and
/// trailing blanks are ignored.
///
/// The tokenizer never copies. ``nextField()`` is the primitive (the fast parser converts
/// each field as soon as it is found); ``next()`` collects a whole record's fields for
/// callers that want them together. Offsets are relative to `base`.
struct RecordTokenizer {
    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: Delimiter
    /// Next byte to read.
    private(set) var position: Int
    /// Line breaks passed so far (inside quoted fields too), counted from the range start.
    private(set) var linesPassed = 0
    /// The current record's problem, if any (set by ``nextField()``, cleared by ``beginRecord()``).
    private(set) var problem: TokenizerProblem?
    /// Where the current record began, and the line breaks passed before it.
    private(set) var recordStart = 0
    private(set) var recordLine = 0

    // The record API's field storage.
    private(set) var fieldStarts: UnsafeMutablePointer<Int>
    private(set) var fieldEnds: UnsafeMutablePointer<Int>
    private(set) var fieldEscaped: UnsafeMutablePointer<Bool>
    private(set) var fieldCount = 0
    private var fieldCapacity = 64
    private var hadQuotedField = false

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

    /// True when the whole range has been consumed.
    var atEnd: Bool { position >= end }

    /// Marks the start of a record (the field API's caller does this before its first field).
    @inline(__always)
    mutating func beginRecord() {
        recordStart = position
        recordLine = linesPassed
        problem = nil
    }

    /// End offset of the current record's text, without its line break.
    var recordEnd: Int {
        var e = position
        if e > recordStart, base[e - 1] == 10 { e -= 1 }
        if e > recordStart, base[e - 1] == 13 { e -= 1 }
        return e
    }

    // MARK: the field primitive

    /// Reads the next field of the current record. Call only when `!atEnd` or right after a
    /// delimiter. On a quoting problem it records ``problem``, skips the rest of the record
    /// and returns a field that ends the record.
    @inline(__always)
    mutating func nextField() -> FieldSpan {
        switch delimiter {
        case .byte(let d): return delimitedField(d)
        case .whitespace: return whitespaceField()
        }
    }

    @inline(__always)
    private mutating func delimitedField(_ d: UInt8) -> FieldSpan {
        if position < end, base[position] == 34 {
            var f = quotedField()
            if problem != nil { return f }
            if position >= end { f.terminator = .inputEnd; return f }
            let c = base[position]
            if c == d { position += 1; f.terminator = .delimiter; return f }
            if c == 10 { position += 1; linesPassed += 1; f.terminator = .lineEnd; return f }
            if c == 13 {
                if position + 1 >= end { position = end; f.terminator = .inputEnd; return f }
                if base[position + 1] == 10 { position += 2; linesPassed += 1; f.terminator = .lineEnd; return f }
            }
            problem = .textAfterClosingQuote(offset: position)
            f.terminator = skipLine()
            return f
        }
        let s = position
        let p = scanUnquoted(from: position, delimiter: d)
        if p < end, base[p] == d {
            position = p + 1
            return FieldSpan(start: s, end: p, escaped: false, quoted: false, terminator: .delimiter)
        }
        var e = p
        if e > s, base[e - 1] == 13 { e -= 1 }
        if p < end {
            linesPassed += 1
            position = p + 1
            return FieldSpan(start: s, end: e, escaped: false, quoted: false, terminator: .lineEnd)
        }
        position = p
        return FieldSpan(start: s, end: e, escaped: false, quoted: false, terminator: .inputEnd)
    }

    @inline(__always)
    private func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 }

    private mutating func whitespaceField() -> FieldSpan {
        while position < end, isBlank(base[position]) { position += 1 }
        if position >= end { return FieldSpan(start: position, end: position, escaped: false, quoted: false, terminator: .inputEnd) }
        if base[position] == 10 {
            position += 1; linesPassed += 1
            return FieldSpan(start: position - 1, end: position - 1, escaped: false, quoted: false, terminator: .lineEnd)
        }
        var f: FieldSpan
        if base[position] == 34 {
            f = quotedField()
            if problem != nil { return f }
            if position < end, !isBlank(base[position]), base[position] != 10 {
                problem = .textAfterClosingQuote(offset: position)
                f.terminator = skipLine()
                return f
            }
        } else {
            let s = position
            while position < end {
                let c = base[position]
                if c == 32 || c == 9 || c == 10 || c == 13 { break }
                position += 1
            }
            f = FieldSpan(start: s, end: position, escaped: false, quoted: false, terminator: .delimiter)
        }
        while position < end, isBlank(base[position]) { position += 1 }
        if position >= end { f.terminator = .inputEnd } else if base[position] == 10 {
            position += 1; linesPassed += 1; f.terminator = .lineEnd
        } else { f.terminator = .delimiter }
        return f
    }

    /// Reads a quoted field whose opening quote is at `position`; on a missing closing quote
    /// it records the problem and consumes the rest of the range.
    private mutating func quotedField() -> FieldSpan {
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
                return FieldSpan(start: contentStart, end: end, escaped: escaped, quoted: true, terminator: .inputEnd)
            }
            if p + 1 < end, base[p + 1] == 34 { escaped = true; p += 2; continue }
            position = p + 1
            return FieldSpan(start: contentStart, end: p, escaped: escaped, quoted: true, terminator: .delimiter)
        }
    }

    /// Skips to the byte after the next line break.
    private mutating func skipLine() -> FieldTerminator {
        while position < end, base[position] != 10 { position += 1 }
        if position < end { position += 1; linesPassed += 1; return .lineEnd }
        return .inputEnd
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

    // MARK: the record API

    /// True when the record is an empty line (or only blanks in whitespace mode).
    var isBlank: Bool {
        fieldCount == 0 || (fieldCount == 1 && fieldStarts[0] == fieldEnds[0] && !hadQuotedField && problem == nil)
    }

    private mutating func push(_ f: FieldSpan) {
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
        fieldStarts[fieldCount] = f.start
        fieldEnds[fieldCount] = f.end
        fieldEscaped[fieldCount] = f.escaped
        fieldCount += 1
        if f.quoted { hadQuotedField = true }
    }

    /// Reads the next whole record into the field arrays; false at the end of the range.
    mutating func next() -> Bool {
        fieldCount = 0
        hadQuotedField = false
        beginRecord()
        if atEnd { return false }
        while true {
            let f = nextField()
            push(f)
            if f.terminator != .delimiter { return true }
        }
    }

    // MARK: field text

    /// Copies the content `[start, end)` into `scratch`, turning `""` into `"`, and returns
    /// the length. Only needed for escaped fields.
    func unescape(_ start: Int, _ end: Int, into scratch: inout GrowableBuffer<UInt8>) -> Int {
        scratch.removeAll()
        var p = start
        while p < end {
            scratch.append(base[p])
            p += base[p] == 34 && p + 1 < end && base[p + 1] == 34 ? 2 : 1
        }
        return scratch.count
    }

    /// Field `i` of the current record as a string (unescaped; invalid UTF-8 repaired).
    func string(_ i: Int) -> String {
        if fieldEscaped[i] {
            var scratch = GrowableBuffer<UInt8>()
            defer { scratch.free() }
            let n = unescape(fieldStarts[i], fieldEnds[i], into: &scratch)
            return String(decoding: UnsafeBufferPointer(start: scratch.base, count: n), as: UTF8.self)
        }
        return String(decoding: UnsafeBufferPointer(start: base + fieldStarts[i], count: fieldEnds[i] - fieldStarts[i]), as: UTF8.self)
    }
}
