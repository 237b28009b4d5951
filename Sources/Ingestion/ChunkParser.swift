import Core
import CShims

/// A rejected record inside one chunk, located by byte offsets; turned into a
/// ``RejectedRow`` (line numbers, raw text) when the chunks are merged.
struct LocalReject {
    var localLine: Int
    var recordStart: Int
    var recordEnd: Int
    /// Where the problem is (field start, or record start for row-level problems).
    var offset: Int
    var field: String?
    var category: String
    var reason: String
}

/// What one chunk produced: typed values staged row-major per kind, its own key
/// dictionaries, per-column counts and rejects.
final class ChunkResult: @unchecked Sendable {
    var rows = 0
    var rowsRead = 0
    var blankLines = 0
    var linesPassed = 0
    var endedInsideQuotes = false
    var keys = GrowableBuffer<Int32>(capacity: 1 << 16)
    var times = GrowableBuffer<Int64>(capacity: 1 << 16)
    var numbers = GrowableBuffer<Double>(capacity: 1 << 16)
    var texts: [String] = []
    var lines = GrowableBuffer<Int32>(capacity: 1 << 12)
    var interners: [ByteInterner] = []
    var quality: [ColumnQuality] = []
    var rejects: [LocalReject] = []

    deinit {
        keys.free(); times.free(); numbers.free(); lines.free()
        for i in interners { i.free() }
    }

    /// Frees the staging buffer of one kind of value once the merge has copied it out (the
    /// merge then holds the file's values twice only one kind at a time).
    func releaseStaging(of kind: FieldKind) {
        switch kind {
        case .key, .category: keys.free(); keys = GrowableBuffer(capacity: 0)
        case .timestamp: times.free(); times = GrowableBuffer(capacity: 0)
        case .number: numbers.free(); numbers = GrowableBuffer(capacity: 0)
        case .text: texts = []
        }
    }

    /// Hands interner `slot` to a new owner, leaving an empty one here.
    func takeInterner(_ slot: Int) -> ByteInterner {
        let taken = interners[slot]
        interners[slot] = ByteInterner(expected: 1)
        return taken
    }
}

/// What the hot loop needs to know about a mapped field, as plain values.
private struct FieldPlan {
    var kind: FieldKind
    var required: Bool
    var negative: ValueRule
    var zero: ValueRule
    var future: ValueRule
    var slot: Int
    var defaultNumber: Double
    var futureFrom: Int64
}

/// Why a value was refused, as a small code; turned into words only for rejected rows.
private enum ValueFailure: UInt8 {
    case empty, invalidUTF8, badTimestamp, badNumber, decimalComma, negative, zero, future
}

/// Per-field findings of one row, counted only if the row is well formed.
private struct FieldFlags: OptionSet {
    let rawValue: UInt8
    static let empty = FieldFlags(rawValue: 1)
    static let unparseable = FieldFlags(rawValue: 2)
    static let negative = FieldFlags(rawValue: 4)
    static let zero = FieldFlags(rawValue: 8)
    static let future = FieldFlags(rawValue: 16)
}

/// Parses the records of one byte range of a file into a ``ChunkResult``.
///
/// Each field is converted as soon as the tokenizer finds it (the column's action says what
/// to do with it), so no per-record field table is built. Key lookups are deferred to the
/// end of the row: when a key is seen its hash is computed and the hash slot prefetched, and
/// the lookup happens after the other fields are parsed, hiding most of the cache miss that
/// a random key in a table of a million costs.
struct ChunkParser {
    let file: MappedFile
    let layout: Layout
    let schema: TableSchema

    /// About how many records bytes[start..<end] holds, from the line length of its first
    /// 64 KiB, with 10% to spare (an estimate: the buffers still grow if it is short).
    static func estimatedRows(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        let sample = min(end - start, 1 << 16)
        guard sample > 0 else { return 0 }
        var breaks = 0
        for i in start..<(start + sample) where bytes[i] == 10 { breaks += 1 }
        let lineLength = Double(sample) / Double(max(1, breaks))
        return Int(Double(end - start) / lineLength * 1.1) + 64
    }

    func parse(start: Int, end: Int) -> ChunkResult {
        let r = ChunkResult()
        let fields = layout.fields
        let nf = fields.count
        r.interners = fields.filter { $0.kind == .key || $0.kind == .category }.map { _ in ByteInterner() }
        r.quality = fields.map { ColumnQuality(field: $0.name, source: $0.source?.description ?? "") }
        // One trivial record per field behind a raw pointer: the hot loop must neither copy
        // FieldSpec (it holds strings) nor pay bounds checks.
        let plans = UnsafeMutablePointer<FieldPlan>.allocate(capacity: max(1, nf))
        for (f, spec) in fields.enumerated() {
            plans[f] = FieldPlan(kind: spec.kind, required: spec.required, negative: spec.negative, zero: spec.zero,
                                 future: spec.future, slot: layout.slot[f], defaultNumber: spec.defaultNumber ?? .nan,
                                 futureFrom: spec.futureFrom ?? .max)
        }
        // A local copy (the structs share storage), written back at the end.
        var interners = r.interners
        // Local copies of the staging buffers (they share storage; written back at the end),
        // sized from the chunk's first lines: growing by doubling copied every value about
        // once more and touched fresh pages each time (a tenth of the parse on 10 M rows).
        var keys = r.keys, times = r.times, numbers = r.numbers, lines = r.lines
        let expectedRows = Self.estimatedRows(file.bytes, start, end)
        keys.reserve(expectedRows * layout.keyCount)
        times.reserve(expectedRows * layout.timeCount)
        numbers.reserve(expectedRows * layout.numberCount)
        let format = layout.timestampFormat
        let keepLines = schema.keepLineNumbers
        let expected = layout.expectedFieldCount
        let bytes = file.bytes
        let fileEnd = file.count
        let keyCount = layout.keyCount, timeCount = layout.timeCount, numberCount = layout.numberCount
        // Column -> mapped field (-1: not mapped).
        let action = UnsafeMutablePointer<Int>.allocate(capacity: max(expected, 1))
        action.initialize(repeating: -1, count: max(expected, 1))
        for (f, col) in layout.columnIndex.enumerated() { action[col] = f }

        let rowKeys = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, keyCount))
        let keyStart = UnsafeMutablePointer<Int>.allocate(capacity: max(1, keyCount))  // -1: already interned
        let keyLength = UnsafeMutablePointer<Int>.allocate(capacity: max(1, keyCount))
        let keyWord = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, keyCount))
        let keyHash = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, keyCount))
        let rowTimes = UnsafeMutablePointer<Int64>.allocate(capacity: max(1, timeCount))
        let rowNumbers = UnsafeMutablePointer<Double>.allocate(capacity: max(1, numberCount))
        let flags = UnsafeMutablePointer<FieldFlags>.allocate(capacity: max(1, nf))
        var rowTexts = [String](repeating: "", count: layout.textCount)
        var scratch = GrowableBuffer<UInt8>(capacity: 256)
        defer {
            plans.deallocate(); action.deallocate()
            scratch.free()
            rowKeys.deallocate(); keyStart.deallocate(); keyLength.deallocate(); keyWord.deallocate()
            keyHash.deallocate(); rowTimes.deallocate(); rowNumbers.deallocate(); flags.deallocate()
        }

        var tok = RecordTokenizer(base: bytes, start: start, end: end, delimiter: layout.delimiter)
        defer { tok.release() }
        var released = start
        let releaseStep = 16 << 20

        let futureMessages: [Int: (category: String, reason: String)] = Dictionary(uniqueKeysWithValues:
            fields.indices.filter { fields[$0].futureFrom != nil }.map { ($0, describe(.future, field: fields[$0], value: "", format: format)) })

        func reject(_ offset: Int, _ field: String?, _ category: String, _ reason: String) {
            r.rejects.append(LocalReject(localLine: tok.recordLine, recordStart: tok.recordStart, recordEnd: tok.recordEnd,
                                         offset: offset, field: field, category: category, reason: reason))
        }

        while !tok.atEnd {
            tok.beginRecord()
            if tok.recordStart - released > releaseStep {
                file.release(upTo: tok.recordStart, from: released)
                released = tok.recordStart
            }
            for f in 0..<nf { flags[f] = [] }
            var failure: (field: Int, offset: Int, why: ValueFailure, start: Int, length: Int)?
            var column = 0
            var blank = false
            while true {
                let span = tok.nextField()
                if column == 0, span.terminator != .delimiter, span.start == span.end, !span.quoted, tok.problem == nil {
                    blank = true
                    break
                }
                if column < expected, tok.problem == nil, case let f = action[column], f >= 0 {
                    var p = bytes + span.start
                    var n = span.end - span.start
                    var inScratch = false
                    if span.escaped {
                        n = tok.unescape(span.start, span.end, into: &scratch)
                        p = UnsafePointer(scratch.base)
                        inScratch = true
                    }
                    let plan = plans[f]
                    let slot = plan.slot
                    if n == 0 {
                        flags[f].insert(.empty)
                        if plan.required {
                            if failure == nil { failure = (f, span.start, .empty, span.start, 0) }
                        } else {
                            switch plan.kind {
                            case .key, .category: rowKeys[slot] = -1; keyStart[slot] = -1
                            case .timestamp: rowTimes[slot] = Int64.min
                            case .number: rowNumbers[slot] = plan.defaultNumber
                            case .text: rowTexts[slot] = ""
                            }
                        }
                    } else {
                        switch plan.kind {
                        case .key, .category:
                            if !isASCII(p, n), String(validating: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) == nil {
                                flags[f].insert(.unparseable)
                                if failure == nil { failure = (f, span.start, .invalidUTF8, span.start, span.end - span.start) }
                            } else if inScratch {
                                rowKeys[slot] = interners[slot].intern(p, n).code
                                keyStart[slot] = -1
                            } else {
                                let prepared = interners[slot].prepare(p, n, overreadable: span.start + 8 <= fileEnd)
                                keyStart[slot] = span.start; keyLength[slot] = n
                                keyWord[slot] = prepared.word; keyHash[slot] = prepared.hash
                            }
                        case .timestamp:
                            if let format, let t = format.parse(p, n) {
                                rowTimes[slot] = t
                                if t >= plan.futureFrom {
                                    flags[f].insert(.future)
                                    if plan.future == .reject, failure == nil { failure = (f, span.start, .future, span.start, span.end - span.start) }
                                }
                            } else {
                                flags[f].insert(.unparseable)
                                if failure == nil { failure = (f, span.start, .badTimestamp, span.start, span.end - span.start) }
                            }
                        case .number:
                            switch NumberParser.parse(p, n) {
                            case .success(let v):
                                rowNumbers[slot] = v
                                if v < 0 {
                                    flags[f].insert(.negative)
                                    if plan.negative == .reject, failure == nil { failure = (f, span.start, .negative, span.start, span.end - span.start) }
                                } else if v == 0 {
                                    flags[f].insert(.zero)
                                    if plan.zero == .reject, failure == nil { failure = (f, span.start, .zero, span.start, span.end - span.start) }
                                }
                            case .failure(let why):
                                flags[f].insert(.unparseable)
                                if failure == nil { failure = (f, span.start, why == .decimalComma ? .decimalComma : .badNumber, span.start, span.end - span.start) }
                            }
                        case .text:
                            if let s = String(validating: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) {
                                rowTexts[slot] = s
                            } else {
                                flags[f].insert(.unparseable)
                                if failure == nil { failure = (f, span.start, .invalidUTF8, span.start, span.end - span.start) }
                            }
                        }
                    }
                }
                column += 1
                if span.terminator != .delimiter { break }
            }
            if blank { r.blankLines += 1; continue }
            r.rowsRead += 1
            if let problem = tok.problem {
                if case .unterminatedQuote = problem, end < file.count { r.endedInsideQuotes = true }
                reject(problem.offset, nil, "malformed quoting", problem.reason)
                continue
            }
            if column != expected {
                reject(tok.recordStart, nil, "ragged row",
                       "expected \(expected) fields (as in the \(layout.hasHeader ? "header" : "first row")), found \(column)")
                continue
            }
            for f in 0..<nf where flags[f].rawValue != 0 {
                let fl = flags[f]
                if fl.contains(.empty) { r.quality[f].empty += 1 }
                if fl.contains(.unparseable) { r.quality[f].unparseable += 1 }
                if fl.contains(.negative) { r.quality[f].negative += 1 }
                if fl.contains(.zero) { r.quality[f].zero += 1 }
                if fl.contains(.future) { r.quality[f].future += 1 }
            }
            if let failure {
                if failure.why == .future, let message = futureMessages[failure.field] {
                    // Rows after the as-of day can be most of a file: one shared message per
                    // field (the raw record shows the value) instead of one formatted per row.
                    reject(failure.offset, fields[failure.field].name, message.category, message.reason)
                    continue
                }
                let (category, reason) = describe(failure.why, field: fields[failure.field],
                                                  value: shown(bytes + failure.start, failure.length), format: format)
                reject(failure.offset, fields[failure.field].name, category, reason)
                continue
            }
            for k in 0..<keyCount where keyStart[k] >= 0 {
                rowKeys[k] = interners[k].intern(bytes + keyStart[k], keyLength[k], word: keyWord[k], hash: keyHash[k]).code
            }
            keys.append(contentsOf: rowKeys, count: keyCount)
            times.append(contentsOf: rowTimes, count: timeCount)
            numbers.append(contentsOf: rowNumbers, count: numberCount)
            if layout.textCount > 0 { r.texts.append(contentsOf: rowTexts) }
            if keepLines { lines.append(Int32(tok.recordLine)) }
            r.rows += 1
        }
        r.linesPassed = tok.linesPassed
        r.keys = keys; r.times = times; r.numbers = numbers; r.lines = lines
        r.interners = interners
        return r
    }

    /// The reject category and the sentence for a refused value.
    private func describe(_ why: ValueFailure, field: FieldSpec, value: String, format: TimestampFormat?) -> (String, String) {
        let name = field.name
        switch why {
        case .empty: return ("empty \(name)", "empty value; \(name) is required")
        case .invalidUTF8: return ("invalid UTF-8", "\(name) is not valid UTF-8 text")
        case .badTimestamp: return ("unparseable \(name)", "expected \(format?.example ?? "a timestamp"), got '\(value)'")
        case .badNumber: return ("unparseable \(name)", "expected a number, got '\(value)'")
        case .decimalComma: return ("unparseable \(name)", "expected a number with '.' as the decimal point, got '\(value)'")
        case .negative: return ("negative \(name)", "\(name) is negative (\(value))")
        case .zero: return ("zero \(name)", "\(name) is zero")
        case .future:
            let asOf = CivilDate(dayNumber: dayNumber(ofSeconds: field.futureFrom ?? 0) - 1)
            return ("future \(name)", "\(name) is after the as-of day \(asOf)")
        }
    }
}

@inline(__always)
private func isASCII(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var acc: UInt8 = 0
    for i in 0..<n { acc |= p[i] }
    return acc < 0x80
}

/// A value for an error message: at most 40 characters, invalid UTF-8 repaired.
private func shown(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
    let s = String(decoding: UnsafeBufferPointer(start: p, count: min(n, 120)), as: UTF8.self)
    return s.count > 40 ? String(s.prefix(40)) + "..." : s
}
