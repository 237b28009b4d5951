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

        var ids: [String] = [], code: [String: Int32] = [:]
        var rows: [(origin: Int, customer: Int32, line: Int, values: [Double], target: Double)] = []
        var rejects: [RejectedRow] = [], read = 0
        for file in files {
            if try Self.header(of: file) != header { throw PanelFileError.differentHeader(file: file, first: files[0]) }
            let table = try TableReader(schema: schema, policy: .reject, threads: threads).read(path: file)
            read += table.rowsRead
            rejects += table.rejects
            let keys = table.keys("customer_id"), customer = table.codes["customer_id"] ?? []
            let origin = table.times["origin"] ?? [], target = table.numbers["next_month_events"] ?? []
            let columns = names.map { table.numbers[$0] ?? [] }
            for r in 0..<table.rowCount {
                let line = r < table.lineNumbers.count ? Int(table.lineNumbers[r]) : 0
                let day = Int((origin[r] / 86_400)) - (origin[r] % 86_400 < 0 ? 1 : 0)
                func reject(_ column: String, _ reason: String) {
                    rejects.append(RejectedRow(table: "panel", line: line, column: 1, field: column, category: "invalid \(column)",
                                               reason: reason, raw: ""))
                }
                guard CivilDate(dayNumber: day).day == 1, origin[r] % 86_400 == 0 else {
                    reject("origin", "origin \(CivilDate(dayNumber: day)) is not a month start"); continue
                }
                guard target[r] == target[r].rounded(), target[r] < 1e9 else {
                    reject("next_month_events", "next_month_events \(target[r]) is not a count"); continue
                }
                let id = keys[Int(customer[r])]
                let c = code[id] ?? { let n = Int32(ids.count); ids.append(id); code[id] = n; return n }()
                rows.append((day, c, line, columns.map { $0[r] }, target[r]))
            }
        }
        guard !rows.isEmpty else { throw PanelFileError.noRows(path, rejected: rejects.count) }
        rows.sort { ($0.origin, ids[Int($0.customer)]) < ($1.origin, ids[Int($1.customer)]) }
        var origins: [Int] = []
        var originIndex: [Int32] = []
        for row in rows {
            if origins.last != row.origin { origins.append(row.origin) }
            originIndex.append(Int32(origins.count - 1))
        }
        panel = TrainingPanel(names: names, origins: origins, origin: originIndex, customers: rows.map(\.customer),
                              columns: names.indices.map { f in rows.map { $0.values[f] } }, target: rows.map(\.target))
        customerIDs = ids
        rowsRead = read
        self.rejects = rejects.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        self.files = files
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
