import Core
import Features
import Foundation
import Ingestion
import Models
import ModelStore

/// A saved model ready to forecast: checked against this toolkit's feature definitions, with
/// the ways a service hands it customers (a transaction log, customer histories, or feature
/// rows) and the answer per customer (expected count, P(0), the 80% interval).
///
/// ```swift
/// let store = try ModelStore.open("models")
/// let model = try store.forecastModel("default")            // or version: 3
/// let answers = try model.forecast(histories: [history])    // as of the model's cutoff
/// ```
///
/// Immutable and `Sendable`: one value answers a whole request, whatever the store does meanwhile.
public struct ForecastModel: Sendable {
    /// The model file's payload: metadata, metrics, feature schema and the fitted model.
    public let saved: SavedModel

    public var name: String { saved.name }
    public var version: Int { saved.version }
    public var kind: String { saved.kind }
    /// The features the model reads, in its order.
    public var featureNames: [String] { saved.featureSchema.names }
    /// The model's own cutoff: the day after its training data's last day.
    public let cutoff: Int
    /// The first day of the data it was trained on (where `yoy_same_month` becomes observable).
    public let dataFirstDay: Int?

    /// Wraps a loaded model; refuses one whose feature definitions differ from this toolkit's.
    public init(_ saved: SavedModel) throws {
        guard saved.featureSchema.version == FeatureSet.version else {
            throw ForecastInputError(path: "", "\(saved.name)@\(saved.version) was trained on feature definitions version "
                                     + "\(saved.featureSchema.version); this toolkit computes version \(FeatureSet.version): retrain it")
        }
        guard let cutoff = CivilDate(iso: saved.training.cutoff) else {
            throw ForecastInputError(path: "training.cutoff", "'\(saved.training.cutoff)' is not a date")
        }
        self.saved = saved
        self.cutoff = cutoff.dayNumber
        self.dataFirstDay = CivilDate(iso: saved.data.firstDay)?.dayNumber
    }

    /// The horizon of a forecast from `cutoff`: to the same day a month later (a whole month
    /// from a month start), as `forecast predict` uses.
    public static func horizonDays(from cutoff: Int) -> Int { MonthHorizon.days(from: cutoff) }

    // MARK: Features

    /// The features of every customer of `log` with a purchase before `cutoff` (default: the
    /// model's), in the model's order. Features the log cannot give (`product_breadth`
    /// without products) are missing values; their names are returned.
    public func features(from log: TransactionLog, cutoff: Int? = nil) -> (matrix: FeatureMatrix, customerIDs: [String], unavailable: [String]) {
        features(from: EventLog(log), cutoff: cutoff)
    }

    /// The features of every customer of `events` with an event before `cutoff` (default: the
    /// model's), in the model's order, with the customers' ids and the features the data
    /// cannot give (missing values).
    public func features(from events: EventLog, cutoff: Int? = nil) -> (matrix: FeatureMatrix, customerIDs: [String], unavailable: [String]) {
        let matrix = events.features(asOf: cutoff ?? self.cutoff, observedSince: observedSince(events))
        let aligned = align(matrix)
        return (aligned.matrix, matrix.customers.map { events.customerIDs[Int($0)] }, aligned.unavailable)
    }

    /// The features of customer `c` of `events` as of `cutoff` (default: the model's), in the
    /// model's order; no row when it has no event before the cutoff. For a service that keeps
    /// a log in memory and answers one customer at a time.
    public func features(customer c: Int, of events: EventLog, cutoff: Int? = nil) -> (matrix: FeatureMatrix, unavailable: [String]) {
        align(events.features(asOf: cutoff ?? self.cutoff, customer: c, observedSince: observedSince(events)))
    }

    /// The first day the data are taken to cover: the earlier of the log's and the training data's.
    func observedSince(_ events: EventLog) -> Int? {
        [events.eventCount > 0 ? events.firstDay : nil, dataFirstDay].compactMap { $0 }.min()
    }

    /// The features of some customers' histories as of `cutoff` (default: the model's). The
    /// data are taken to cover the model's training data, so `yoy_same_month` is observed
    /// whenever the model's data reach a year before the cutoff: the values equal those of the
    /// same customers in the full log.
    public func features(from histories: [CustomerHistory], cutoff: Int? = nil) throws
        -> (matrix: FeatureMatrix, customerIDs: [String], unavailable: [String]) {
        features(from: try TransactionLog(histories: histories), cutoff: cutoff)
    }

    /// A matrix of feature rows given by name. Every feature of the model is required (a
    /// missing value is NaN); unknown names, counts below zero and a `target_month` outside
    /// 1...12 are refused with the row and feature in the error.
    public func features(fromRows rows: [FeatureRow], cutoff: Int? = nil) throws -> FeatureMatrix {
        let names = featureNames
        var columns = names.map { _ in [Double](repeating: .nan, count: rows.count) }
        let known = Set(names)
        for (r, row) in rows.enumerated() {
            let at = "rows[\(r)]"
            guard !row.customerID.isEmpty else { throw ForecastInputError(path: at + ".customer_id", "is empty") }
            if let unknown = row.values.keys.sorted().first(where: { !known.contains($0) }) {
                throw ForecastInputError(path: "\(at).features.\(unknown)", "is not a feature of \(name)@\(version); its features: \(names.joined(separator: ", "))")
            }
            for (f, feature) in names.enumerated() {
                guard let value = row.values[feature] else {
                    throw ForecastInputError(path: "\(at).features.\(feature)", "is missing (send null for a missing value)")
                }
                if let problem = FeatureRow.problem(feature: feature, value: value) {
                    throw ForecastInputError(path: "\(at).features.\(feature)", problem)
                }
                columns[f][r] = value
            }
        }
        return FeatureMatrix(names: names, cutoff: cutoff ?? self.cutoff, customers: rows.indices.map { Int32($0) },
                             columns: columns, nextMonthEvents: [Double](repeating: .nan, count: rows.count))
    }

    /// The model's features that data without products cannot give (`product_breadth`):
    /// they are missing values for such data.
    public func unavailableFeatures(withProducts: Bool) -> [String] {
        let computable = Set(FeatureSet.names(withProducts: withProducts))
        return featureNames.filter { !computable.contains($0) }
    }

    /// `matrix` with the model's columns in the model's order; a column the matrix lacks is
    /// all missing values.
    func align(_ matrix: FeatureMatrix) -> (matrix: FeatureMatrix, unavailable: [String]) {
        if matrix.names == featureNames { return (matrix, []) }
        var unavailable: [String] = []
        let columns = featureNames.map { name in
            matrix.column(name) ?? {
                unavailable.append(name)
                return [Double](repeating: .nan, count: matrix.rowCount)
            }()
        }
        return (FeatureMatrix(names: featureNames, cutoff: matrix.cutoff, customers: matrix.customers, columns: columns,
                              nextMonthEvents: matrix.nextMonthEvents), unavailable)
    }

    // MARK: Forecasts

    /// Expected count, P(0) and the 80% interval per row of `features` over `horizonDays`
    /// (default: a month from the matrix's cutoff).
    public func predict(_ features: FeatureMatrix, horizonDays: Int? = nil) throws -> [PredictiveSummary] {
        let horizon = horizonDays ?? Self.horizonDays(from: features.cutoff)
        guard horizon >= 1 else { throw ForecastInputError(path: "horizon_days", "must be at least 1, got \(horizon)") }
        return try saved.model.predictive(align(features).matrix, horizonDays: horizon)
    }

    /// Only the expected counts per row of `features` over `horizonDays` (default: a month from
    /// the matrix's cutoff): cheaper than ``predict(_:horizonDays:)`` when the distribution is
    /// not needed, as when scoring a month.
    public func expectedEvents(_ features: FeatureMatrix, horizonDays: Int? = nil) throws -> [Double] {
        let horizon = horizonDays ?? Self.horizonDays(from: features.cutoff)
        guard horizon >= 1 else { throw ForecastInputError(path: "horizon_days", "must be at least 1, got \(horizon)") }
        return try saved.model.predict(align(features).matrix, horizonDays: horizon)
    }

    /// Forecasts for every customer of `log`: one per customer, in the log's order; customers
    /// without a purchase before the cutoff get none (their ``CustomerForecast/prediction`` is nil).
    public func forecast(_ log: TransactionLog, cutoff: Int? = nil, horizonDays: Int? = nil) throws -> [CustomerForecast] {
        let built = features(from: log, cutoff: cutoff)
        let summaries = try predict(built.matrix, horizonDays: horizonDays)
        var byCustomer = [PredictiveSummary?](repeating: nil, count: log.customerCount)
        for (r, c) in built.matrix.customers.enumerated() { byCustomer[Int(c)] = summaries[r] }
        return log.customerIDs.indices.map { CustomerForecast(customerID: log.customerIDs[$0], prediction: byCustomer[$0]) }
    }

    /// Forecasts for the customers of `events` with an event before `cutoff` (default: the
    /// model's), in the log's order; customers without one are left out. What `forecast
    /// predict` writes.
    public func forecastKnownCustomers(_ events: EventLog, cutoff: Int? = nil, horizonDays: Int? = nil) throws -> [CustomerForecast] {
        let built = features(from: events, cutoff: cutoff)
        let summaries = try predict(built.matrix, horizonDays: horizonDays)
        return zip(built.customerIDs, summaries).map { CustomerForecast(customerID: $0, prediction: $1) }
    }

    /// Forecasts for customer histories, one per history in the same order (nil prediction
    /// for a customer without a purchase before the cutoff).
    public func forecast(histories: [CustomerHistory], cutoff: Int? = nil, horizonDays: Int? = nil) throws -> [CustomerForecast] {
        let log = try TransactionLog(histories: histories)
        let byID = Dictionary(uniqueKeysWithValues: try forecast(log, cutoff: cutoff, horizonDays: horizonDays).map { ($0.customerID, $0.prediction) })
        return histories.map { CustomerForecast(customerID: $0.customerID, prediction: byID[$0.customerID] ?? nil) }
    }

    /// Forecasts for feature rows, in order.
    public func forecast(rows: [FeatureRow], horizonDays: Int? = nil) throws -> [CustomerForecast] {
        let summaries = try predict(try features(fromRows: rows), horizonDays: horizonDays)
        return zip(rows, summaries).map { CustomerForecast(customerID: $0.customerID, prediction: $1) }
    }
}

/// One customer's features by name, as a service sends them (NaN for a missing value).
public struct FeatureRow: Sendable, Equatable {
    public var customerID: String
    public var values: [String: Double]

    public init(customerID: String, values: [String: Double]) {
        self.customerID = customerID
        self.values = values
    }

    /// Features that count days or events: never below zero.
    static let counts: Set<String> = ["recency_days", "freq_total", "freq_30", "freq_90", "freq_180", "freq_365", "tenure_days",
                                      "mean_gap_days", "gap_std_days", "yoy_same_month", "product_breadth"]

    /// What is wrong with a value, or nil.
    static func problem(feature: String, value: Double) -> String? {
        if value.isNaN { return nil }
        guard value.isFinite else { return "must be a finite number or null, got \(value)" }
        if counts.contains(feature), value < 0 { return "is a count and cannot be negative, got \(value)" }
        if feature == "target_month", !(1...12).contains(value) || value != value.rounded() {
            return "must be a month number 1...12, got \(value)"
        }
        return nil
    }
}

/// A customer's forecast over the horizon.
public struct CustomerForecast: Sendable, Equatable {
    public var customerID: String
    /// Nil when the customer has no purchase before the cutoff (the models forecast known customers).
    public var prediction: PredictiveSummary?

    public init(customerID: String, prediction: PredictiveSummary?) {
        self.customerID = customerID
        self.prediction = prediction
    }
}

extension ModelStore {
    /// The store at `root`, which must be a folder (an error names the path otherwise).
    public static func open(_ root: String) throws -> ModelStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ForecastInputError(path: "", "model store \(root) is not a folder")
        }
        return ModelStore(root: root)
    }

    /// Loads, checks and wraps model `name` at `version` (default: its latest version).
    public func forecastModel(_ name: String, version: Int? = nil) throws -> ForecastModel {
        try ForecastModel(load(ModelReference(name: name, version: version)))
    }
}
