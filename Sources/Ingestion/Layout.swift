import Foundation
/// What the reader learned about a file before parsing it: where data starts, the delimiter,
/// the header, which source column feeds each field, and the timestamp format.
struct Layout: Sendable {
    var dataStart: Int
    /// Line breaks before the first data record (BOM, header).
    var headerLines: Int
    var delimiter: Delimiter
    var hasHeader: Bool
    var headerNames: [String]
    /// Fields per record: the header's width, or the first record's.
    var expectedFieldCount: Int
    /// The mapped fields, and for each its 0-based source column and its slot within its kind.
    var fields: [FieldSpec]
    var columnIndex: [Int]
    var slot: [Int]
    var keyCount = 0, timeCount = 0, numberCount = 0, textCount = 0
    var timestampFormat: TimestampFormat?
    var timestampFormatDetected = false

    static func probe(file: MappedFile, schema: TableSchema) throws -> Layout {
        let p = file.bytes
        var start = 0
        if file.count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { start = 3 }
        var lineEnd = start
        while lineEnd < file.count, p[lineEnd] != 10 { lineEnd += 1 }
        let delimiter = schema.delimiter ?? Delimiter.detect(firstLine: p + start, lineEnd - start)

        var tok = RecordTokenizer(base: p, start: start, end: file.count, delimiter: delimiter)
        defer { tok.release() }
        var found = false
        while tok.next() { if !tok.isBlank { found = true; break } }
        guard found else { throw IngestionError.noData(path: file.path, reason: "the file is empty") }

        let fields = schema.mappedFields
        let first = (0..<tok.fieldCount).map { tok.string($0) }
        let hasHeader: Bool
        switch schema.header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto:
            let byName = fields.contains { if case .name = $0.source { return true } else { return false } }
            hasHeader = byName || (tok.problem == nil && first.allSatisfy { !$0.isEmpty && !looksLikeValue($0) })
        }
        var layout = Layout(dataStart: tok.recordStart, headerLines: tok.recordLine, delimiter: delimiter,
                            hasHeader: hasHeader, headerNames: [], expectedFieldCount: tok.fieldCount,
                            fields: fields, columnIndex: [], slot: [])
        if hasHeader {
            layout.headerNames = first.map { $0.trimmingCharacters(in: .whitespaces) }
            layout.dataStart = tok.position
            layout.headerLines = tok.linesPassed
        } else if tok.problem != nil {
            // Without a header the row width comes from data: take the first well-formed record.
            var probe = RecordTokenizer(base: p, start: tok.position, end: file.count, delimiter: delimiter)
            defer { probe.release() }
            var seen = 0
            while seen < 1000, probe.next() {
                seen += 1
                if !probe.isBlank, probe.problem == nil { layout.expectedFieldCount = probe.fieldCount; break }
            }
        }

        for spec in fields {
            let index: Int
            switch spec.source! {
            case .position(let n):
                guard n >= 1, n <= layout.expectedFieldCount else {
                    throw IngestionError.unknownColumn(path: file.path, column: "#\(n) (the file has \(layout.expectedFieldCount) columns)",
                                                       available: layout.headerNames)
                }
                index = n - 1
            case .name(let name):
                let names = layout.headerNames
                guard let i = names.firstIndex(of: name)
                        ?? names.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                    throw IngestionError.unknownColumn(path: file.path, column: name, available: names)
                }
                index = i
            }
            layout.columnIndex.append(index)
            switch spec.kind {
            case .key, .category: layout.slot.append(layout.keyCount); layout.keyCount += 1
            case .timestamp: layout.slot.append(layout.timeCount); layout.timeCount += 1
            case .number: layout.slot.append(layout.numberCount); layout.numberCount += 1
            case .text: layout.slot.append(layout.textCount); layout.textCount += 1
            }
        }

        layout.timestampFormat = schema.timestampFormat
        if schema.timestampFormat == nil, let f = fields.firstIndex(where: { $0.kind == .timestamp }) {
            layout.timestampFormat = try detectFormat(file: file, layout: layout, column: layout.columnIndex[f],
                                                      field: fields[f])
            layout.timestampFormatDetected = true
        }
        return layout
    }

    /// True when a header candidate is really data: a number or a timestamp.
    private static func looksLikeValue(_ s: String) -> Bool {
        if case .success = NumberParser.parse(s) { return true }
        return TimestampFormat.allCases.contains { $0.parse(s) != nil }
    }

    /// The format that parses the most of the first 500 values (ties go to the earlier format
    /// in ``TimestampFormat/detect(samples:)`` order).
    private static func detectFormat(file: MappedFile, layout: Layout, column: Int, field: FieldSpec) throws -> TimestampFormat? {
        var tok = RecordTokenizer(base: file.bytes, start: layout.dataStart, end: file.count, delimiter: layout.delimiter)
        defer { tok.release() }
        var samples: [[UInt8]] = []
        while samples.count < 500, tok.next() {
            guard !tok.isBlank, tok.problem == nil, column < tok.fieldCount else { continue }
            let bytes = Array(tok.string(column).utf8)
            if !bytes.isEmpty { samples.append(bytes) }
        }
        if samples.isEmpty { return nil }
        if let all = TimestampFormat.detect(samples: samples) { return all }
        let order: [TimestampFormat] = [.iso8601, .compactDate, .usDate, .europeanDate, .epochSeconds]
        let scored = order.map { f in
            (f, samples.filter { s in s.withUnsafeBufferPointer { f.parse($0.baseAddress!, $0.count) != nil } }.count)
        }
        let best = scored.max { $0.1 < $1.1 }!
        guard best.1 > 0, best.1 * 2 >= samples.count else {
            throw IngestionError.unrecognisedTimestamps(path: file.path, column: field.source!,
                                                        examples: samples.prefix(3).map { String(decoding: $0, as: UTF8.self) })
        }
        return best.0
    }
}
