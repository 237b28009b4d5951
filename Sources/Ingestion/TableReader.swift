#if canImport(Glibc)
import Core
import Glibc
#endif

/// Reads a delimited file into a ``ParsedTable``: detect the layout, split the file into
/// chunks at record boundaries, parse the chunks in parallel, merge.
///
/// Chunk boundaries respect quoting: the parity of `"` bytes before a position says whether
/// it lies inside a quoted field (a doubled quote toggles twice), so a boundary is the first
/// line break after the nominal split point that is outside quotes. If a chunk other than the
/// last ends inside a quoted field (malformed quoting made the parity lie), the file is
/// parsed again on one thread, so the result never depends on the thread count.
public struct TableReader: Sendable {
    public var schema: TableSchema
    public var policy: BadRowPolicy
    /// Threads for parsing; 1 = serial.
    public var threads: Int

    public init(schema: TableSchema, policy: BadRowPolicy = .reject, threads: Int = defaultThreadCount) {
        self.schema = schema
        self.policy = policy
        self.threads = max(1, threads)
    }

    /// Reads the file at `path`.
    public func read(path: String) throws -> ParsedTable {
        var clock = PhaseClock()
        let file = try MappedFile(path: path)
        let layout = try Layout.probe(file: file, schema: schema)
        clock.lap("probe")
        var chunks = split(file: file, layout: layout)
        var results = parallelMap(chunks.count) { i in
            ChunkParser(file: file, layout: layout, schema: schema).parse(start: chunks[i].0, end: chunks[i].1)
        }
        if results.dropLast().contains(where: { $0.endedInsideQuotes }) {
            chunks = [(layout.dataStart, file.count)]
            results = [ChunkParser(file: file, layout: layout, schema: schema).parse(start: layout.dataStart, end: file.count)]
        }
        clock.lap("parse")
        var table = merge(results, chunks: chunks, file: file, layout: layout)
        clock.lap("merge")
        table.phaseSeconds = clock.laps
        if policy == .fail, let first = table.rejects.first {
            throw IngestionError.badRow(path: path, line: first.line, column: first.column,
                                        field: first.field, reason: first.reason)
        }
        return table
    }

    private func split(file: MappedFile, layout: Layout) -> [(Int, Int)] {
        let start = layout.dataStart, end = file.count
        let length = end - start
        let n = length < (1 << 20) ? 1 : threads
        if n == 1 { return [(start, end)] }
        let nominal = (0...n).map { start + length * $0 / n }
        // Quotes per segment, with memchr: files without quotes cost almost nothing here.
        let quotes = parallelMap(n) { k -> Int in
            var c = 0
            var p = UnsafeRawPointer(file.bytes + nominal[k])
            let stop = UnsafeRawPointer(file.bytes + nominal[k + 1])
            while p < stop, let q = memchr(p, 34, stop - p) {
                c += 1
                p = UnsafeRawPointer(q) + 1
            }
            return c
        }
        var bounds = [start]
        var parity = 0
        for k in 1..<n {
            parity += quotes[k - 1]
            var inQuotes = parity & 1 == 1
            var i = max(nominal[k], bounds[k - 1])
            var boundary = end
            while i < end {
                let b = file.bytes[i]
                if b == 34 { inQuotes.toggle() } else if b == 10, !inQuotes { boundary = i + 1; break }
                i += 1
            }
            bounds.append(boundary)
        }
        bounds.append(end)
        return (0..<n).map { (bounds[$0], bounds[$0 + 1]) }
    }

    /// One field's values from the chunks' row-major staging buffers, in file order;
    /// `transform` sees each value and its chunk's index (used to remap key codes).
    private func column<T>(_ results: [ChunkResult], total: Int, width: Int, slot: Int,
                           _ buffer: KeyPath<ChunkResult, GrowableBuffer<T>>,
                           transform: (T, Int) -> T = { v, _ in v }) -> [T] {
        [T](unsafeUninitializedCapacity: total) { out, count in
            var o = 0
            for (k, r) in results.enumerated() {
                let src = r[keyPath: buffer].base
                for i in 0..<r.rows { out.initializeElement(at: o, to: transform(src[i * width + slot], k)); o += 1 }
            }
            count = total
        }
    }

    private func merge(_ results: [ChunkResult], chunks: [(Int, Int)], file: MappedFile, layout: Layout) -> ParsedTable {
        let fields = layout.fields
        let total = results.reduce(0) { $0 + $1.rows }
        var lineOffset = layout.headerLines
        var lineOffsets: [Int] = []
        for r in results { lineOffsets.append(lineOffset); lineOffset += r.linesPassed }

        // Key dictionaries: chunk 0's interner becomes the global one; later chunks remap.
        var codes: [String: [Int32]] = [:]
        var dictionaries: [String: KeyDictionary] = [:]
        var times: [String: [Int64]] = [:]
        var numbers: [String: [Double]] = [:]
        var texts: [String: [String]] = [:]
        // The last field of each kind: after it, that kind's staging buffers are freed.
        var lastOfKind: [FieldKind: Int] = [:]
        for (f, spec) in fields.enumerated() { lastOfKind[spec.kind == .category ? .key : spec.kind] = f }
        for (f, spec) in fields.enumerated() {
            defer {
                if lastOfKind[spec.kind == .category ? .key : spec.kind] == f { for r in results { r.releaseStaging(of: spec.kind) } }
            }
            let slot = layout.slot[f]
            switch spec.kind {
            case .key, .category:
                var global = results[0].takeInterner(slot)
                let remaps = results.map { r in r === results[0] ? nil : global.absorb(r.interners[slot]) }
                codes[spec.name] = column(results, total: total, width: layout.keyCount, slot: slot, \.keys) { c, chunk in
                    guard let remap = remaps[chunk], c >= 0 else { return c }
                    return remap[Int(c)]
                }
                dictionaries[spec.name] = KeyDictionary(global)
            case .timestamp:
                times[spec.name] = column(results, total: total, width: layout.timeCount, slot: slot, \.times)
            case .number:
                numbers[spec.name] = column(results, total: total, width: layout.numberCount, slot: slot, \.numbers)
            case .text:
                let width = layout.textCount
                var column: [String] = []
                column.reserveCapacity(total)
                for r in results { for i in 0..<r.rows { column.append(r.texts[i * width + slot]) } }
                texts[spec.name] = column
            }
        }
        var lineNumbers: [Int32] = []
        if schema.keepLineNumbers {
            lineNumbers.reserveCapacity(total)
            for (ri, r) in results.enumerated() {
                for i in 0..<r.rows { lineNumbers.append(Int32(lineOffsets[ri] + Int(r.lines[i]) + 1)) }
            }
        }
        var quality = fields.map { ColumnQuality(field: $0.name, source: $0.source?.description ?? "") }
        for r in results {
            for f in fields.indices {
                quality[f].empty += r.quality[f].empty
                quality[f].unparseable += r.quality[f].unparseable
                quality[f].negative += r.quality[f].negative
                quality[f].zero += r.quality[f].zero
                quality[f].future += r.quality[f].future
            }
        }
        var rejects: [RejectedRow] = []
        for (ri, r) in results.enumerated() {
            for rej in r.rejects {
                // The field's own line and column: count line breaks from the record start.
                var line = lineOffsets[ri] + rej.localLine + 1
                var lineStart = rej.recordStart
                var i = rej.recordStart
                while i < rej.offset { if file.bytes[i] == 10 { line += 1; lineStart = i + 1 }; i += 1 }
                let raw = String(decoding: UnsafeBufferPointer(start: file.bytes + rej.recordStart,
                                                               count: rej.recordEnd - rej.recordStart), as: UTF8.self)
                rejects.append(RejectedRow(table: schema.table, line: line, column: rej.offset - lineStart + 1,
                                           field: rej.field, category: rej.category, reason: rej.reason, raw: raw))
            }
        }
        return ParsedTable(schema: schema, path: file.path, rowsRead: results.reduce(0) { $0 + $1.rowsRead },
                           blankLines: results.reduce(0) { $0 + $1.blankLines }, delimiter: layout.delimiter,
                           hasHeader: layout.hasHeader, headerNames: layout.headerNames,
                           timestampFormat: layout.timestampFormat, timestampFormatDetected: layout.timestampFormatDetected,
                           columnQuality: quality, rejects: rejects, rowCount: total, codes: codes,
                           dictionaries: dictionaries, times: times, numbers: numbers, texts: texts,
                           lineNumbers: lineNumbers)
    }
}
