import Core
import Foundation
import GRDB
import Models
import Warehouse

/// The marketing audience and the customer segments behind it.
///
/// Buyers (customers with at least one order that is not excluded) are described by their
/// orders, spend, last purchase, spend and orders per category and favourite category, and
/// clustered with k-means over their category spend shares and RFM (recency in days, log
/// orders, log spend; the three standardised). k is set, or chosen by the best silhouette
/// over 2...8. The clustering is fitted on a seeded sample of at most 20,000 buyers, then
/// every buyer goes to its nearest centre; clusters are numbered by mean spend, highest first.
///
/// Three tables:
/// - `mart_customer_segments`: per buyer, no personal data; always written.
/// - `mart_audience_clusters`: the cluster profiles; always written.
/// - `mart_marketing_audience`: per buyer with an email or a phone, with name, email, phone,
///   state and time zone: personal data, written only when asked for (and dropped otherwise).
public enum MarketingAudience {
    public static let segmentsTable = "mart_customer_segments"
    public static let clustersTable = "mart_audience_clusters"
    public static let audienceTable = "mart_marketing_audience"

    public struct Options: Sendable {
        /// Write `mart_marketing_audience` (personal data).
        public var includePII = false
        /// nil: choose k by silhouette.
        public var clusters: Int?
        public var maxClusters = 8
        public var seed: UInt64 = 42
        /// Recency is measured to this day (`YYYY-MM-DD`); default the last order day.
        public var asOf: String?
        public var fitSampleSize = 20_000
        public init() {}
    }

    /// One cluster's profile.
    public struct ClusterProfile: Codable, Sendable, Equatable {
        public var cluster: Int
        public var customers: Int
        public var share: Double
        public var meanRecencyDays: Double
        public var meanOrders: Double
        public var meanSpend: Double
        public var topCategory: String
        /// Mean share of spend per category, in ``Summary/categories`` order.
        public var categoryShares: [Double]
    }

    public struct Summary: Codable, Sendable, Equatable {
        public var customers: Int
        public var buyers: Int
        /// Customers without any order that counts as revenue (not in the audience).
        public var withoutPurchase: Int
        /// Buyers with neither an email nor a phone: dropped from the audience.
        public var droppedWithoutContact: Int
        /// Rows of `mart_marketing_audience`, nil when it was not written.
        public var audienceRows: Int?
        public var withoutTimeZone: Int
        public var inTwoZoneStates: Int
        public var asOf: String
        public var categories: [String]
        public var k: Int
        /// How k was chosen: `silhouette` (the best of the k tried) or `requested` (``Options/clusters``).
        public var chosenBy: String
        /// Silhouette per k tried (k as a string key, for JSON).
        public var silhouettes: [String: Double]
        public var clusters: [ClusterProfile]
    }

    struct Buyer {
        var key: Int64
        var id: String
        var name: String?, email: String?, phone: String?, state: String?
        var orders: Int
        var spend: Double
        var lastPurchase: String
        var categorySpend: [Double]
        var categoryOrders: [Int]
    }

    public static func build(_ db: Database, options: Options = Options()) throws -> Summary {
        let categories = try String.fetchAll(db, sql: "SELECT DISTINCT category FROM dim_product ORDER BY category")
        let categoryIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        let customers = try Int.fetchOne(db, sql: "SELECT count(*) FROM dim_customer") ?? 0
        var buyers: [Buyer] = []
        var index: [Int64: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.customer_key, c.customer_id, c.name, c.email, c.phone, c.state, o.orders, o.spend, o.last_purchase
            FROM dim_customer c
            JOIN (SELECT customer_key, count(*) AS orders, sum(order_total) AS spend, max(ordered_at) AS last_purchase
                  FROM fct_orders WHERE is_revenue = 1 GROUP BY customer_key) o ON o.customer_key = c.customer_key
            ORDER BY c.customer_key
            """)
        while let r = try rows.next() {
            index[r[0]] = buyers.count
            buyers.append(Buyer(key: r[0], id: r[1], name: r[2], email: r[3], phone: r[4], state: r[5], orders: r[6], spend: r[7],
                                lastPurchase: r[8], categorySpend: [Double](repeating: 0, count: categories.count),
                                categoryOrders: [Int](repeating: 0, count: categories.count)))
        }
        let byCategory = try Row.fetchCursor(db, sql: """
            SELECT l.customer_key, p.category, count(DISTINCT l.order_key), sum(l.line_total)
            FROM fct_order_lines l JOIN dim_product p ON p.product_key = l.product_key
            WHERE l.is_revenue = 1 GROUP BY l.customer_key, p.category
            """)
        while let r = try byCategory.next() {
            guard let b = index[r[0]], let c = categoryIndex[r[1]] else { continue }
            buyers[b].categoryOrders[c] = r[2]
            buyers[b].categorySpend[c] = r[3]
        }
        let asOf = try options.asOf ?? String.fetchOne(db, sql: "SELECT substr(max(ordered_at), 1, 10) FROM fct_orders WHERE is_revenue = 1") ?? "1970-01-01"
        guard let asOfDay = CivilDate(iso: asOf)?.dayNumber else { throw MartError.invalidAsOf(asOf) }
        let recency = buyers.map { b in Double(asOfDay - (CivilDate(iso: String(b.lastPurchase.prefix(10)))?.dayNumber ?? asOfDay)) }

        // Features: category spend shares, then standardised recency, log orders, log spend.
        let dimension = categories.count + 3
        var features = [Double](repeating: 0, count: buyers.count * dimension)
        let rfm: [[Double]] = [recency, buyers.map { log1p(Double($0.orders)) }, buyers.map { log1p(max(0, $0.spend)) }]
        let standardised = rfm.map(standardise)
        for (i, b) in buyers.enumerated() {
            let total = b.categorySpend.reduce(0, +)
            for c in categories.indices { features[i * dimension + c] = total > 0 ? b.categorySpend[c] / total : 0 }
            for j in 0..<3 { features[i * dimension + categories.count + j] = standardised[j][i] }
        }

        // Fit on a seeded sample, then assign everyone.
        var random = RandomSource(seed: options.seed)
        let sample = random.sampleIndices(options.fitSampleSize, of: buyers.count)
        var samplePoints: [Double] = []
        samplePoints.reserveCapacity(sample.count * dimension)
        for i in sample { samplePoints.append(contentsOf: features[i * dimension..<(i + 1) * dimension]) }
        let kmeans = KMeans(seed: options.seed)
        let fitted: KMeans.Result
        var silhouettes: [String: Double] = [:]
        if let k = options.clusters {
            fitted = kmeans.fit(samplePoints, dimension: dimension, k: k)
        } else {
            let chosen = kmeans.fitChoosingK(samplePoints, dimension: dimension, maxK: options.maxClusters)
            fitted = chosen.result
            for (k, s) in chosen.silhouettes { silhouettes[String(k)] = s }
        }
        let raw = KMeans.assign(features, dimension: dimension, centroids: fitted.centroids)

        // Number the clusters by mean spend, highest first (1-based).
        let k = fitted.k
        var spendSum = [Double](repeating: 0, count: k), members = [Int](repeating: 0, count: k)
        for (i, c) in raw.enumerated() { spendSum[c] += buyers[i].spend; members[c] += 1 }
        let order = (0..<k).sorted { a, b in
            let ma = members[a] > 0 ? spendSum[a] / Double(members[a]) : -1, mb = members[b] > 0 ? spendSum[b] / Double(members[b]) : -1
            return ma != mb ? ma > mb : a < b
        }
        var number = [Int](repeating: 0, count: k)
        for (rank, c) in order.enumerated() { number[c] = rank + 1 }
        let cluster = raw.map { number[$0] }

        let favourite = buyers.map { b -> String in
            guard !categories.isEmpty else { return "" }
            let best = categories.indices.max { x, y in
                (b.categorySpend[x], b.categoryOrders[x], categories[y]) < (b.categorySpend[y], b.categoryOrders[y], categories[x])
            }!
            return b.categorySpend[best] > 0 ? categories[best] : ""
        }
        let slugs = columnSlugs(categories)

        try writeSegments(db, buyers: buyers, recency: recency, favourite: favourite, cluster: cluster)
        let profiles = (1...max(1, k)).compactMap { c -> ClusterProfile? in
            let who = buyers.indices.filter { cluster[$0] == c }
            guard !who.isEmpty else { return nil }
            let n = Double(who.count)
            var shares = [Double](repeating: 0, count: categories.count)
            for i in who { for j in categories.indices { shares[j] += features[i * dimension + j] / n } }
            let top = categories.indices.max { shares[$0] < shares[$1] }.map { categories[$0] } ?? ""
            return ClusterProfile(cluster: c, customers: who.count, share: n / Double(buyers.count),
                                  meanRecencyDays: who.map { recency[$0] }.reduce(0, +) / n,
                                  meanOrders: who.map { Double(buyers[$0].orders) }.reduce(0, +) / n,
                                  meanSpend: who.map { buyers[$0].spend }.reduce(0, +) / n, topCategory: top, categoryShares: shares)
        }
        try writeClusters(db, profiles: profiles, slugs: slugs)

        // The audience: buyers with a way to reach them.
        let reachable = buyers.indices.filter { (buyers[$0].email?.isEmpty == false || buyers[$0].phone?.isEmpty == false) }
        let zones = buyers.map { USTimeZones.resolve(state: $0.state) }
        try db.execute(sql: "DROP TABLE IF EXISTS \(audienceTable)")
        var audienceRows: Int?
        if options.includePII {
            try writeAudience(db, buyers: buyers, rows: reachable, zones: zones, favourite: favourite, cluster: cluster, slugs: slugs)
            audienceRows = reachable.count
        }
        return Summary(customers: customers, buyers: buyers.count, withoutPurchase: customers - buyers.count,
                       droppedWithoutContact: buyers.count - reachable.count, audienceRows: audienceRows,
                       withoutTimeZone: reachable.filter { zones[$0].zone == nil }.count,
                       inTwoZoneStates: reachable.filter { zones[$0].spansTwoZones }.count, asOf: asOf,
                       categories: categories, k: k, chosenBy: options.clusters == nil ? "silhouette" : "requested",
                       silhouettes: silhouettes, clusters: profiles)
    }

    /// Mean 0, standard deviation 1 (all zeros when the values are constant).
    static func standardise(_ x: [Double]) -> [Double] {
        guard !x.isEmpty else { return x }
        let mean = x.reduce(0, +) / Double(x.count)
        let sd = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot()
        return x.map { sd > 0 ? ($0 - mean) / sd : 0 }
    }

    /// Column-safe names for categories: lower case, other characters as `_`, unique.
    static func columnSlugs(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.map { name in
            var s = String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            if s.isEmpty { s = "category" }
            var unique = s, n = 2
            while seen.contains(unique) { unique = "\(s)_\(n)"; n += 1 }
            seen.insert(unique)
            return unique
        }
    }

    static func writeSegments(_ db: Database, buyers: [Buyer], recency: [Double], favourite: [String], cluster: [Int]) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS \(segmentsTable);
            CREATE TABLE \(segmentsTable) (
                customer_id TEXT NOT NULL PRIMARY KEY, orders INTEGER NOT NULL, total_spend REAL NOT NULL,
                last_purchase TEXT NOT NULL, recency_days INTEGER NOT NULL, favourite_category TEXT, cluster INTEGER NOT NULL)
                WITHOUT ROWID;
            """)
        let insert = try db.makeStatement(sql: "INSERT INTO \(segmentsTable) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for (i, b) in buyers.enumerated() {
            try insert.execute(arguments: [b.id, b.orders, b.spend, b.lastPurchase, Int(recency[i]),
                                           favourite[i].isEmpty ? nil : favourite[i], cluster[i]])
        }
    }

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

    static func writeAudience(_ db: Database, buyers: [Buyer], rows: [Int], zones: [USTimeZones.Resolution],
                              favourite: [String], cluster: [Int], slugs: [String]) throws {
        let perCategory = slugs.map { "spend_\($0) REAL NOT NULL" } + slugs.map { "orders_\($0) INTEGER NOT NULL" }
        try db.execute(sql: """
            CREATE TABLE \(audienceTable) (
                customer_id TEXT NOT NULL PRIMARY KEY, name TEXT, email TEXT, phone TEXT, state TEXT, time_zone TEXT,
                time_zone_predominant INTEGER NOT NULL, time_zone_note TEXT, orders INTEGER NOT NULL, total_spend REAL NOT NULL,
                last_purchase TEXT NOT NULL, favourite_category TEXT, cluster INTEGER NOT NULL
                \(perCategory.map { ", " + $0 }.joined())) WITHOUT ROWID;
            """)
        let insert = try db.makeStatement(sql: "INSERT INTO \(audienceTable) VALUES (\(Array(repeating: "?", count: 13 + 2 * slugs.count).joined(separator: ", ")))")
        for i in rows {
            let b = buyers[i], z = zones[i]
            var values: [DatabaseValueConvertible?] = [b.id, b.name, b.email, b.phone, b.state, z.zone, z.spansTwoZones ? 1 : 0, z.note,
                                                       b.orders, b.spend, b.lastPurchase, favourite[i].isEmpty ? nil : favourite[i], cluster[i]]
            values += b.categorySpend.map { $0 as DatabaseValueConvertible? }
            values += b.categoryOrders.map { $0 as DatabaseValueConvertible? }
            try insert.execute(arguments: StatementArguments(values))
        }
    }
}
