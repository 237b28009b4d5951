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
    let keys = GrowableBuffer<Int32>(capacity: 1 << 16)
    let times = GrowableBuffer<Int64>(capacity: 1 << 16)
    let numbers = GrowableBuffer<Double>(capacity: 1 << 16)
    var texts: [String] = []
    let lines = GrowableBuffer<Int32>(capacity: 1 << 12)
    var interners: [ByteInterner] = []
    var quality: [ColumnQuality] = []
    var rejects: [LocalReject] = []
}

/// Parses the records of one byte range of a file into a ``ChunkResult``.
struct ChunkParser {
    let file: MappedFile
    let layout: Layout
    let schema: TableSchema

    func parse(start: Int, end: Int) -> ChunkResult {
        let r = ChunkResult()
        let fields = layout.fields
        let nf = fields.count
        r.interners = fields.filter { $0.kind == .key || $0.kind == .category }.map { _ in ByteInterner() }
        r.quality = fields.map { ColumnQuality(field: $0.name, source: $0.source?.description ?? "") }
        // Plain per-field arrays: the hot loop must not copy FieldSpec (it holds strings).
        let kinds = fields.map(\.kind)
        let required = fields.map(\.required)
        let negativeRule = fields.map(\.negative)
        let zeroRule = fields.map(\.zero)
        let defaults = fields.map { $0.defaultNumber ?? .nan }
        let futureFrom = fields.map { $0.futureFrom ?? .max }
        let futureRule = fields.map(\.future)
        let interners = r.interners.map { Unmanaged.passUnretained($0) }
        let keys = r.keys, times = r.times, numbers = r.numbers, lines = r.lines
        let columns = layout.columnIndex
        let slots = layout.slot
        let format = layout.timestampFormat
        let keepLines = schema.keepLineNumbers
        let expected = layout.expectedFieldCount
        let bytes = file.bytes
        let fileEnd = file.count
        let keyCount = layout.keyCount, timeCount = layout.timeCount, numberCount = layout.numberCount

        let rowKeys = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, layout.keyCount))
        let rowTimes = UnsafeMutablePointer<Int64>.allocate(capacity: max(1, layout.timeCount))
        let rowNumbers = UnsafeMutablePointer<Double>.allocate(capacity: max(1, layout.numberCount))
        var rowTexts = [String](repeating: "", count: layout.textCount)
        let scratch = GrowableBuffer<UInt8>(capacity: 256)
        defer { rowKeys.deallocate(); rowTimes.deallocate(); rowNumbers.deallocate() }

        var tok = RecordTokenizer(base: file.bytes, start: start, end: end, delimiter: layout.delimiter)
        defer { tok.release() }
        var released = start
        let releaseStep = 16 << 20

        func reject(_ offset: Int, _ field: String?, _ category: String, _ reason: String) {
            r.rejects.append(LocalReject(localLine: tok.recordLine, recordStart: tok.recordStart, recordEnd: tok.recordEnd,
                                         offset: offset, field: field, category: category, reason: reason))
        }

        while tok.next() {
            if tok.recordStart - released > releaseStep {
                file.release(upTo: tok.recordStart, from: released)
                released = tok.recordStart
            }
            if tok.isBlank { r.blankLines += 1; continue }
            r.rowsRead += 1
            if let problem = tok.problem {
                if case .unterminatedQuote = problem, end < file.count { r.endedInsideQuotes = true }
                reject(problem.offset, nil, "malformed quoting", problem.reason)
                continue
            }
            if tok.fieldCount != expected {
                reject(tok.recordStart, nil, "ragged row",
                       "expected \(expected) fields (as in the \(layout.hasHeader ? "header" : "first row")), found \(tok.fieldCount)")
                continue
            }
            var failure: (offset: Int, field: String, category: String, reason: String)?
            for f in 0..<nf {
                let col = columns[f]
                let fieldStart = tok.fieldStarts[col]
                var p = bytes + fieldStart
                var n = tok.fieldEnds[col] - fieldStart
                if tok.fieldEscaped[col] {
                    n = tok.unescape(col, into: scratch)
                    p = UnsafePointer(scratch.base)
                }
                if n == 0 {
                    if required[f] {
                        let spec = fields[f]
                        r.quality[f].empty += 1
                        if failure == nil {
                            failure = (fieldStart, spec.name, "empty \(spec.name)", "empty value; \(spec.name) is required")
                        }
                        continue
                    }
                    r.quality[f].empty += 1
                    switch kinds[f] {
                    case .key, .category: rowKeys[slots[f]] = -1
                    case .timestamp: rowTimes[slots[f]] = Int64.min
                    case .number: rowNumbers[slots[f]] = defaults[f]
                    case .text: rowTexts[slots[f]] = ""
                    }
                    continue
                }
                switch kinds[f] {
                case .key, .category:
                    if !isASCII(p, n), String(validating: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) == nil {
                        r.quality[f].unparseable += 1
                        if failure == nil { failure = (fieldStart, fields[f].name, "invalid UTF-8", "\(fields[f].name) is not valid UTF-8 text") }
                        continue
                    }
                    let overreadable = !tok.fieldEscaped[col] && fieldStart + 8 <= fileEnd
                    rowKeys[slots[f]] = interners[slots[f]]._withUnsafeGuaranteedRef { $0.intern(p, n, overreadable: overreadable).code }
                case .timestamp:
                    if let format, let t = format.parse(p, n) {
                        rowTimes[slots[f]] = t
                        if t >= futureFrom[f] {
                            r.quality[f].future += 1
                            if futureRule[f] == .reject, failure == nil {
                                let name = fields[f].name
                                let asOf = CivilDate(dayNumber: dayNumber(ofSeconds: futureFrom[f]) - 1)
                                failure = (fieldStart, name, "future \(name)", "\(name) '\(shown(p, n))' is after the as-of day \(asOf)")
                            }
                        }
                    } else {
                        r.quality[f].unparseable += 1
                        if failure == nil {
                            let spec = fields[f]
                            let expected = format?.example ?? "a timestamp"
                            failure = (fieldStart, spec.name, "unparseable \(spec.name)",
                                       "expected \(expected), got '\(shown(p, n))'")
                        }
                    }
                case .number:
                    switch NumberParser.parse(p, n) {
                    case .success(let v):
                        rowNumbers[slots[f]] = v
                        if v < 0 {
                            r.quality[f].negative += 1
                            if negativeRule[f] == .reject, failure == nil {
                                let name = fields[f].name
                                failure = (fieldStart, name, "negative \(name)", "\(name) is negative (\(shown(p, n)))")
                            }
                        } else if v == 0 {
                            r.quality[f].zero += 1
                            if zeroRule[f] == .reject, failure == nil {
                                let name = fields[f].name
                                failure = (fieldStart, name, "zero \(name)", "\(name) is zero")
                            }
                        }
                    case .failure(let why):
                        r.quality[f].unparseable += 1
                        if failure == nil {
                            let name = fields[f].name
                            let what = why == .decimalComma ? "a number with '.' as the decimal point" : "a number"
                            failure = (fieldStart, name, "unparseable \(name)", "expected \(what), got '\(shown(p, n))'")
                        }
                    }
                case .text:
                    guard let s = String(validating: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) else {
                        r.quality[f].unparseable += 1
                        if failure == nil { failure = (fieldStart, fields[f].name, "invalid UTF-8", "\(fields[f].name) is not valid UTF-8 text") }
                        continue
                    }
                    rowTexts[slots[f]] = s
                }
            }
            if let failure {
                reject(failure.offset, failure.field, failure.category, failure.reason)
                continue
            }
            keys.append(contentsOf: rowKeys, count: keyCount)
            times.append(contentsOf: rowTimes, count: timeCount)
            numbers.append(contentsOf: rowNumbers, count: numberCount)
            if layout.textCount > 0 { r.texts.append(contentsOf: rowTexts) }
            if keepLines { lines.append(Int32(tok.recordLine)) }
            r.rows += 1
        }
        r.linesPassed = tok.linesPassed
        return r
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
