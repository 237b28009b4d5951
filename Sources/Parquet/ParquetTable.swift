extension ParquetColumnBatch {
    /// Rows `range` of this column.
    public func rows(_ range: Range<Int>) -> ParquetColumnBatch {
        let v: ParquetValues
        switch values {
        case .boolean(let a): v = .boolean(Array(a[range]))
        case .int32(let a): v = .int32(Array(a[range]))
        case .int64(let a): v = .int64(Array(a[range]))
        case .double(let a): v = .double(Array(a[range]))
        case .string(let a): v = .string(Array(a[range]))
        case .coded(let entries, let codes): v = .coded(entries: entries, codes: Array(codes[range]))
        }
        return ParquetColumnBatch(v, valid: valid.map { Array($0[range]) })
    }

    /// Doubles with NaN written as null (as the CSV files leave such a field empty).
    public static func doublesNaNAsNull(_ values: [Double]) -> ParquetColumnBatch {
        let valid = values.map { !$0.isNaN }
        return ParquetColumnBatch(.double(values), valid: valid.contains(false) ? valid : nil)
    }

    /// Optional doubles: nil is null.
    public static func optionalDoubles(_ values: [Double?]) -> ParquetColumnBatch {
        let valid = values.map { $0 != nil }
        return ParquetColumnBatch(.double(values.map { $0 ?? 0 }), valid: valid.contains(false) ? valid : nil)
    }
}

/// Whole tables held in memory, written in row groups.
public enum ParquetTable {
    /// Writes `columns` (one per field of `schema`, all of the same length) to `path` in row
    /// groups of `rowGroupRows`.
    @discardableResult
    public static func write(to path: String, schema: [ParquetField], columns: [ParquetColumnBatch], rowGroupRows: Int = 1 << 20,
                             options: ParquetFileWriter.Options = .init()) throws -> ParquetFileWriter.Summary {
        let writer = try ParquetFileWriter(path: path, schema: schema, options: options)
        let n = columns.first?.values.count ?? 0
        var start = 0
        while start < n {
            let end = min(n, start + max(1, rowGroupRows))
            try writer.write(start == 0 && end == n ? columns : columns.map { $0.rows(start..<end) })
            start = end
        }
        if n == 0 { try writer.write(columns) }  // checks the columns against the schema
        return try writer.close()
    }
}
