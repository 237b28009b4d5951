import GRDB
import Warehouse

/// The three tables the audience writes; each is dropped and recreated on every build (marts
/// are not migrated: the share, spend and order columns are one per category of the data).
extension MarketingAudience {
    /// `mart_customer_segments`: one row per buyer, no personal data.
    static func writeSegments(_ db: Database, buyers: [Buyer], recencyDays: [Double], segments: Segments) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS \(segmentsTable);
            CREATE TABLE \(segmentsTable) (
                customer_id TEXT NOT NULL PRIMARY KEY, orders INTEGER NOT NULL, total_spend REAL NOT NULL,
                last_purchase TEXT NOT NULL, recency_days INTEGER NOT NULL, favourite_category TEXT, cluster INTEGER NOT NULL)
                WITHOUT ROWID;
            """)
        try BulkInsert.rows(db, "INSERT INTO \(segmentsTable) VALUES (?, ?, ?, ?, ?, ?, ?)", count: buyers.count) { i, row in
            let b = buyers[i], favourite = segments.favourite[i]
            row.text(b.id); row.int(Int64(b.orders)); row.double(b.spend); row.text(b.lastPurchase)
            row.int(Int64(recencyDays[i])); row.text(favourite.isEmpty ? nil : favourite); row.int(Int64(segments.cluster[i]))
        }
    }

    /// `mart_audience_clusters`: one row per cluster profile, a share column per category.
    static func writeClusters(_ db: Database, profiles: [ClusterProfile], slugs: [String]) throws {
        let shareColumns = slugs.map { "share_\($0) REAL NOT NULL" }
        try db.execute(sql: """
            DROP TABLE IF EXISTS \(clustersTable);
            CREATE TABLE \(clustersTable) (
                cluster INTEGER NOT NULL PRIMARY KEY, customers INTEGER NOT NULL, share REAL NOT NULL,
                mean_recency_days REAL NOT NULL, mean_orders REAL NOT NULL, mean_spend REAL NOT NULL, top_category TEXT NOT NULL
                \(shareColumns.map { ", " + $0 }.joined()));
            """)
        let insert = try db.makeStatement(sql: "INSERT INTO \(clustersTable) VALUES (\(Array(repeating: "?", count: 7 + slugs.count).joined(separator: ", ")))")
        for p in profiles {
            var values: [DatabaseValueConvertible?] = [p.cluster, p.customers, p.share, p.meanRecencyDays, p.meanOrders, p.meanSpend, p.topCategory]
            values += p.categoryShares.map { $0 as DatabaseValueConvertible? }
            try insert.execute(arguments: StatementArguments(values))
        }
    }

    /// `mart_marketing_audience`: dropped, then, only with `includePII`, written for the
    /// reachable buyers with their personal data. Returns its rows, nil when not written.
    static func writeAudience(_ db: Database, buyers: [Buyer], reach: Reach, segments: Segments, slugs: [String],
                              includePII: Bool) throws -> Int? {
        // Dropped even without PII, so a build without it leaves no personal data from an earlier one.
        try db.execute(sql: "DROP TABLE IF EXISTS \(audienceTable)")
        guard includePII else { return nil }
        let perCategory = slugs.map { "spend_\($0) REAL NOT NULL" } + slugs.map { "orders_\($0) INTEGER NOT NULL" }
        try db.execute(sql: """
            CREATE TABLE \(audienceTable) (
                customer_id TEXT NOT NULL PRIMARY KEY, name TEXT, email TEXT, phone TEXT, state TEXT, time_zone TEXT,
                time_zone_predominant INTEGER NOT NULL, time_zone_note TEXT, orders INTEGER NOT NULL, total_spend REAL NOT NULL,
                last_purchase TEXT NOT NULL, favourite_category TEXT, cluster INTEGER NOT NULL
                \(perCategory.map { ", " + $0 }.joined())) WITHOUT ROWID;
            """)
        let insert = try db.makeStatement(sql: "INSERT INTO \(audienceTable) VALUES (\(Array(repeating: "?", count: 13 + 2 * slugs.count).joined(separator: ", ")))")
        for i in reach.reachable {
            let b = buyers[i], z = reach.zones[i], favourite = segments.favourite[i]
            var values: [DatabaseValueConvertible?] = [b.id, b.name, b.email, b.phone, b.state, z.zone, z.spansTwoZones ? 1 : 0, z.note,
                                                       b.orders, b.spend, b.lastPurchase, favourite.isEmpty ? nil : favourite, segments.cluster[i]]
            values += b.categorySpend.map { $0 as DatabaseValueConvertible? }
            values += b.categoryOrders.map { $0 as DatabaseValueConvertible? }
            try insert.execute(arguments: StatementArguments(values))
        }
        return reach.reachable.count
    }
}
