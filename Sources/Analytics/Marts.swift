import Foundation
import GRDB
import Warehouse

/// Builds every mart in one transaction (a failure leaves the previous marts in place).
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
        public init() {}
    }

    public struct Summary: Codable, Sendable, Equatable {
        public var customerDailyRows: Int
        public var productRollupRows: Int
        public var categoryRollupRows: Int
        public var audience: MarketingAudience.Summary
        /// Seconds per mart, in build order.
        public var seconds: [String: Double]
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
            let spineEnd = options.dailySpine ? try String.fetchOne(db, sql: "SELECT max(date) FROM dim_date") : nil
            let daily = try timed(CustomerDailySummary.table) { try CustomerDailySummary.build(db, spineThrough: spineEnd) }
            let rollups = try timed("sales roll-ups") { try SalesRollups.build(db) }
            let audience = try timed("segments and audience") { try MarketingAudience.build(db, options: options.audience) }
            return Summary(customerDailyRows: daily, productRollupRows: rollups.products, categoryRollupRows: rollups.categories,
                           audience: audience, seconds: seconds)
        }
    }
}
