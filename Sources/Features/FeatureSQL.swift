import Core

/// The features of ``FeatureSet`` as SQL, for an engine that holds the transaction log:
/// `forecast sql features` prints it, and a test holds every column to
/// ``EventLog/features(asOf:threads:observedSince:)`` in SQLite and PostgreSQL.
///
/// The input is a relation `transactions(customer_id, timestamp, quantity, amount[, product_id])`
/// (or another named by `from`), one row per purchase line as `forecast ingest` accepts them
/// (the SQL does not apply the quality rules). Events are distinct (customer, calendar day of
/// `timestamp`) with the day's amounts summed, as in ``EventLog``. The cutoff is known when
/// the SQL is written, so every window and month boundary is a literal day number; missing
/// values (`mean_gap_days` with one event, `gap_std_days` with fewer than three,
/// `yoy_same_month` before the log's first day) are NULL where the Swift matrix has NaN.
public enum FeatureSQL {
    /// One `SELECT` returning `customer_id` and the feature columns, named and ordered as in
    /// ``FeatureSet/names(withProducts:)``, one row per customer with an event before `cutoff`.
    /// `observedSince` is a day the data are known to be observed from besides the relation's
    /// first day (a saved model's first training day, as `forecast predict` passes it):
    /// `yoy_same_month` is defined when its month starts on or after either.
    /// `logRelation` is the relation whose first day bounds `yoy_same_month` (default `relation`:
    /// the panel passes the full log when `relation` is a sample of its customers).
    public static func select(_ d: SQLDialect, cutoff: Int, from relation: String = "transactions", withProducts: Bool = false,
                              observedSince: Int? = nil, logRelation: String? = nil) -> String {
        let start = CivilDate(dayNumber: cutoff)
        // monthStart[k]: first day of the month k months before the cutoff's month; [0] = the cutoff.
        let monthStart = [cutoff] + (1...12).map { start.firstOfMonth(adding: -$0).dayNumber }
        let day = d.dayNumber("timestamp")
        func real(_ x: String) -> String { d.double(x) }
        let monthIndex = "CASE " + (1...12).map { "WHEN day >= \(monthStart[$0]) THEN \($0)" }.joined(separator: " ") + " END"
        func slope(_ k: Int) -> String {
            // (Σ x·y − x̄ Σ y) / Σ(x − x̄)², x = −month, over months 1...k: the closed form of FeatureMatrix.slope.
            let meanX = -Double(k + 1) / 2, sxx = Double(k * (k * k - 1)) / 12
            return "(\(real("sum(CASE WHEN k <= \(k) THEN -k ELSE 0 END)")) - (\(meanX)) * \(real("sum(CASE WHEN k <= \(k) THEN 1 ELSE 0 END)"))) / \(sxx)"
        }
        let n = real("count(*)")
        let mean = "\(real("max(day) - min(day)")) / (\(n) - 1)"
        var columns = [
            "\(cutoff) - max(day) AS recency_days",
            "count(*) AS freq_total",
        ]
        columns += FeatureSet.windows.map { "sum(CASE WHEN day >= \(cutoff - $0) THEN 1 ELSE 0 END) AS freq_\($0)" }
        columns += [
            "\(cutoff) - min(day) AS tenure_days",
            "CASE WHEN count(*) > 1 THEN \(mean) END AS mean_gap_days",
            "CASE WHEN count(*) > 2 THEN sqrt(\(d.greatest("0.0", "(\(real("sum(gap * gap)")) - (\(n) - 1) * (\(mean)) * (\(mean))) / (\(n) - 2)"))) END AS gap_std_days",
            "sum(value) AS monetary_total",
            "sum(value) / \(n) AS monetary_mean",
            "\(start.month) AS target_month",
            observedSince.map { monthStart[12] >= $0 } == true
                ? "sum(CASE WHEN k = 12 THEN 1 ELSE 0 END) AS yoy_same_month"
                : "CASE WHEN \(monthStart[12]) >= (SELECT min(day) FROM log_days) "
                    + "THEN sum(CASE WHEN k = 12 THEN 1 ELSE 0 END) END AS yoy_same_month",
            "\(slope(6)) AS slope_6m",
            "\(slope(12)) AS slope_12m",
        ]
        let breadth = withProducts ? """
            ,
            breadth AS (
                SELECT customer_id, count(DISTINCT product_id) AS product_breadth FROM \(relation)
                WHERE \(day) < \(cutoff) GROUP BY customer_id)
            """ : ""
        return """
            WITH events AS (
                SELECT customer_id, \(day) AS day, sum(amount) AS value FROM \(relation)
                WHERE \(day) < \(cutoff) GROUP BY customer_id, \(day)),
            log_days AS (SELECT \(day) AS day FROM \(logRelation ?? relation)),
            marked AS (
                SELECT customer_id, day, value, day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap,
                       \(monthIndex) AS k
                FROM events),
            features AS (
                SELECT customer_id,
                       \(columns.joined(separator: ",\n           "))
                FROM marked GROUP BY customer_id)\(breadth)
            SELECT f.*\(withProducts ? ", b.product_breadth" : "") FROM features f\(withProducts ? " JOIN breadth b ON b.customer_id = f.customer_id" : "")
            ORDER BY f.customer_id
            """
    }

    /// The training panel as SQL statements (the last a SELECT): for each origin (a month
    /// start), every customer with an event before it, `customer_id`, `origin` (a date), the
    /// features as of the origin and `next_month_events`, the distinct event days in
    /// [origin, next month start): the rows ``TrainingPanel/init(events:origins:)`` builds,
    /// ordered by origin and customer. With `sample`, only the customers whose
    /// md5(customer_id ":" seed) sorts among the first `customers` (the same customers in every
    /// engine that has md5; SQLite has none), through a temporary view
    /// `panel_transactions`; `yoy_same_month` still reads the full log's first day.
    public static func panel(_ d: SQLDialect, origins: [Int], from relation: String = "transactions", withProducts: Bool = false,
                             sample: (customers: Int, seed: UInt64)? = nil) throws -> [String] {
        var statements: [String] = []
        var rows = relation
        if let sample {
            let key: String
            switch d {
            case .sqlite: throw FeatureSQLError.noHashFunction
            case .postgres: key = "md5(CAST(customer_id AS text) || ':\(sample.seed)')"
            case .spark: key = "md5(concat(CAST(customer_id AS STRING), ':\(sample.seed)'))"
            }
            rows = "panel_transactions"
            statements.append("""
                CREATE OR REPLACE TEMPORARY VIEW panel_transactions AS
                SELECT * FROM \(relation)
                WHERE customer_id IN (
                    SELECT customer_id FROM (SELECT DISTINCT customer_id FROM \(relation)) c
                    ORDER BY \(key), customer_id LIMIT \(sample.customers))
                """)
        }
        let names = FeatureSet.names(withProducts: withProducts)
        let day = d.dayNumber("timestamp")
        let selects = origins.map { o in
            let next = CivilDate(dayNumber: o).firstOfMonth(adding: 1).dayNumber
            return """
                SELECT f.customer_id AS customer_id, \(d.date(CivilDate(dayNumber: o))) AS origin, \(names.map { "f.\($0)" }.joined(separator: ", ")),
                       coalesce(t.next_month_events, 0) AS next_month_events
                FROM (\(select(d, cutoff: o, from: rows, withProducts: withProducts, logRelation: relation))) f
                LEFT JOIN (SELECT customer_id, count(DISTINCT \(day)) AS next_month_events FROM \(rows)
                           WHERE \(day) >= \(o) AND \(day) < \(next) GROUP BY customer_id) t
                  ON t.customer_id = f.customer_id
                """
        }
        statements.append(selects.joined(separator: "\nUNION ALL\n") + "\nORDER BY origin, customer_id")
        return statements
    }
}

/// What ``FeatureSQL`` cannot write for a dialect.
public enum FeatureSQLError: Error, Equatable, CustomStringConvertible {
    /// Sampling customers needs a hash function the engine lacks.
    case noHashFunction

    public var description: String {
        switch self {
        case .noHashFunction: "SQLite has no hash function to sample customers by (md5 in PostgreSQL and Spark): sample before loading, or leave out --sample-customers"
        }
    }
}
