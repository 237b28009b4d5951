/// The feature columns, each case's raw value its column: in every feature matrix and training
/// panel, `columns[Feature.freqTotal.rawValue]` is `freq_total`. The order is the reference
/// list of `../shared/anchors/features.py`, then `product_breadth`, which only logs with
/// products have. ``FeatureSet`` documents the definitions.
public enum Feature: Int, CaseIterable, Sendable {
    case recencyDays, freqTotal, freq30, freq90, freq180, freq365, tenureDays
    case meanGapDays, gapStdDays, monetaryTotal, monetaryMean, targetMonth, yoySameMonth
    case slope6m, slope12m
    case productBreadth

    /// The column's name in feature matrices, saved models and files.
    public var name: String {
        switch self {
        case .recencyDays: "recency_days"
        case .freqTotal: "freq_total"
        case .freq30: "freq_30"
        case .freq90: "freq_90"
        case .freq180: "freq_180"
        case .freq365: "freq_365"
        case .tenureDays: "tenure_days"
        case .meanGapDays: "mean_gap_days"
        case .gapStdDays: "gap_std_days"
        case .monetaryTotal: "monetary_total"
        case .monetaryMean: "monetary_mean"
        case .targetMonth: "target_month"
        case .yoySameMonth: "yoy_same_month"
        case .slope6m: "slope_6m"
        case .slope12m: "slope_12m"
        case .productBreadth: "product_breadth"
        }
    }

    /// The features of every log: all but `product_breadth`.
    public static let base = allCases.filter { $0 != .productBreadth }
}
