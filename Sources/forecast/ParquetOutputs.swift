import Attribution
import Core
import Features
import ForecastKit
import Ingestion
import Parquet

/// The Parquet forms of the files `forecast features`, `forecast predict` and
/// `forecast attribution export` write: the same columns as their CSV, typed (NaN features
/// and undefined ratios as null, days as dates).
enum ParquetOutputs {
    static func isParquet(_ path: String) -> Bool { path.hasSuffix(".parquet") }

    /// `customer_id`, every feature (double, null where the CSV leaves it empty), `next_month_events`.
    static func writeFeatures(_ m: FeatureMatrix, customerIDs: [String], to path: String) throws {
        let schema = [ParquetField("customer_id", .string)] + m.names.map { ParquetField($0, .double, nullable: true) }
            + [ParquetField("next_month_events", .int64)]
        let columns = [ParquetColumnBatch(.coded(entries: customerIDs, codes: m.customers))]
            + m.columns.map(ParquetColumnBatch.doublesNaNAsNull)
            + [ParquetColumnBatch(.int64(m.nextMonthEvents.map { Int64($0) }))]
        try ParquetTable.write(to: path, schema: schema, columns: columns)
    }

    /// The rows `ForecastFile` writes: customers with a prediction; `p_alive` when the model gives it.
    static func writeForecasts(_ forecasts: [CustomerForecast], to path: String) throws {
        let rows = forecasts.compactMap { f in f.prediction.map { (f.customerID, $0) } }
        let alive = rows.contains { $0.1.probabilityAlive != nil }
        var schema = [ParquetField("customer_id", .string), ParquetField("expected_events", .double), ParquetField("p_zero", .double),
                      ParquetField("lower_80", .int64), ParquetField("upper_80", .int64)]
        var columns = [ParquetColumnBatch(.string(rows.map(\.0))), ParquetColumnBatch(.double(rows.map(\.1.expected))),
                       ParquetColumnBatch(.double(rows.map(\.1.probabilityOfZero))),
                       ParquetColumnBatch(.int64(rows.map { Int64($0.1.interval80.lowerBound) })),
                       ParquetColumnBatch(.int64(rows.map { Int64($0.1.interval80.upperBound) }))]
        if alive {
            schema.append(ParquetField("p_alive", .double, nullable: true))
            columns.append(.optionalDoubles(rows.map(\.1.probabilityAlive)))
        }
        try ParquetTable.write(to: path, schema: schema, columns: columns)
    }

    /// The normalized log as `forecast ingest` writes it to transactions.csv (the same columns
    /// in the same order: grouped by customer, sorted by time), timestamps as UTC instants;
    /// one row group per million rows, built and written one at a time.
    static func writeLog(_ log: TransactionLog, to path: String) throws -> ParquetFileWriter.Summary {
        var schema = [ParquetField("customer_id", .string), ParquetField("timestamp", .timestampMicros(utc: true))]
        if log.hasProducts { schema.append(ParquetField("product_id", .string)) }
        schema.append(ParquetField("quantity", .double))
        if log.hasAmounts { schema.append(ParquetField("amount", .double)) }
        if !log.order.isEmpty { schema.append(ParquetField("order_id", .int64)) }
        let writer = try ParquetFileWriter(path: path, schema: schema)
        // The customer of each row, from the offsets.
        var customer = [Int32](repeating: 0, count: log.rowCount)
        for c in 0..<log.customerCount { for i in log.rows(ofCustomer: c) { customer[i] = Int32(c) } }
        let groupRows = 1 << 20
        var start = 0
        while start < log.rowCount {
            let rows = start..<min(log.rowCount, start + groupRows)
            var columns = [ParquetColumnBatch(.coded(entries: log.customerIDs, codes: Array(customer[rows]))),
                           ParquetColumnBatch(.int64(rows.map { log.seconds[$0] * 1_000_000 }))]
            if log.hasProducts { columns.append(ParquetColumnBatch(.coded(entries: log.productIDs, codes: Array(log.product[rows])))) }
            columns.append(ParquetColumnBatch(.double(Array(log.quantity[rows]))))
            if log.hasAmounts { columns.append(ParquetColumnBatch(.double(Array(log.amount[rows])))) }
            if !log.order.isEmpty { columns.append(ParquetColumnBatch(.int64(rows.map { Int64(log.order[$0]) }))) }
            try writer.write(columns)
            start = rows.upperBound
        }
        return try writer.close()  // an empty log: the schema and no row group
    }

    /// channel_reporting rows: `channel_name, date, cost, ihc, ihc_revenue, cpo, roas`.
    static func writeChannelReport(_ rows: [ChannelExport.Row], to path: String) throws {
        var days: [Int32] = []
        for r in rows {
            guard let d = CivilDate(iso: r.date), let day = Int32(exactly: d.dayNumber) else {
                throw ParquetOutputError(description: "channel_reporting date '\(r.date)' (channel \(r.channel)) is not a day YYYY-MM-DD")
            }
            days.append(day)
        }
        let schema = [ParquetField("channel_name", .string), ParquetField("date", .date), ParquetField("cost", .double),
                      ParquetField("ihc", .double), ParquetField("ihc_revenue", .double),
                      ParquetField("cpo", .double, nullable: true), ParquetField("roas", .double, nullable: true)]
        let columns = [ParquetColumnBatch(.string(rows.map(\.channel))), ParquetColumnBatch(.int32(days)),
                       ParquetColumnBatch(.double(rows.map(\.cost))), ParquetColumnBatch(.double(rows.map(\.ihc))),
                       ParquetColumnBatch(.double(rows.map(\.ihcRevenue))),
                       .optionalDoubles(rows.map(\.cpo)), .optionalDoubles(rows.map(\.roas))]
        try ParquetTable.write(to: path, schema: schema, columns: columns)
    }
}

/// A value the Parquet form of an output cannot hold.
struct ParquetOutputError: Error, CustomStringConvertible {
    let description: String
}
