import Foundation
import GRDB
import Warehouse

/// Builds every mart in one transaction (a failure leaves the previous marts in place).
///
/// After a first full build, a build updates the daily summary and the sales roll-ups from
/// the orders changed since (``MartChangeLog``, ``IncrementalMarts``) and gives the tables a
/// full build would give; ``Options/incremental`` false, the date spine, or a log given up
/// by a load make it a full build. The segments and the audience are always computed again:
/// every buyer's recency moves with each new day, and the clusters with it.
///
/// The mart tables are outside the warehouse's migrations (`WarehouseSchema.migrator`) on
/// purpose: every build drops and recreates them, so there is no mart schema to upgrade, and
/// the audience tables have a column per category, which only the data can say.
public enum Marts {
    /// A mart that can be exported: its CLI name, its table, and whether it holds personal data.
    public struct Mart: Sendable, Equatable {
        public var name: String
        public var table: String
        public var containsPersonalData: Bool
    }

    public static let all: [Mart] = [
        Mart(name: "customer-daily", table: CustomerDailySummary.table, containsPersonalData: false),
        Mart(name: "sales-by-product", table: SalesRollups.productTable, containsPersonalData: false),
        Mart(name: "sales-by-category", table: SalesRollups.categoryTable, containsPersonalData: false),
        Mart(name: "customer-segments", table: MarketingAudience.segmentsTable, containsPersonalData: false),
        Mart(name: "audience-clusters", table: MarketingAudience.clustersTable, containsPersonalData: false),
        Mart(name: "marketing-audience", table: MarketingAudience.audienceTable, containsPersonalData: true),
    ]

    public static func named(_ name: String) -> Mart? { all.first { $0.name == name } }

    public struct Options: Sendable {
        public var audience = MarketingAudience.Options()
        /// Build the daily summary over the full date spine (every day from a customer's first
        /// order to the last day) instead of active days only.
        public var dailySpine = false
        /// Update from the change log when there is one (false: always rebuild in full).
        public var incremental = true
        public init() {}
    }

    public struct Summary: Codable, Sendable, Equatable {
        public var customerDailyRows: Int
        public var productRollupRows: Int
        public var categoryRollupRows: Int
        public var audience: MarketingAudience.Summary
        /// `full` or `incremental` (the daily summary and the roll-ups).
        public var mode: String
        /// Orders changed since the previous build, for an incremental build.
        public var changedOrders: Int?
        /// Why a build was full (nil for an incremental one).
        public var fullBecause: String?
        /// Seconds per mart, in build order.
        public var seconds: [String: Double]

        public init(customerDailyRows: Int, productRollupRows: Int, categoryRollupRows: Int, audience: MarketingAudience.Summary,
                    mode: String, changedOrders: Int?, fullBecause: String?, seconds: [String: Double]) {
            self.customerDailyRows = customerDailyRows; self.productRollupRows = productRollupRows
            self.categoryRollupRows = categoryRollupRows; self.audience = audience; self.mode = mode
            self.changedOrders = changedOrders; self.fullBecause = fullBecause; self.seconds = seconds
        }
    }

    public static func build(_ warehouse: ShopWarehouse, options: Options = Options(),
                             progress: (@Sendable (String) -> Void)? = nil) throws -> Summary {
        try warehouse.queue.write { db in
            var seconds: [String: Double] = [:]
            func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
                progress?("building \(name)")
                let start = Date()
                defer { seconds[name] = Date().timeIntervalSince(start) }
                return try body()
            }
            var changes: MartChangeLog.Changes?, fullBecause: String?
            if !options.incremental {
                fullBecause = "a full build was asked for"
            } else if options.dailySpine {
                fullBecause = "the daily summary on the date spine is always built in full"
            } else if !(try existing(db)) {
                fullBecause = "no marts yet"
            } else if let log = try MartChangeLog.read(db) {
                changes = log
            } else {
                fullBecause = "no change log (a load gave it up, or the marts were last built in full with the date spine)"
            }
            if let changes {
                do {
                    try timed("\(CustomerDailySummary.table) and sales roll-ups (incremental)") {
                        try IncrementalMarts.update(db, changes: changes)
                    }
                } catch let mismatch as IncrementalMarts.Mismatch {
                    progress?("the marts do not match the change log (\(mismatch)): building them in full")
                    fullBecause = "the marts did not match the change log: \(mismatch)"
                }
            }
            let incremental = changes != nil && fullBecause == nil
            let rows: (daily: Int, products: Int, categories: Int)
            if incremental {
                rows = (try count(db, CustomerDailySummary.table), try count(db, SalesRollups.productTable),
                        try count(db, SalesRollups.categoryTable))
            } else {
                let spineEnd = options.dailySpine ? try String.fetchOne(db, sql: "SELECT max(date) FROM dim_date") : nil
                let daily = try timed(CustomerDailySummary.table) { try CustomerDailySummary.build(db, spineThrough: spineEnd) }
                let rollups = try timed("sales roll-ups") { try SalesRollups.build(db) }
                rows = (daily, rollups.products, rollups.categories)
            }
            let audience = try timed("segments and audience") { try MarketingAudience.build(db, options: options.audience) }
            // The spine grows every day for every customer: no incremental build continues it.
            if options.dailySpine { try MartChangeLog.giveUp(db) } else { try MartChangeLog.markBuilt(db) }
            return Summary(customerDailyRows: rows.daily, productRollupRows: rows.products, categoryRollupRows: rows.categories, audience: audience,
                           mode: incremental ? "incremental" : "full", changedOrders: incremental ? changes?.orders : nil,
                           fullBecause: fullBecause, seconds: seconds)
        }
    }

    private static func existing(_ db: Database) throws -> Bool {
        let tables = [CustomerDailySummary.table, SalesRollups.productTable, SalesRollups.categoryTable]
        return try tables.allSatisfy { try db.tableExists($0) }
    }

    private static func count(_ db: Database, _ table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
    }
}
