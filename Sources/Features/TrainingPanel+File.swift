import Core
import Foundation
import Ingestion

/// A training panel read from a CSV file an engine wrote (`forecast sql panel` run in
/// PostgreSQL, Spark, ...), so that `forecast train --panel` fits on it without the log.
public struct PanelFile: Sendable {
    public let panel: TrainingPanel
    /// The customer ids, indexed by the panel's `customers`.
    public let customerIDs: [String]
    /// Data rows read = ``rowsAccepted`` + ``rejects``.count.
    public let rowsRead: Int
    public var rowsAccepted: Int { panel.rowCount }
    /// Rows refused (a missing customer, origin or target, a value that is not a number, a
    /// negative target, an origin that is not a month start), with file, line and column.
    public let rejects: [RejectedRow]
    /// The files read (one, or the part files of a folder).
    public let files: [String]

    /// The columns a panel file has: `customer_id`, `origin`, feature columns named as in
    /// ``FeatureSet`` (any subset, in any order; missing values empty) and `next_month_events`.
    public static let requiredColumns = ["customer_id", "origin", "next_month_events"]

    /// Reads `path`: a CSV file with a header, or a folder of them (`part-*.csv`, as Spark
    /// writes a CSV output), all with the same header. Throws ``PanelFileError`` for a file
    /// without the required columns, with a column that is not a feature, or without a row.
    public init(path: String, threads: Int = defaultThreadCount) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw PanelFileError.missing(path) }
        var files = [path]
        if isFolder.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") && !$0.hasPrefix("_") }.sorted().map { "\(path)/\($0)" }
            guard !files.isEmpty else { throw PanelFileError.noCSV(path) }
        }
        let header = try Self.header(of: files[0])
        for name in Self.requiredColumns where !header.contains(name) {
            throw PanelFileError.missingColumn(file: files[0], column: name, header: header)
        }
        let known = FeatureSet.names(withProducts: true)
        let features = header.filter { !Self.requiredColumns.contains($0) }
        if let unknown = features.first(where: { !known.contains($0) }) {
            throw PanelFileError.unknownColumn(file: files[0], column: unknown, known: known)
        }
        // Canonical feature order, whatever the file's: a model trained here reads features by name.
        let names = known.filter(features.contains)
        var fields = [FieldSpec("customer_id", .key, source: .name("customer_id")),
                      FieldSpec("origin", .timestamp, source: .name("origin")),
                      FieldSpec("next_month_events", .number, source: .name("next_month_events"), negative: .reject)]
        fields += names.map { FieldSpec($0, .number, source: .name($0), required: false) }
        let schema = TableSchema(table: "panel", fields: fields, delimiter: .comma, timestampFormat: .iso8601, header: .present,
                                 keepLineNumbers: true)

        // The accepted rows of every file, column by column (a panel can hold millions of rows: no array per row).
        var ids: [String] = [], code: [String: Int32] = [:]
        var originDay: [Int] = [], customer: [Int32] = [], target: [Double] = []
        var values = [[Double]](repeating: [], count: names.count)
        var rejects: [RejectedRow] = [], read = 0
        for file in files {
            if try Self.header(of: file) != header { throw PanelFileError.differentHeader(file: file, first: files[0]) }
            let table = try TableReader(schema: schema, policy: .reject, threads: threads).read(path: file)
            read += table.rowsRead
            rejects += table.rejects
            let keys = table.keys("customer_id"), codes = table.codes["customer_id"] ?? []
            let origin = table.times["origin"] ?? [], events = table.numbers["next_month_events"] ?? []
            let columns = names.map { table.numbers[$0] ?? [] }
            // This file's key codes as panel-wide customer codes.
            let panelCode = keys.map { id in code[id] ?? { let n = Int32(ids.count); ids.append(id); code[id] = n; return n }() }
            for r in 0..<table.rowCount {
                let day = dayNumber(ofSeconds: origin[r])
                guard CivilDate(dayNumber: day).day == 1, origin[r] == Int64(day) * 86_400 else {
                    rejects.append(Self.reject(table, row: r, "origin", "origin \(CivilDate(dayNumber: day)) is not a month start")); continue
                }
                guard events[r] == events[r].rounded(), events[r] < 1e9 else {
                    rejects.append(Self.reject(table, row: r, "next_month_events", "next_month_events \(events[r]) is not a count")); continue
                }
                originDay.append(day)
                customer.append(panelCode[Int(codes[r])])
                target.append(events[r])
                for f in names.indices { values[f].append(columns[f][r]) }
            }
        }
        guard !target.isEmpty else { throw PanelFileError.noRows(path, rejected: rejects.count) }
        // Stacked origin by origin, customers by id within an origin: the same panel whatever order the engine wrote.
        var rank = [Int32](repeating: 0, count: ids.count)
        for (k, c) in ids.indices.sorted(by: { ids[$0] < ids[$1] }).enumerated() { rank[c] = Int32(k) }
        let order = target.indices.sorted { (originDay[$0], rank[Int(customer[$0])]) < (originDay[$1], rank[Int(customer[$1])]) }
        var origins: [Int] = []
        var originIndex: [Int32] = []
        originIndex.reserveCapacity(order.count)
        for i in order {
            if origins.last != originDay[i] { origins.append(originDay[i]) }
            originIndex.append(Int32(origins.count - 1))
        }
        panel = TrainingPanel(names: names, origins: origins, origin: originIndex, customers: order.map { customer[$0] },
                              columns: values.map { column in order.map { column[$0] } }, target: order.map { target[$0] })
        customerIDs = ids
        rowsRead = read
        self.rejects = rejects.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        self.files = files
    }

    /// A row the reader accepted but the panel cannot use, at its line.
    static func reject(_ table: ParsedTable, row r: Int, _ column: String, _ reason: String) -> RejectedRow {
        RejectedRow(table: "panel", line: r < table.lineNumbers.count ? Int(table.lineNumbers[r]) : 0, column: 1, field: column,
                    category: "invalid \(column)", reason: reason, raw: "")
    }

    /// The header names of a CSV file (its first line, split at commas, quotes removed).
    static func header(of file: String) throws -> [String] {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw PanelFileError.missing(file) }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1 << 16)) ?? Data()
        let line = String(decoding: head.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
        return line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }
}

/// Why a panel file cannot be read.
public enum PanelFileError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case noCSV(String)
    case missingColumn(file: String, column: String, header: [String])
    case unknownColumn(file: String, column: String, known: [String])
    case differentHeader(file: String, first: String)
    case noRows(String, rejected: Int)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no such file or folder"
        case .noCSV(let path): "\(path): a folder without .csv files (a panel is a CSV file, or a folder of part files)"
        case .missingColumn(let file, let column, let header):
            "\(file), line 1: the panel has no column \(column) (its columns: \(header.joined(separator: ", "))); "
                + "a panel has customer_id, origin, feature columns and next_month_events, as `forecast sql panel` writes them"
        case .unknownColumn(let file, let column, let known):
            "\(file), line 1: \(column) is not a feature; the features are \(known.joined(separator: ", "))"
        case .differentHeader(let file, let first): "\(file), line 1: its header differs from \(first)'s"
        case .noRows(let path, let rejected): "\(path): no panel row to train on (\(rejected) rows rejected)"
        }
    }
}
