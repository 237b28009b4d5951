/// Duplicate-key and orphan checks that reject rows of an already parsed table.
struct ReferentialChecks {
    let policy: BadRowPolicy

    /// Rejects every row whose key (one or two key fields) was seen on an earlier row.
    /// Returns how many keys were duplicated and how many of those rows were exact copies.
    mutating func rejectDuplicateKeys(_ t: inout ParsedTable, key: String, and second: String? = nil) throws -> (keys: Int, exact: Int) {
        let a = t.codes[key]!
        let b = second.map { t.codes[$0]! }
        var firstRow: [Int64: Int] = [:]
        var keep = [Bool](repeating: true, count: t.rowCount)
        var rejects: [(Int, Int)] = []  // (row, first row)
        for i in 0..<t.rowCount {
            let k = Int64(a[i]) << 32 | Int64(UInt32(bitPattern: b?[i] ?? 0))
            if let f = firstRow[k] { keep[i] = false; rejects.append((i, f)) } else { firstRow[k] = i }
        }
        guard !rejects.isEmpty else { return (0, 0) }
        var exact = 0
        for (row, first) in rejects where t.rowsEqual(row, first) { exact += 1 }
        let name = second.map { "(\(key), \($0))" } ?? key
        let keysA = t.keys(key)
        let keysB = second.map { t.keys($0) } ?? []
        let lines = t.lineNumbers
        let described = rejects.map { r in
            let text = keysA[Int(a[r.0])] + (b.map { ", " + keysB[Int($0[r.0])] } ?? "")
            return (r.0, "duplicate key", "duplicate \(name) \(text); first seen on line \(lines[r.1])")
        }
        try reject(&t, keep: keep, rows: described)
        return (rejects.count, exact)
    }

    /// Rejects the rows for which `isValid` is false; returns how many.
    mutating func rejectOrphans(_ t: inout ParsedTable, label: String, file: String, isValid: (Int) -> Bool) throws -> Int {
        try rejectRows(&t, category: "orphan") { row in
            isValid(row) ? nil : "\(label): its reference is not among the accepted rows of \(file)"
        }
    }

    /// Rejects the rows for which `reason` gives a reason; returns how many.
    mutating func rejectRows(_ t: inout ParsedTable, category: String, reason: (Int) -> String?) throws -> Int {
        var keep = [Bool](repeating: true, count: t.rowCount)
        var bad: [(Int, String, String)] = []
        for i in 0..<t.rowCount {
            guard let why = reason(i) else { continue }
            keep[i] = false
            bad.append((i, category, why))
        }
        if !bad.isEmpty { try reject(&t, keep: keep, rows: bad) }
        return bad.count
    }

    private func reject(_ t: inout ParsedTable, keep: [Bool], rows: [(Int, String, String)]) throws {
        let lines = rows.map { Int(t.lineNumbers[$0.0]) }
        let raw = try MappedFile(path: t.path).lines(Set(lines))
        let more = zip(rows, lines).map { r, line in
            RejectedRow(table: t.schema.table, line: line, column: 1, field: nil, category: r.1, reason: r.2, raw: raw[line] ?? "")
        }
        if policy == .fail, let first = more.min(by: { $0.line < $1.line }) {
            throw IngestionError.badRow(path: t.path, line: first.line, column: 1, field: nil, reason: first.reason)
        }
        t.filterRows(keep)
        t.addRejects(more)
    }
}

extension ParsedTable {
    /// The codes of a key field that occur in accepted rows.
    func acceptedKeys(_ field: String) -> Set<Int32> { Set(codes[field] ?? []) }

    /// True when two accepted rows hold the same typed values in every field.
    func rowsEqual(_ i: Int, _ j: Int) -> Bool {
        codes.values.allSatisfy { $0[i] == $0[j] } && times.values.allSatisfy { $0[i] == $0[j] }
            && numbers.values.allSatisfy { $0[i] == $0[j] || ($0[i].isNaN && $0[j].isNaN) }
            && texts.values.allSatisfy { $0[i] == $0[j] }
    }
}

extension KeyDictionary {
    /// For each code of `self`, the code of the same key in `other`, or -1.
    func translate(to other: KeyDictionary) -> [Int32] {
        (0..<interner.count).map { c in interner.withKey(c) { p, n in other.interner.lookup(p, n) ?? -1 } }
    }
}
