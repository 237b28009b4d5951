#if canImport(Glibc)
import Glibc
#endif
import Core
import CZlib

/// Writes a Parquet file (the Apache Parquet format, written from its specification): a flat
/// schema of required or optional columns, one row group per ``write(_:)`` batch, data pages
/// (v1) of about `pageBytes`, definition levels in the RLE / bit-packing hybrid, strings
/// and numbers dictionary-encoded (RLE_DICTIONARY) while their dictionary stays small and
/// PLAIN otherwise, booleans PLAIN, chunk statistics (min, max, null count), pages
/// compressed with Snappy (the default), GZIP or not at all, and the footer in Thrift's
/// compact protocol.
///
/// The file is written to `path.tmp` and renamed on ``close()``: a reader never sees half a
/// file, and a writer dropped without closing leaves only the temporary file.
public final class ParquetFileWriter {
    public enum Compression: Sendable, Equatable {
        case none
        /// Snappy (fast, the usual default of Parquet writers).
        case snappy
        /// zlib's deflate in a gzip member; level 1 (fastest) to 9 (smallest).
        case gzip(level: Int)

        var codec: Int32 {
            switch self {
            case .none: return 0
            case .snappy: return 1
            case .gzip: return 2
            }
        }
    }

    public struct Options: Sendable {
        public var compression: Compression
        /// A data page is cut once its values reach this size.
        public var pageBytes: Int
        /// A column chunk falls back to PLAIN when its dictionary would pass this size or
        /// 65,536 entries.
        public var dictionaryBytes: Int
        public var createdBy: String

        public init(compression: Compression = .snappy, pageBytes: Int = 1 << 20, dictionaryBytes: Int = 1 << 20,
                    createdBy: String = "customer-forecasting parquet writer version 1.0") {
            self.compression = compression
            self.pageBytes = pageBytes
            self.dictionaryBytes = dictionaryBytes
            self.createdBy = createdBy
        }
    }

    /// What a closed file holds.
    public struct Summary: Sendable, Equatable {
        public var rows: Int
        public var rowGroups: Int
        public var bytes: Int
    }

    public let path: String
    public let schema: [ParquetField]
    public let options: Options

    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var position = 0
    private var rowGroups: [RowGroupMetadata] = []
    private var rows = 0
    private var closed = false

    public init(path: String, schema: [ParquetField], options: Options = Options()) throws {
        self.path = path
        self.schema = schema
        self.options = options
        temporaryPath = path + ".tmp"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ParquetError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(1 << 22)
        emit(Self.magic)
    }

    deinit {
        if fd >= 0 {
            Glibc.close(fd)
            unlink(temporaryPath)
        }
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    /// Writes one row group. Every column of the schema, in order, with the same row count;
    /// an empty batch writes nothing.
    public func write(_ batch: [ParquetColumnBatch]) throws {
        guard !closed else { throw ParquetError.closed }
        guard batch.count == schema.count else { throw ParquetError.columnCount(expected: schema.count, got: batch.count) }
        let n = batch.first?.values.count ?? 0
        for (field, column) in zip(schema, batch) {
            guard column.values.fits(field.type) else { throw ParquetError.typeMismatch(column: field.name, expected: "\(field.type)") }
            guard column.values.count == n, column.valid.map({ $0.count == n }) ?? true else {
                throw ParquetError.rowCount(column: field.name, expected: n, got: column.values.count)
            }
            if !field.nullable, let valid = column.valid, let row = valid.firstIndex(of: false) {
                throw ParquetError.nullInRequiredColumn(column: field.name, row: row)
            }
            if case .coded(let entries, let codes) = column.values,
               let row = codes.indices.first(where: { (column.valid?[$0] ?? true) && !(0..<Int32(entries.count)).contains(codes[$0]) }) {
                throw ParquetError.codeOutOfRange(column: field.name, row: row, code: codes[row])
            }
        }
        guard n > 0 else { return }
        let start = position
        // Columns are encoded and compressed independently (in parallel), then written in
        // schema order: the bytes do not depend on the thread count.
        let options = self.options, schema = self.schema
        let encoded = parallelMap(schema.count) { i in
            Result { try ChunkEncoder(options: options).encode(schema[i], batch[i], rows: n) }
        }
        var chunks: [ColumnChunkMetadata] = []
        for result in encoded {
            var (bytes, chunk) = try result.get()
            chunk.dataPageOffset += position
            chunk.dictionaryPageOffset = chunk.dictionaryPageOffset.map { $0 + position }
            emit(bytes)
            chunks.append(chunk)
            try flush(keeping: 1 << 22)
        }
        rowGroups.append(RowGroupMetadata(columns: chunks, rows: n, fileOffset: start,
                                          uncompressedBytes: chunks.reduce(0) { $0 + $1.uncompressedBytes },
                                          compressedBytes: chunks.reduce(0) { $0 + $1.compressedBytes }))
        rows += n
    }

    /// Writes the footer, closes the file and renames it into place.
    @discardableResult
    public func close() throws -> Summary {
        guard !closed else { throw ParquetError.closed }
        closed = true
        let footer = FileMetadata(schema: schema, rows: rows, rowGroups: rowGroups, createdBy: options.createdBy).encoded()
        emit(footer)
        emit(PlainEncoding.bytes(of: UInt32(footer.count).littleEndian))
        emit(Self.magic)
        try flush(keeping: 0)
        let rc = Glibc.close(fd)
        fd = -1
        guard rc == 0 else { throw ParquetError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ParquetError.cannotWrite(path: path, reason: reason)
        }
        return Summary(rows: rows, rowGroups: rowGroups.count, bytes: position)
    }

    // MARK: output

    private func emit(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        position += bytes.count
    }

    private func flush(keeping limit: Int) throws {
        guard buffer.count > limit else { return }
        var written = 0
        try buffer.withUnsafeBytes { raw in
            while written < raw.count {
                let r = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if r < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                }
                written += r
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A column chunk's dictionary: the distinct values in order of first use, PLAIN-encoded for
/// the dictionary page, and each row's index into them. Nil (the chunk stays PLAIN) when there
/// are more than ``maximumEntries`` values or their bytes pass the chunk's limit.
struct ValueDictionary {
    static let maximumEntries = 65_536
    /// Index of each row's value (0 for nulls, which are not written).
    var index: [UInt32]
    var plain: [UInt8] = []
    private(set) var count = 0

    init?(_ strings: [String], valid: [Bool]?, maxBytes: Int) {
        var lookup: [String: UInt32] = [:]
        var entries: [String] = []
        index = [UInt32](repeating: 0, count: strings.count)
        for r in strings.indices where valid?[r] ?? true {
            if let i = lookup[strings[r]] {
                // Swift's == is canonical equivalence: "é" precomposed equals "e" + U+0301.
                // Such a pair must keep its own bytes, so the chunk stays PLAIN.
                guard PlainEncoding.utf8Equal(entries[Int(i)], strings[r]) else { return nil }
                index[r] = i
                continue
            }
            let i = UInt32(entries.count)
            lookup[strings[r]] = i
            entries.append(strings[r])
            PlainEncoding.appendString(strings[r], to: &plain)
            count += 1
            if count > Self.maximumEntries || plain.count > maxBytes { return nil }
            index[r] = i
        }
        if count == 0 { return nil }
    }

    /// The dictionary of the entries `codes` use, in order of first use (codes checked by the caller).
    init?(entries table: [String], codes: [Int32], valid: [Bool]?, maxBytes: Int) {
        var local = [Int32](repeating: -1, count: table.count)
        index = [UInt32](repeating: 0, count: codes.count)
        for r in codes.indices where valid?[r] ?? true {
            let g = Int(codes[r])
            if local[g] < 0 {
                local[g] = Int32(count)
                PlainEncoding.appendString(table[g], to: &plain)
                count += 1
                if count > Self.maximumEntries || plain.count > maxBytes { return nil }
            }
            index[r] = UInt32(local[g])
        }
        if count == 0 { return nil }
    }

    /// The dictionary of fixed-width numbers (`width` 4 or 8 bytes), by bit pattern, so that
    /// -0.0 and +0.0 stay apart and a NaN keeps its payload. An open-addressing table keyed by
    /// the bits (Swift's Dictionary doubled the write time of a numeric column); a row equal to
    /// the one before reuses its index without a lookup.
    init?(bits: (Int) -> UInt64, rows n: Int, width: Int, valid: [Bool]?, maxBytes: Int) {
        index = [UInt32](repeating: 0, count: n)
        let capacity = 1 << 17  // twice the most entries, a power of two
        var keys = [UInt64](repeating: 0, count: capacity), slots = [Int32](repeating: -1, count: capacity)
        var previous: (bits: UInt64, index: UInt32)?
        for r in 0..<n where valid?[r] ?? true {
            let b = bits(r)
            if let p = previous, p.bits == b { index[r] = p.index; continue }
            var h = Int(truncatingIfNeeded: (b &* 0x9E37_79B9_7F4A_7C15) >> 47) & (capacity - 1)
            while slots[h] >= 0 && keys[h] != b { h = (h + 1) & (capacity - 1) }
            if slots[h] < 0 {
                keys[h] = b
                slots[h] = Int32(count)
                var little = b.littleEndian
                withUnsafeBytes(of: &little) { plain.append(contentsOf: $0.prefix(width)) }
                count += 1
                if count > Self.maximumEntries || plain.count > maxBytes { return nil }
            }
            index[r] = UInt32(slots[h])
            previous = (b, index[r])
        }
        if count == 0 { return nil }
    }
}

/// Encodes one column chunk: the dictionary page when the values have a small dictionary,
/// then data pages of about `pageBytes`, each compressed. Pure: it only reads its inputs.
struct ChunkEncoder {
    let options: ParquetFileWriter.Options

    /// The chunk's pages (offsets in the metadata relative to the chunk's first byte).
    func encode(_ field: ParquetField, _ column: ParquetColumnBatch, rows n: Int) throws -> (bytes: [UInt8], metadata: ColumnChunkMetadata) {
        var out: [UInt8] = []
        let valid = field.nullable ? column.valid : nil
        var chunk = ColumnChunkMetadata(field: field, codec: options.compression.codec, values: n,
                                        statistics: ColumnStatistics(column.values, valid: valid))
        var dictionary: ValueDictionary?
        let maxBytes = options.dictionaryBytes
        switch column.values {
        case .string(let strings): dictionary = ValueDictionary(strings, valid: valid, maxBytes: maxBytes)
        case .coded(let entries, let codes): dictionary = ValueDictionary(entries: entries, codes: codes, valid: valid, maxBytes: maxBytes)
        case .int32(let v): dictionary = ValueDictionary(bits: { UInt64(UInt32(bitPattern: v[$0])) }, rows: n, width: 4, valid: valid, maxBytes: maxBytes)
        case .int64(let v): dictionary = ValueDictionary(bits: { UInt64(bitPattern: v[$0]) }, rows: n, width: 8, valid: valid, maxBytes: maxBytes)
        case .double(let v): dictionary = ValueDictionary(bits: { v[$0].bitPattern }, rows: n, width: 8, valid: valid, maxBytes: maxBytes)
        case .boolean: break
        }
        if let dictionary {
            chunk.dictionaryPageOffset = out.count
            chunk.encodings = [0, 3, 8]  // PLAIN (the dictionary), RLE (levels), RLE_DICTIONARY
            try page(content: dictionary.plain, header: { h, size, compressed in
                h.i32(1, 2)  // DICTIONARY_PAGE
                h.i32(2, Int32(size)); h.i32(3, Int32(compressed))
                h.beginStruct(7)
                h.i32(1, Int32(dictionary.count)); h.i32(2, 0)  // PLAIN
                h.endStruct()
            }, chunk: &chunk, into: &out)
        } else {
            chunk.encodings = [0, 3]  // PLAIN, RLE (levels)
        }
        chunk.dataPageOffset = out.count
        let bitWidth = dictionary.map { RLEHybridEncoder.bitWidth(forMaximum: UInt32(max(0, $0.count - 1))) } ?? 0
        var first = 0
        while first < n {
            // Rows of this page: until its values reach pageBytes.
            var last = first, bytes = 0
            while last < n, bytes < options.pageBytes {
                bytes += estimatedBytes(column.values, last, dictionary: dictionary != nil)
                last += 1
            }
            var content: [UInt8] = []
            content.reserveCapacity(bytes + 64)
            if field.nullable {
                let levels = (first..<last).map { UInt32(valid?[$0] ?? true ? 1 : 0) }
                let encoded = RLEHybridEncoder.encode(levels, bitWidth: 1)
                content.append(contentsOf: PlainEncoding.bytes(of: UInt32(encoded.count).littleEndian))
                content.append(contentsOf: encoded)
            }
            if let dictionary {
                content.append(UInt8(bitWidth))
                let indices = (first..<last).compactMap { valid?[$0] ?? true ? dictionary.index[$0] : nil }
                indices.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: bitWidth, into: &content) }
            } else {
                PlainEncoding.append(column.values, rows: first..<last, valid: valid, to: &content)
            }
            let pageRows = last - first
            let encoding: Int32 = dictionary == nil ? 0 : 8
            try page(content: content, header: { h, size, compressed in
                h.i32(1, 0)  // DATA_PAGE
                h.i32(2, Int32(size)); h.i32(3, Int32(compressed))
                h.beginStruct(5)
                h.i32(1, Int32(pageRows)); h.i32(2, encoding); h.i32(3, 3); h.i32(4, 3)  // levels: RLE
                h.endStruct()
            }, chunk: &chunk, into: &out)
            first = last
        }
        return (out, chunk)
    }

    private func estimatedBytes(_ values: ParquetValues, _ row: Int, dictionary: Bool) -> Int {
        switch values {
        case .boolean: return 1
        case .int32: return dictionary ? 2 : 4
        case .int64, .double: return dictionary ? 2 : 8
        case .string(let v): return dictionary ? 2 : 4 + v[row].utf8.count
        case .coded(let entries, let codes): return dictionary ? 2 : 4 + entries[Int(codes[row])].utf8.count
        }
    }

    /// Compresses `content`, writes the page header (`header` fills it given the uncompressed
    /// and compressed sizes) and the page, and adds both to the chunk's sizes.
    private func page(content: [UInt8], header: (inout ThriftCompactWriter, Int, Int) -> Void,
                      chunk: inout ColumnChunkMetadata, into out: inout [UInt8]) throws {
        let body = try compress(content)
        var h = ThriftCompactWriter()
        header(&h, content.count, body.count)
        h.endStruct()
        out.append(contentsOf: h.bytes)
        out.append(contentsOf: body)
        chunk.uncompressedBytes += h.bytes.count + content.count
        chunk.compressedBytes += h.bytes.count + body.count
    }

    private func compress(_ content: [UInt8]) throws -> [UInt8] {
        let level: Int
        switch options.compression {
        case .none: return content
        case .snappy: return SnappyCompressor.compress(content)
        case .gzip(let l): level = l
        }
        var capacity = czlib_gzip_bound(content.count)
        var out = [UInt8](repeating: 0, count: capacity)
        let rc = content.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                czlib_gzip(input.baseAddress, input.count, output.baseAddress, &capacity, Int32(max(1, min(9, level))))
            }
        }
        guard rc == 0 else { throw ParquetError.compressionFailed(code: rc) }
        out.removeLast(out.count - capacity)
        return out
    }
}
