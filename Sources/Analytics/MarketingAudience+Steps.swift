import Core
import Foundation
import GRDB
import GRDBSQLite
import Models
import Warehouse

/// The steps of ``MarketingAudience/build(_:options:)``, in the order it runs them, and what
/// each hands to the next. Only the first two read the database; the rest are pure, so each
/// can be checked on its own, and the order of the random draws (the fit sample, then k-means)
/// stays the one the committed cluster chart was made with.
extension MarketingAudience {
    /// A customer with at least one order that counts as revenue.
    public struct Buyer: Sendable {
        public var key: Int64
        public var id: String
        public var name: String?, email: String?, phone: String?, state: String?
        public var orders: Int
        public var spend: Double
        /// `YYYY-MM-DD HH:MM:SS` (UTC) of the last revenue order.
        public var lastPurchase: String
        /// Spend and orders per category, in ``BuyerTable/categories`` order.
        public var categorySpend: [Double]
        public var categoryOrders: [Int]

        public init(key: Int64, id: String, name: String?, email: String?, phone: String?, state: String?, orders: Int, spend: Double,
                    lastPurchase: String, categorySpend: [Double], categoryOrders: [Int]) {
            self.key = key; self.id = id; self.name = name; self.email = email; self.phone = phone; self.state = state
            self.orders = orders; self.spend = spend; self.lastPurchase = lastPurchase
            self.categorySpend = categorySpend; self.categoryOrders = categoryOrders
        }
    }

    /// Step 1's output: the buyers, described over the categories of `dim_product`.
    public struct BuyerTable: Sendable {
        /// The categories, sorted; the order of every per-category array.
        public var categories: [String]
        /// Customers in `dim_customer`, buyers or not.
        public var customerCount: Int
        /// The buyers, by customer key.
        public var rows: [Buyer]

        public init(categories: [String], customerCount: Int, rows: [Buyer]) {
            self.categories = categories; self.customerCount = customerCount; self.rows = rows
        }
    }

    /// Step 2's output: days since each buyer's last purchase, as of a day.
    struct Recency {
        /// The day recency is measured to, `YYYY-MM-DD`.
        var asOf: String
        /// One value per buyer, in ``BuyerTable/rows`` order.
        var days: [Double]
    }

    /// Step 3's output: one row per buyer (row-major), the category spend shares then the
    /// standardised recency, log orders and log spend.
    struct FeatureMatrix {
        var values: [Double]
        var dimension: Int
    }

    /// Step 4's output: the clusters as k-means numbers them (0-based, in no useful order).
    struct FittedClusters {
        var k: Int
        var assignment: [Int]
        /// Silhouette per k tried, keyed by k as text (for JSON); empty when k was requested.
        var silhouettes: [String: Double]
    }

    /// Steps 5 and 6: each buyer's cluster (1-based, by mean spend, highest first) and
    /// favourite category ("" when it has none).
    public struct Segments: Sendable {
        public var cluster: [Int]
        public var favourite: [String]
    }

    /// Step 8's output: who can be reached and in which time zone.
    public struct Reach: Sendable {
        /// Indices of the buyers with an email or a phone.
        public var reachable: [Int]
        /// The time zone of every buyer's state, in ``BuyerTable/rows`` order.
        public var zones: [USTimeZones.Resolution]
    }

    /// Step 1: the buyers with their orders, spend and last purchase, then their spend and
    /// orders per category. One pass over the revenue orders and one over their lines, in key
    /// order, through SQLite's C API (two `GROUP BY`s over the facts took 13 of the 13.2 s
    /// the segments took at 200,000 customers); sums are added in `order_key` order.
    static func readBuyers(_ db: Database) throws -> BuyerTable {
        let categories = try String.fetchAll(db, sql: "SELECT DISTINCT category FROM dim_product ORDER BY category")
        let categoryIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        let customers = try Int.fetchOne(db, sql: "SELECT count(*) FROM dim_customer") ?? 0

        // The revenue orders: count, spend and the latest `ordered_at` per customer. The time
        // is compared as bytes (the loader writes `YYYY-MM-DD HH:MM:SS`; the first 32 bytes
        // decide), kept in a flat buffer so that no string is made per order.
        let width = 32
        var slotOfKey = KeyIndex(maxKey: try Int64.fetchOne(db, sql: "SELECT max(customer_key) FROM dim_customer") ?? 0, count: customers)
        var orders: [Int] = [], spend: [Double] = [], latest: [UInt8] = [], latestLength: [Int] = []
        try BulkRead.rows(db, "SELECT customer_key, ordered_at, order_total FROM fct_orders WHERE is_revenue = 1 ORDER BY order_key") { s in
            let key = sqlite3_column_int64(s, 0)
            let k: Int
            if let known = slotOfKey[key] {
                k = known
            } else {
                k = orders.count
                slotOfKey[key] = k
                orders.append(0); spend.append(0); latestLength.append(-1)
                latest.append(contentsOf: repeatElement(0, count: width))
            }
            orders[k] += 1
            spend[k] += sqlite3_column_double(s, 2)
            guard let text = sqlite3_column_text(s, 1) else { return }
            let n = min(Int(sqlite3_column_bytes(s, 1)), width)
            latest.withUnsafeMutableBytes { buffer in
                let stored = buffer.baseAddress! + k * width
                let c = memcmp(text, stored, min(n, max(latestLength[k], 0)))
                if latestLength[k] < 0 || c > 0 || (c == 0 && n > latestLength[k]) {
                    memcpy(stored, text, n)
                    latestLength[k] = n
                }
            }
        }
        // The buyers in customer key order, with what dim_customer says of them.
        var buyers: [Buyer] = []
        var buyerOfKey = KeyIndex(maxKey: slotOfKey.maxKey, count: customers)
        func text(_ s: OpaquePointer, _ column: Int32) -> String? {
            sqlite3_column_text(s, column).map { String(cString: $0) }
        }
        try BulkRead.rows(db, "SELECT customer_key, customer_id, name, email, phone, state FROM dim_customer ORDER BY customer_key") { s in
            let key = sqlite3_column_int64(s, 0)
            guard let k = slotOfKey[key] else { return }
            let last = latest.withUnsafeBytes { b in String(decoding: b[k * width..<(k * width + max(latestLength[k], 0))], as: UTF8.self) }
            buyerOfKey[key] = buyers.count
            buyers.append(Buyer(key: key, id: text(s, 1) ?? "", name: text(s, 2), email: text(s, 3), phone: text(s, 4), state: text(s, 5),
                                orders: orders[k], spend: spend[k], lastPurchase: last,
                                categorySpend: [Double](repeating: 0, count: categories.count),
                                categoryOrders: [Int](repeating: 0, count: categories.count)))
        }
        // Their revenue lines: spend and distinct orders per category (an order's lines are
        // adjacent in key order, so remembering the last order per cell counts it once).
        var categoryOfProduct: [Int64: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT product_key, category FROM dim_product") {
            if let c = categoryIndex[row[1] as String] { categoryOfProduct[row[0]] = c }
        }
        let cells = buyers.count * categories.count
        var cellSpend = [Double](repeating: 0, count: cells), cellOrders = [Int](repeating: 0, count: cells)
        var lastOrder = [Int64](repeating: -1, count: cells)
        try BulkRead.rows(db, "SELECT customer_key, product_key, order_key, line_total FROM fct_order_lines WHERE is_revenue = 1 ORDER BY order_key, product_key") { s in
            guard let b = buyerOfKey[sqlite3_column_int64(s, 0)], let c = categoryOfProduct[sqlite3_column_int64(s, 1)] else { return }
            let cell = b * categories.count + c, order = sqlite3_column_int64(s, 2)
            cellSpend[cell] += sqlite3_column_double(s, 3)
            if lastOrder[cell] != order { lastOrder[cell] = order; cellOrders[cell] += 1 }
        }
        for b in buyers.indices {
            buyers[b].categorySpend = Array(cellSpend[b * categories.count..<(b + 1) * categories.count])
            buyers[b].categoryOrders = Array(cellOrders[b * categories.count..<(b + 1) * categories.count])
        }
        return BuyerTable(categories: categories, customerCount: customers, rows: buyers)
    }

    /// The day recency is measured to by default: the last revenue order's.
    static func lastPurchaseDay(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT substr(max(ordered_at), 1, 10) FROM fct_orders WHERE is_revenue = 1") ?? "1970-01-01"
    }

    /// Step 2: days from each buyer's last purchase to `asOf`.
    static func measureRecency(buyers: [Buyer], asOf: String) throws -> Recency {
        guard let asOfDay = CivilDate(iso: asOf)?.dayNumber else { throw MartError.invalidAsOf(asOf) }
        let days = buyers.map { b in Double(asOfDay - (CivilDate(iso: String(b.lastPurchase.prefix(10)))?.dayNumber ?? asOfDay)) }
        return Recency(asOf: asOf, days: days)
    }

    /// Step 3: category spend shares, then standardised recency, log orders, log spend.
    static func makeFeatures(_ buyers: BuyerTable, recencyDays: [Double]) -> FeatureMatrix {
        let categories = buyers.categories.count
        let dimension = categories + 3
        var features = [Double](repeating: 0, count: buyers.rows.count * dimension)
        let rfm: [[Double]] = [recencyDays, buyers.rows.map { log1p(Double($0.orders)) }, buyers.rows.map { log1p(max(0, $0.spend)) }]
        let standardised = rfm.map(standardise)
        for (i, b) in buyers.rows.enumerated() {
            let total = b.categorySpend.reduce(0, +)
            for c in 0..<categories { features[i * dimension + c] = total > 0 ? b.categorySpend[c] / total : 0 }
            for j in 0..<3 { features[i * dimension + categories + j] = standardised[j][i] }
        }
        return FeatureMatrix(values: features, dimension: dimension)
    }

    /// Step 4: k-means fitted on a seeded sample of at most ``Options/fitSampleSize`` buyers
    /// (k requested, or chosen by silhouette), then every buyer assigned to its nearest centre.
    static func fitClusters(_ features: FeatureMatrix, options: Options) -> FittedClusters {
        let dimension = features.dimension, n = dimension > 0 ? features.values.count / dimension : 0
        var random = RandomSource(seed: options.seed)
        let sample = random.sampleIndices(options.fitSampleSize, of: n)
        var samplePoints: [Double] = []
        samplePoints.reserveCapacity(sample.count * dimension)
        for i in sample { samplePoints.append(contentsOf: features.values[i * dimension..<(i + 1) * dimension]) }
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
        let assignment = KMeans.assign(features.values, dimension: dimension, centroids: fitted.centroids)
        return FittedClusters(k: fitted.k, assignment: assignment, silhouettes: silhouettes)
    }

    /// Step 5: the clusters numbered by mean spend, highest first (1-based; ties by k-means'
    /// number), so that cluster 1 means the same thing in every build.
    static func numberBySpend(_ fitted: FittedClusters, buyers: [Buyer]) -> [Int] {
        let k = fitted.k
        var spendSum = [Double](repeating: 0, count: k), members = [Int](repeating: 0, count: k)
        for (i, c) in fitted.assignment.enumerated() { spendSum[c] += buyers[i].spend; members[c] += 1 }
        let order = (0..<k).sorted { a, b in
            let ma = members[a] > 0 ? spendSum[a] / Double(members[a]) : -1, mb = members[b] > 0 ? spendSum[b] / Double(members[b]) : -1
            return ma != mb ? ma > mb : a < b
        }
        var number = [Int](repeating: 0, count: k)
        for (rank, c) in order.enumerated() { number[c] = rank + 1 }
        return fitted.assignment.map { number[$0] }
    }

    /// Step 6: each buyer's favourite category: the most spend, then the most orders, then the
    /// first name; "" for a buyer with no category spend.
    static func favouriteCategories(_ buyers: BuyerTable) -> [String] {
        let categories = buyers.categories
        return buyers.rows.map { b -> String in
            guard !categories.isEmpty else { return "" }
            let best = categories.indices.max { x, y in
                (b.categorySpend[x], b.categoryOrders[x], categories[y]) < (b.categorySpend[y], b.categoryOrders[y], categories[x])
            }!
            return b.categorySpend[best] > 0 ? categories[best] : ""
        }
    }

    /// Step 7: the profile of every non-empty cluster, in cluster order.
    static func describeClusters(_ buyers: BuyerTable, features: FeatureMatrix, recencyDays: [Double], cluster: [Int], k: Int) -> [ClusterProfile] {
        let categories = buyers.categories, rows = buyers.rows, dimension = features.dimension
        return (1...max(1, k)).compactMap { c -> ClusterProfile? in
            let who = rows.indices.filter { cluster[$0] == c }
            guard !who.isEmpty else { return nil }
            let n = Double(who.count)
            var shares = [Double](repeating: 0, count: categories.count)
            for i in who { for j in categories.indices { shares[j] += features.values[i * dimension + j] / n } }
            let top = categories.indices.max { shares[$0] < shares[$1] }.map { categories[$0] } ?? ""
            return ClusterProfile(cluster: c, customers: who.count, share: n / Double(rows.count),
                                  meanRecencyDays: who.map { recencyDays[$0] }.reduce(0, +) / n,
                                  meanOrders: who.map { Double(rows[$0].orders) }.reduce(0, +) / n,
                                  meanSpend: who.map { rows[$0].spend }.reduce(0, +) / n, topCategory: top, categoryShares: shares)
        }
    }

    /// Step 8: the buyers with a way to reach them (an email or a phone), and every buyer's time zone.
    static func findContacts(_ buyers: [Buyer]) -> Reach {
        let reachable = buyers.indices.filter { (buyers[$0].email?.isEmpty == false || buyers[$0].phone?.isEmpty == false) }
        // Resolved once per distinct state text (a few dozen), not once per buyer.
        var resolved: [String?: USTimeZones.Resolution] = [:]
        let zones = buyers.map { b in
            if let known = resolved[b.state] { return known }
            let zone = USTimeZones.resolve(state: b.state)
            resolved[b.state] = zone
            return zone
        }
        return Reach(reachable: reachable, zones: zones)
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
}
