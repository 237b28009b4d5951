import Core
import Foundation
import GRDB
import Warehouse

/// Step 4, `export`: `channel_reporting` as CSV with two derived columns.
///
/// - `cpo` (cost per order) = cost / ihc: what one attributed conversion cost.
/// - `roas` (return on ad spend) = ihc_revenue / cost.
///
/// When a denominator is 0 the value is undefined and the field is left empty (never 0 or
/// infinity, which read as a real figure): a channel with no cost (organic, direct) has no
/// ROAS, a date with cost but no attributed conversion has no CPO. Rows are those whose session
/// date is in the range, ordered by date then channel; money to cents, ihc and ratios to 6 decimals.
public enum ChannelExport {
    public static let header = ["channel_name", "date", "cost", "ihc", "ihc_revenue", "cpo", "roas"]

    public struct Row: Sendable, Equatable {
        public var channel: String
        public var date: String
        public var cost: Double
        public var ihc: Double
        public var ihcRevenue: Double
        /// nil when ihc is 0.
        public var cpo: Double? { ihc == 0 ? nil : cost / ihc }
        /// nil when cost is 0.
        public var roas: Double? { cost == 0 ? nil : ihcRevenue / cost }
    }

    /// The reporting rows whose date is in `dates` (the range, read as session dates).
    public static func rows(_ database: AttributionDatabase, dates range: ConversionRange) throws -> [Row] {
        try database.queue.read { db in
            let inRange = range.condition("date")
            return try GRDB.Row.fetchAll(db, sql: """
                SELECT channel_name, date, cost, ihc, ihc_revenue FROM channel_reporting WHERE \(inRange.sql) ORDER BY date, channel_name
                """, arguments: inRange.arguments).map { r in
                Row(channel: r[0], date: r[1], cost: r[2], ihc: r[3], ihcRevenue: r[4])
            }
        }
    }

    /// The CSV text of `rows`.
    public static func csv(_ rows: [Row]) -> String {
        var out = header.joined(separator: ",") + "\n"
        for r in rows {
            let fields = [TextQuoting.csv(r.channel), r.date, String(format: "%.2f", r.cost), String(format: "%.6f", r.ihc),
                          String(format: "%.2f", r.ihcRevenue), r.cpo.map { String(format: "%.6f", $0) } ?? "",
                          r.roas.map { String(format: "%.6f", $0) } ?? ""]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Writes the CSV atomically.
    public static func write(_ rows: [Row], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(csv(rows).utf8).write(to: url, options: .atomic)
    }
}
