import Core

/// The kind of shop ``ShopGenerator`` imitates: every parameter of its process that differs
/// between real shops, as data.
///
/// The toolkit's models and checks must hold up on more than one shape of data: shops where
/// most customers never come back, shops that live on the holidays, shops whose customers
/// reorder like clockwork. A profile names such a shape; ``all`` lists the built-in ones.
/// ``default`` is the toolkit's default data and must not change: the committed reports are
/// computed from it.
public struct ShopProfile: Sendable, Equatable {
    /// How precisely order times are written.
    public enum TimestampPrecision: String, Sendable, Equatable {
        /// `YYYY-MM-DDTHH:MM:SS`.
        case seconds
        /// `YYYY-MM-DD`: many exports and order systems keep the order date only.
        case day
    }

    /// The name `forecast generate --profile` takes.
    public var name: String
    /// One line on what the profile imitates, for help texts.
    public var summary: String

    /// First day of the period, unless the config sets one.
    public var start: CivilDate
    /// Last day of the period, unless the config sets one.
    public var end: CivilDate

    /// Shape of the Gamma distribution of customers' purchase rates: below 1, most customers
    /// buy rarely and a few very often; large, everyone buys at about the mean rate.
    public var purchaseRateShape: Double
    /// Mean purchase rate, in orders a year (while the customer is alive).
    public var purchaseRateMean: Double
    /// Shape of the Gamma distribution of customers' churn rates.
    public var churnRateShape: Double
    /// Mean churn rate, a year; the lifetime is exponential with the customer's rate.
    public var churnRateMean: Double
    /// Share of customers who never order again after their first order, whatever their rate:
    /// the one-and-done buyers of shops without a reason to come back.
    public var oneTimeShare: Double

    /// Shape of the gaps between repeat orders. 1: a Poisson process at the customer's rate,
    /// thinned by month of year and day of week (memoryless gaps). Above 1: Gamma gaps with
    /// this shape and mean 1/rate, stretched in months with a factor below 1; their coefficient
    /// of variation is 1/√shape, so the higher, the more regular.
    public var interPurchaseShape: Double

    /// Factors of the order rate and of the acquisition intake by month of year, January first.
    public var monthFactors: [Double]

    /// Mean number of lines beyond the first in a basket (Poisson), January to October.
    public var extraLines: Double
    /// The same in November and December.
    public var holidayExtraLines: Double

    /// Share of orders with status `completed`.
    public var completedShare: Double
    /// Share of orders with status `cancelled`; the rest are `returned`.
    public var cancelledShare: Double
    /// Share of orders with status `returned`.
    public var returnedShare: Double { 1 - completedShare - cancelledShare }

    /// How order times are written, in `orders.csv` and `transactions.csv`.
    public var timestampPrecision: TimestampPrecision
    /// When true, `transactions.csv` has a sixth column, `status`, and keeps the lines of
    /// cancelled orders, as exports of order systems do; readers must drop them by status.
    /// When false, the flat log has no status and leaves cancelled orders out.
    public var flatLogHasStatus: Bool

    /// A profile from its parameters; ``all`` has the built-in ones.
    public init(name: String, summary: String, start: CivilDate, end: CivilDate,
                purchaseRateShape: Double, purchaseRateMean: Double, churnRateShape: Double, churnRateMean: Double,
                oneTimeShare: Double, interPurchaseShape: Double, monthFactors: [Double],
                extraLines: Double, holidayExtraLines: Double, completedShare: Double, cancelledShare: Double,
                timestampPrecision: TimestampPrecision, flatLogHasStatus: Bool) {
        self.name = name
        self.summary = summary
        self.start = start
        self.end = end
        self.purchaseRateShape = purchaseRateShape
        self.purchaseRateMean = purchaseRateMean
        self.churnRateShape = churnRateShape
        self.churnRateMean = churnRateMean
        self.oneTimeShare = oneTimeShare
        self.interPurchaseShape = interPurchaseShape
        self.monthFactors = monthFactors
        self.extraLines = extraLines
        self.holidayExtraLines = holidayExtraLines
        self.completedShare = completedShare
        self.cancelledShare = cancelledShare
        self.timestampPrecision = timestampPrecision
        self.flatLogHasStatus = flatLogHasStatus
    }

    /// What makes the parameters unusable, or nil when the generator can run them.
    public var problem: String? {
        if monthFactors.count != 12 { return "it needs 12 month factors (has \(monthFactors.count))" }
        if !monthFactors.allSatisfy({ $0 > 0 && $0.isFinite }) { return "month factors must be positive" }
        let positive = [("purchase rate shape", purchaseRateShape), ("purchase rate mean", purchaseRateMean),
                        ("churn rate shape", churnRateShape), ("churn rate mean", churnRateMean),
                        ("inter-purchase shape", interPurchaseShape)]
        if let bad = positive.first(where: { !($0.1 > 0 && $0.1.isFinite) }) { return "the \(bad.0) must be positive (is \(bad.1))" }
        // Baskets hold at most 8 lines anyway; a larger mean only slows the Poisson draw.
        if !(0...8).contains(extraLines) || !(0...8).contains(holidayExtraLines) { return "extra lines must be between 0 and 8" }
        let shares = [("one-time share", oneTimeShare), ("completed share", completedShare), ("cancelled share", cancelledShare)]
        if let bad = shares.first(where: { !(0...1).contains($0.1) }) { return "the \(bad.0) must be between 0 and 1 (is \(bad.1))" }
        if completedShare + cancelledShare > 1 { return "the completed and cancelled shares add up to more than 1" }
        return nil
    }

    /// The built-in profiles, `default` first.
    public static let all: [ShopProfile] = [.default, .lowRepeat, .seasonal, .subscriptionLike]

    /// The built-in profile called `name`, or nil.
    public static func named(_ name: String) -> ShopProfile? { all.first { $0.name == name } }

    /// The toolkit's default data: a general online shop over three years. Its values are the
    /// generator's from before profiles existed; changing any changes every committed report.
    public static let `default` = ShopProfile(
        name: "default",
        summary: "a general online shop over 2017-2019: heterogeneous buyers who churn, a November-December peak",
        start: CivilDate(year: 2017, month: 1, day: 1), end: CivilDate(year: 2019, month: 12, day: 31),
        purchaseRateShape: 0.6, purchaseRateMean: 6, churnRateShape: 2, churnRateMean: 0.5,
        oneTimeShare: 0, interPurchaseShape: 1,
        monthFactors: [0.85, 0.8, 0.9, 0.9, 0.95, 0.9, 0.88, 0.95, 0.95, 1.0, 1.45, 1.75],
        extraLines: 0.45, holidayExtraLines: 0.7, completedShare: 0.93, cancelledShare: 0.04,
        timestampPrecision: .seconds, flatLogHasStatus: false)

    /// The default profile with `changes` applied: each other profile says only how it differs.
    static func variant(_ name: String, _ summary: String, _ changes: (inout ShopProfile) -> Void) -> ShopProfile {
        var profile = ShopProfile.default
        profile.name = name
        profile.summary = summary
        changes(&profile)
        return profile
    }

    /// Most customers buy once: a year of a marketplace-like or one-off-purchase shop, a third
    /// of orders cancelled, order dates without times, the status in the flat log.
    public static let lowRepeat = variant(
        "low-repeat", "one year where most customers buy once, a third of orders cancelled (status column), dates without times") {
        $0.start = CivilDate(year: 2019, month: 1, day: 1)
        $0.purchaseRateShape = 0.5; $0.purchaseRateMean = 3; $0.churnRateMean = 2
        $0.oneTimeShare = 0.15
        $0.extraLines = 0.3; $0.holidayExtraLines = 0.45
        $0.completedShare = 0.64; $0.cancelledShare = 0.33
        $0.timestampPrecision = .day; $0.flatLogHasStatus = true
    }

    /// A gift-like shop that lives on the holidays: a November-December peak about three
    /// times the rest of the year, in orders and in new customers, and bigger holiday baskets.
    public static let seasonal = variant(
        "seasonal", "a gift and toy shop: orders and new customers peak strongly in November-December") {
        $0.purchaseRateMean = 4
        $0.monthFactors = [0.8, 0.7, 0.75, 0.75, 0.8, 0.75, 0.75, 0.8, 0.85, 1.0, 2.0, 2.6]
        $0.holidayExtraLines = 1.0
    }

    /// Replenishment buyers (coffee, pet food, contact lenses): each reorders about every 25-35
    /// days with little jitter, no seasonality, and churns slowly.
    public static let subscriptionLike = variant(
        "subscription-like", "regular repeat buyers: a reorder about every 25-35 days per customer, low churn, no season") {
        $0.purchaseRateShape = 30; $0.purchaseRateMean = 12; $0.churnRateMean = 0.35
        $0.oneTimeShare = 0.1; $0.interPurchaseShape = 16
        $0.monthFactors = [Double](repeating: 1, count: 12)
        $0.extraLines = 0.3; $0.holidayExtraLines = 0.3
        $0.completedShare = 0.95; $0.cancelledShare = 0.03
    }
}
