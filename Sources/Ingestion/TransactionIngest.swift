import Core
import Foundation
/// The outcome of ingesting a source: the log, what was rejected, and the quality report.
public struct IngestResult: Sendable {
    public var log: TransactionLog
    public var rejects: [RejectedRow]
    public var report: QualityReport
    /// Wall-clock seconds per phase (reading phases, then grouping and checks).
    public var phaseSeconds: [(phase: String, seconds: Double)] = []
}

/// The one-object summary printed by `forecast ingest --format json`.
public struct IngestSummary: Codable, Sendable, Equatable {
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    public var transactionRows: Int
    public var excludedByStatus: Int
    public var duplicateRows: Int
    public var customers: Int
    public var products: Int
    public var orders: Int
    public var events: Int
    public var firstDay: String?
    public var lastDay: String?
    public var timestampFormat: String?
    public var timestampFormatDetected: Bool

    public init(_ r: QualityReport) {
        rowsRead = r.rowsRead
        rowsAccepted = r.rowsAccepted
        rowsRejected = r.rowsRejected
        transactionRows = r.log.rows
        excludedByStatus = r.log.excludedByStatus
        duplicateRows = r.tables.reduce(0) { $0 + $1.duplicateRows }
        customers = r.log.customers
        products = r.log.products
        orders = r.log.orders
        events = r.log.events
        firstDay = r.log.firstDay
        lastDay = r.log.lastDay
        let timed = r.tables.first { $0.timestampFormat != nil }
        timestampFormat = timed?.timestampFormat
        timestampFormatDetected = timed?.timestampFormatDetected ?? false
    }
}

/// Ingestion of transaction sources into a ``TransactionLog``.
public enum TransactionIngest {
    /// Header names that exports use for an order's status (compared without case).
    static let statusLikeNames: Set<String> = ["status", "order_status", "orderstatus", "order status", "order_state"]

    /// The first header column that looks like an order status, when no status is mapped:
    /// a shop export whose cancelled orders would otherwise count as sales without a word.
    static func unreadStatusColumn(_ header: [String]) -> String? {
        header.first { statusLikeNames.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
    }

    /// Reads one delimited file of transaction rows mapped by `mapping`.
    public static func flat(path: String, mapping: ColumnMapping, layoutName: String = "custom",
                            rules: QualityRules = QualityRules(), policy: BadRowPolicy = .reject,
                            threads: Int = defaultThreadCount) throws -> IngestResult {
        let schema = try mapping.schema(table: "transactions", rules: rules)
        var table = try TableReader(schema: schema, policy: policy, threads: threads).read(path: path)
        var clock = PhaseClock()
        if table.rowsRead == 0 {
            throw IngestionError.noData(path: path, reason: table.hasHeader ? "the file has a header but no data rows" : "the file has no data rows")
        }
        var rows = UngroupedTransactions(customer: table.codes["customer_id"]!, customerIDs: table.keys("customer_id"),
                                         seconds: table.times["timestamp"]!)
        if let p = table.codes["product_id"] { rows.product = p; rows.productIDs = table.keys("product_id") }
        if let q = table.numbers["quantity"] { rows.quantity = q }
        if let a = table.numbers["amount"] {
            rows.amount = a
        } else if let price = table.numbers["unit_price"] {
            rows.amount = rows.quantity.isEmpty ? price : zip(rows.quantity, price).map { $0 * $1 }
        }
        if let o = table.codes["order_id"] { rows.order = o }
        let statusColumn = table.codes["status"]
        table.releaseColumns()

        var lines = table.lineNumbers
        var excluded = 0
        if let status = statusColumn {
            let excludedCodes = Set(mapping.excludedStatuses.compactMap { s in
                table.keys("status").firstIndex { $0.lowercased() == s.lowercased() }.map(Int32.init)
            })
            if !excludedCodes.isEmpty {
                let keep = status.map { !excludedCodes.contains($0) }
                excluded = keep.lazy.filter { !$0 }.count
                rows = rows.filtered(keep)
                lines = zip(lines, keep).compactMap { $1 ? $0 : nil }
            }
        }

        clock.lap("columns")
        let grouping = TransactionLog.grouping(rows.take(), dropDuplicates: rules.duplicateRows == .reject)
        clock.lap("group")
        var duplicateRows = grouping.duplicatePositions.count
        if rules.duplicateRows == .reject, duplicateRows > 0 {
            let duplicateLines = grouping.duplicatePositions.map { Int(lines[$0]) }
            let raw = try MappedFile(path: path).lines(Set(duplicateLines))
            let more = duplicateLines.map { l in
                RejectedRow(table: "transactions", line: l, column: 1, field: nil, category: "duplicate row",
                            reason: "exact duplicate of an earlier row (same customer, time, product, quantity and amount)",
                            raw: raw[l] ?? "")
            }
            table.addRejects(more)
            table.rowCount -= more.count
            if policy == .fail, let first = more.min(by: { $0.line < $1.line }) {
                throw IngestionError.badRow(path: path, line: first.line, column: 1, field: nil, reason: first.reason)
            }
        } else if rules.duplicateRows == .allow {
            duplicateRows = 0
        }
        let log = grouping.log
        var report = QualityReport(source: path, layout: layoutName,
                                   tables: [TableQuality(table, duplicateRows: duplicateRows)],
                                   log: .assess(log, excludedByStatus: excluded, rules: rules),
                                   rules: rules.descriptions)
        if statusColumn == nil { report.unmappedStatusColumn = unreadStatusColumn(table.headerNames) }
        clock.lap("checks")
        return IngestResult(log: log, rejects: table.rejects, report: report, phaseSeconds: table.phaseSeconds + clock.laps)
    }
}

extension UngroupedTransactions {
    /// Returns the rows and leaves this value empty, so the only reference moves on.
    mutating func take() -> UngroupedTransactions {
        let rows = self
        self = UngroupedTransactions(customer: [], customerIDs: [], seconds: [])
        return rows
    }

    /// Keeps the rows where `keep[i]` is true.
    func filtered(_ keep: [Bool]) -> UngroupedTransactions {
        func f<T>(_ a: [T]) -> [T] { a.isEmpty ? a : zip(a, keep).compactMap { $1 ? $0 : nil } }
        var r = UngroupedTransactions(customer: f(customer), customerIDs: customerIDs, seconds: f(seconds))
        r.product = f(product); r.productIDs = productIDs
        r.quantity = f(quantity); r.amount = f(amount); r.order = f(order)
        return r
    }
}

extension MappedFile {
    /// The text of the given 1-based physical lines, in one pass over the file.
    func lines(_ wanted: Set<Int>) -> [Int: String] {
        guard let maxLine = wanted.max() else { return [:] }
        var out: [Int: String] = [:]
        var line = 1
        var start = 0
        var i = 0
        while i <= count, line <= maxLine {
            if i == count || bytes[i] == 10 {
                if wanted.contains(line) {
                    var e = i
                    if e > start, bytes[e - 1] == 13 { e -= 1 }
                    out[line] = String(decoding: UnsafeBufferPointer(start: bytes + start, count: e - start), as: UTF8.self)
                }
                line += 1
                start = i + 1
            }
            i += 1
        }
        return out
    }
}
