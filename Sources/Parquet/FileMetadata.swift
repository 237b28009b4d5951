/// The footer's structures (parquet.thrift `FileMetaData`, `RowGroup`, `ColumnChunk`,
/// `ColumnMetaData`, `Statistics`, `SchemaElement`), encoded with the compact protocol. Field
/// ids are those of parquet.thrift.
struct ColumnChunkMetadata {
    var field: ParquetField
    var codec: Int32
    /// Rows, nulls included.
    var values: Int
    var statistics: ColumnStatistics
    var encodings: [Int32] = []
    var dataPageOffset = 0
    var dictionaryPageOffset: Int?
    var uncompressedBytes = 0
    var compressedBytes = 0

    init(field: ParquetField, codec: Int32, values: Int, statistics: ColumnStatistics) {
        self.field = field
        self.codec = codec
        self.values = values
        self.statistics = statistics
    }

    func encode(into w: inout ThriftCompactWriter) {
        w.beginStructElement()
        w.i64(2, Int64(dictionaryPageOffset ?? dataPageOffset))  // file_offset: where the chunk starts
        w.beginStruct(3)  // meta_data
        w.i32(1, field.type.physicalCode)
        w.beginList(2, of: .i32, count: encodings.count)
        for e in encodings { w.elementI32(e) }
        w.beginList(3, of: .binary, count: 1)
        w.elementString(field.name)
        w.i32(4, codec)
        w.i64(5, Int64(values))
        w.i64(6, Int64(uncompressedBytes))
        w.i64(7, Int64(compressedBytes))
        w.i64(9, Int64(dataPageOffset))
        if let dictionaryPageOffset { w.i64(11, Int64(dictionaryPageOffset)) }
        w.beginStruct(12)  // statistics
        w.i64(3, statistics.nullCount)
        if let max = statistics.max, let min = statistics.min {
            w.binary(5, max)  // max_value
            w.binary(6, min)  // min_value
        }
        w.endStruct()
        w.endStruct()
        w.endStruct()
    }
}

struct RowGroupMetadata {
    var columns: [ColumnChunkMetadata]
    var rows: Int
    var fileOffset: Int
    var uncompressedBytes: Int
    var compressedBytes: Int
}

struct FileMetadata {
    var schema: [ParquetField]
    var rows: Int
    var rowGroups: [RowGroupMetadata]
    var createdBy: String

    func encoded() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.i32(1, 2)  // version
        w.beginList(2, of: .structure, count: schema.count + 1)
        w.beginStructElement()  // the root
        w.string(4, "schema")
        w.i32(5, Int32(schema.count))
        w.endStruct()
        for field in schema { encode(field, into: &w) }
        w.i64(3, Int64(rows))
        w.beginList(4, of: .structure, count: rowGroups.count)
        for (ordinal, group) in rowGroups.enumerated() {
            w.beginStructElement()
            w.beginList(1, of: .structure, count: group.columns.count)
            for c in group.columns { c.encode(into: &w) }
            w.i64(2, Int64(group.uncompressedBytes))
            w.i64(3, Int64(group.rows))
            w.i64(5, Int64(group.fileOffset))
            w.i64(6, Int64(group.compressedBytes))
            w.i16(7, Int16(truncatingIfNeeded: ordinal))
            w.endStruct()
        }
        w.string(6, createdBy)
        // column_orders: TYPE_ORDER for every column, so readers use min_value / max_value.
        w.beginList(7, of: .structure, count: schema.count)
        for _ in schema {
            w.beginStructElement()
            w.beginStruct(1)
            w.endStruct()
            w.endStruct()
        }
        w.endStruct()
        return w.bytes
    }

    private func encode(_ field: ParquetField, into w: inout ThriftCompactWriter) {
        w.beginStructElement()
        w.i32(1, field.type.physicalCode)
        w.i32(3, field.nullable ? 1 : 0)  // OPTIONAL : REQUIRED
        w.string(4, field.name)
        switch field.type {
        case .string:
            w.i32(6, 0)  // converted_type UTF8
            w.beginStruct(10); w.beginStruct(1); w.endStruct(); w.endStruct()  // logicalType STRING
        case .date:
            w.i32(6, 6)  // DATE
            w.beginStruct(10); w.beginStruct(6); w.endStruct(); w.endStruct()  // logicalType DATE
        case .timestampMicros(let utc):
            if utc { w.i32(6, 10) }  // TIMESTAMP_MICROS (only for instants)
            w.beginStruct(10)
            w.beginStruct(8)  // TIMESTAMP
            w.bool(1, utc)
            w.beginStruct(2); w.beginStruct(2); w.endStruct(); w.endStruct()  // unit MICROS
            w.endStruct()
            w.endStruct()
        case .boolean, .int32, .int64, .double:
            break
        }
        w.endStruct()
    }
}
