import GRDB
import Warehouse

/// Step 3, `report`: fills `channel_reporting` per channel and session date — cost = the
/// sessions' costs, ihc = the attributed weights, ihc_revenue = weight x conversion revenue.
///
/// The dates refreshed are the range's dates and every session date of the range's journeys
/// (a March conversion also credits February sessions). Each refreshed date is recomputed in
/// full from the current tables, so the rows do not depend on the order in which ranges ran.
public enum ReportStep {
    public struct Summary: Sendable, Codable, Equatable {
        public var range: String
        public var datesRefreshed: Int
        public var rowsWritten: Int
        /// Totals over the whole table after the run.
        public var cost: Double
        public var ihc: Double
        public var ihcRevenue: Double
    }

    public static func run(_ database: AttributionDatabase, range: ConversionRange) throws -> Summary {
        try database.queue.write { db in
            try db.execute(sql: "DROP TABLE IF EXISTS temp.report_dates; CREATE TEMP TABLE report_dates(date TEXT PRIMARY KEY)")
            let sessionDates = range.condition("event_date"), conversionDates = range.condition("c.conv_date")
            try db.execute(sql: "INSERT OR IGNORE INTO temp.report_dates SELECT DISTINCT event_date FROM session_sources WHERE \(sessionDates.sql)",
                           arguments: sessionDates.arguments)
            try db.execute(sql: """
                INSERT OR IGNORE INTO temp.report_dates
                SELECT DISTINCT s.event_date FROM journey_sessions j JOIN conversions c ON c.conv_id = j.conv_id
                JOIN session_sources s ON s.session_id = j.session_id WHERE \(conversionDates.sql)
                """, arguments: conversionDates.arguments)
            let dates = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.report_dates") ?? 0
            try db.execute(sql: "DELETE FROM channel_reporting WHERE date IN (SELECT date FROM temp.report_dates)")
            try db.execute(sql: """
                WITH sessions AS (
                    SELECT session_id, channel_name, event_date FROM session_sources
                    WHERE event_date IN (SELECT date FROM temp.report_dates)),
                credit AS (
                    SELECT a.session_id, total(a.ihc) AS ihc, total(a.ihc * c.revenue) AS revenue
                    FROM attribution_customer_journey a JOIN conversions c ON c.conv_id = a.conv_id
                    WHERE a.session_id IN (SELECT session_id FROM sessions) GROUP BY a.session_id)
                INSERT INTO channel_reporting(channel_name, date, cost, ihc, ihc_revenue)
                SELECT s.channel_name, s.event_date, total(k.cost), total(cr.ihc), total(cr.revenue)
                FROM sessions s LEFT JOIN session_costs k ON k.session_id = s.session_id
                LEFT JOIN credit cr ON cr.session_id = s.session_id
                GROUP BY s.channel_name, s.event_date
                """)
            let rows = db.changesCount
            try db.execute(sql: "DROP TABLE temp.report_dates")
            let totals = try Row.fetchOne(db, sql: "SELECT total(cost), total(ihc), total(ihc_revenue) FROM channel_reporting")!
            return Summary(range: range.description, datesRefreshed: dates, rowsWritten: rows,
                           cost: totals[0], ihc: totals[1], ihcRevenue: totals[2])
        }
    }
}
