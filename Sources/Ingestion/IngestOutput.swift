import Core
import Foundation

/// Writes an ingestion's results to a folder: `transactions.csv` (the normalized log),
/// `rejects.csv`, `quality.json` and `quality.md`.
public enum IngestOutput {
    public static func write(_ result: IngestResult, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try writeTransactions(result.log, path: directory + "/transactions.csv")
        try writeQuality(result, to: directory)
    }

    /// `rejects.csv`, `quality.json` and `quality.md` only.
    public static func writeQuality(_ result: IngestResult, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try writeRejects(result.rejects, path: directory + "/rejects.csv")
        try Data(TextQuoting.jsonText(result.report).utf8).write(to: URL(fileURLWithPath: directory + "/quality.json"), options: .atomic)
        try Data(QualityMarkdown.render(result.report).utf8).write(to: URL(fileURLWithPath: directory + "/quality.md"), options: .atomic)
    }

    /// The normalized log: `customer_id,timestamp[,product_id],quantity[,amount][,order_id]`,
    /// grouped by customer and sorted by time, timestamps as `YYYY-MM-DDTHH:MM:SS` UTC.
    public static func writeTransactions(_ log: TransactionLog, path: String) throws {
        let w = try ByteWriter(path: path)
        var header = ["customer_id", "timestamp"]
        if log.hasProducts { header.append("product_id") }
        header.append("quantity")
        if log.hasAmounts { header.append("amount") }
        if !log.order.isEmpty { header.append("order_id") }
        w.text(header.joined(separator: ","))
        w.newline()
        for c in 0..<log.customerCount {
            let id = log.customerIDs[c]
            for i in log.rows(ofCustomer: c) {
                w.field(id); w.byte(44)
                w.timestamp(log.seconds[i])
                if log.hasProducts { w.byte(44); w.field(log.productIDs[Int(log.product[i])]) }
                w.byte(44); w.decimal(log.quantity[i])
                if log.hasAmounts { w.byte(44); w.decimal(log.amount[i]) }
                if !log.order.isEmpty { w.byte(44); w.int(Int(log.order[i])) }
                w.newline()
            }
        }
        try w.close()
    }

    /// `table,line,column,field,category,reason,raw`: one row per rejected source row.
    public static func writeRejects(_ rejects: [RejectedRow], path: String) throws {
        let w = try ByteWriter(path: path)
        w.text("table,line,column,field,category,reason,raw")
        w.newline()
        for r in rejects {
            w.field(r.table); w.byte(44)
            w.int(r.line); w.byte(44)
            w.int(r.column); w.byte(44)
            w.field(r.field ?? ""); w.byte(44)
            w.field(r.category); w.byte(44)
            w.field(r.reason); w.byte(44)
            w.field(r.raw)
            w.newline()
        }
        try w.close()
    }
}

/// The quality report as Markdown for people.
enum QualityMarkdown {
    static func render(_ r: QualityReport) -> String {
        var s = "# Data-quality report\n\nSource: `\(r.source)` (layout `\(r.layout)`)\n\n"
        s += "## Tables\n\n| table | rows read | accepted | rejected | blank lines | duplicate rows | duplicate keys | delimiter | timestamp format |\n"
        s += "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n"
        for t in r.tables {
            let fmt = t.timestampFormat.map { $0 + (t.timestampFormatDetected ? " (detected)" : "") } ?? ""
            s += "| \(t.table) | \(t.rowsRead) | \(t.rowsAccepted) | \(t.rowsRejected) | \(t.blankLines) | \(t.duplicateRows) | \(t.duplicateKeys) | \(t.delimiter) | \(fmt) |\n"
        }
        for t in r.tables {
            s += "\n### \(t.table)\n\nFile: `\(t.file)`; rows read = accepted + rejected: \(t.rowsRead) = \(t.rowsAccepted) + \(t.rowsRejected)\n\n"
            s += "| field | source column | empty | unparseable | negative | zero | after as-of day |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n"
            for c in t.columns { s += "| \(c.field) | \(c.source) | \(c.empty) | \(c.unparseable) | \(c.negative) | \(c.zero) | \(c.future) |\n" }
            if !t.rejectsByCategory.isEmpty {
                s += "\nRejects by reason:\n\n"
                for c in t.rejectsByCategory { s += "- \(c.label): \(c.count)\n" }
            }
            if !t.orphans.isEmpty {
                s += "\nOrphans (rejected):\n\n"
                for c in t.orphans { s += "- \(c.label): \(c.count)\n" }
            }
        }
        let l = r.log
        s += "\n## Transaction log\n\n| measure | value |\n| --- | ---: |\n"
        let rows: [(String, String)] = [
            ("rows", "\(l.rows)"), ("excluded by order status", "\(l.excludedByStatus)"),
            ("customers", "\(l.customers)"), ("products", "\(l.products)"), ("orders", "\(l.orders)"),
            ("events (distinct customer-days)", "\(l.events)"),
            ("date range", "\(l.firstDay ?? "-") .. \(l.lastDay ?? "-")"),
            ("typical range (0.1% .. 99.9%)", l.typicalRange.joined(separator: " .. ")),
            ("timestamps after \(l.asOfDay)", "\(l.futureTimestamps)"),
            ("timestamps far outside the typical range", "\(l.farOutsideRange)"),
            ("rows with a zero amount", "\(l.zeroAmountRows)"),
            ("customers with implausible activity (> \(l.outlierThresholdEvents) events)", "\(l.outlierCustomers)"),
        ]
        for (k, v) in rows { s += "| \(k) | \(v) |\n" }
        if !l.mostActiveCustomers.isEmpty {
            s += "\nMost active customers: " + l.mostActiveCustomers.map { "\($0.customer) (\($0.events))" }.joined(separator: ", ") + "\n"
        }
        if let warning = r.unmappedStatusWarning { s += "\n## Warnings\n\n- \(warning)\n" }
        s += "\n## Rules\n\n| check | action | setting |\n| --- | --- | --- |\n"
        for rule in r.rules { s += "| \(rule.check) | \(rule.action) | \(rule.note) |\n" }
        return s
    }
}
