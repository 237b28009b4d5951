import Foundation
import GRDB
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
/// ``build(_:options:)`` runs the steps in order, each a function with typed inputs and
/// outputs (`MarketingAudience+Steps.swift`): read the buyers, measure recency, make the
/// features, fit the clusters, number them by spend, describe them, find who can be reached,
/// and write the three tables (`MarketingAudience+Tables.swift`).
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

    /// Builds the segments, the cluster profiles and (with ``Options/includePII``) the audience,
    /// replacing the tables of a previous build, inside the caller's transaction.
    public static func build(_ db: Database, options: Options = Options()) throws -> Summary {
        let buyers = try readBuyers(db)
        let asOf = try options.asOf ?? lastPurchaseDay(db)
        let computed = try compute(buyers, asOf: asOf, options: options)
        try writeSegments(db, buyers: buyers.rows, recencyDays: computed.recencyDays, segments: computed.segments)
        try writeClusters(db, profiles: computed.summary.clusters, slugs: computed.slugs)
        var summary = computed.summary
        summary.audienceRows = try writeAudience(db, buyers: buyers.rows, reach: computed.reach, segments: computed.segments,
                                                 slugs: computed.slugs, includePII: options.includePII)
        return summary
    }

    /// What the steps after reading make of the buyers, for a backend to write: every table's
    /// rows come from here, so the SQLite and PostgreSQL warehouses segment alike.
    public struct Computed: Sendable {
        /// The summary; ``Summary/audienceRows`` is left to the writer.
        public var summary: Summary
        /// Days since each buyer's last purchase, in buyer order.
        public var recencyDays: [Double]
        public var segments: Segments
        public var reach: Reach
        /// Column-safe names of the categories, in ``Summary/categories`` order.
        public var slugs: [String]
    }

    /// Steps 2 to 8 on buyers already read: recency to `asOf` (`YYYY-MM-DD`), features, clusters
    /// numbered by spend, favourite categories, profiles, contacts and time zones.
    public static func compute(_ buyers: BuyerTable, asOf: String, options: Options) throws -> Computed {
        let recency = try measureRecency(buyers: buyers.rows, asOf: asOf)
        let features = makeFeatures(buyers, recencyDays: recency.days)
        let fitted = fitClusters(features, options: options)
        let segments = Segments(cluster: numberBySpend(fitted, buyers: buyers.rows), favourite: favouriteCategories(buyers))
        let profiles = describeClusters(buyers, features: features, recencyDays: recency.days, cluster: segments.cluster, k: fitted.k)
        let reach = findContacts(buyers.rows)
        let summary = Summary(customers: buyers.customerCount, buyers: buyers.rows.count, withoutPurchase: buyers.customerCount - buyers.rows.count,
                              droppedWithoutContact: buyers.rows.count - reach.reachable.count, audienceRows: nil,
                              withoutTimeZone: reach.reachable.filter { reach.zones[$0].zone == nil }.count,
                              inTwoZoneStates: reach.reachable.filter { reach.zones[$0].spansTwoZones }.count, asOf: recency.asOf,
                              categories: buyers.categories, k: fitted.k, chosenBy: options.clusters == nil ? "silhouette" : "requested",
                              silhouettes: fitted.silhouettes, clusters: profiles)
        return Computed(summary: summary, recencyDays: recency.days, segments: segments, reach: reach, slugs: columnSlugs(buyers.categories))
    }
}
