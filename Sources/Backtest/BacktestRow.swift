/// One model scored at one cutoff (or, in the summary, the mean over the cutoffs).
///
/// A model that failed to fit or predict at a cutoff still has its row: the metrics are NaN
/// and ``error`` says why, so one failure never hides the other models' results. In JSON a
/// NaN metric is `null` and `error` is present only on such rows.
public struct BacktestRow: Codable, Sendable, Equatable {
    public var model: String
    /// The cutoff (first day of the scored month), or "mean".
    public var cutoff: String
    public var customers: Int
    public var deviance: Double
    public var rmse: Double
    public var mae: Double
    public var bias: Double
    public var top10Capture: Double
    /// The share of customers whose actual count lies inside their central 80% interval.
    public var coverage80: Double
    /// The mean probability each customer's law gives to their own 80% interval: the
    /// coverage a calibrated model would have (counts are discrete, so above 0.8).
    public var nominal80: Double
    /// The mean of −log P(actual count) under each customer's predictive distribution.
    public var logScore: Double
    public var fitSeconds: Double
    public var predictSeconds: Double
    /// Why the model has no scores here (a cutoff row), or at how many cutoffs it failed (a
    /// mean row, which then averages the other cutoffs); nil when nothing failed.
    public var error: String?

    public init(model: String, cutoff: String, customers: Int, deviance: Double, rmse: Double, mae: Double, bias: Double,
                top10Capture: Double, coverage80: Double = .nan, nominal80: Double = .nan, logScore: Double = .nan, fitSeconds: Double, predictSeconds: Double,
                error: String? = nil) {
        self.model = model
        self.cutoff = cutoff
        self.customers = customers
        self.deviance = deviance
        self.rmse = rmse
        self.mae = mae
        self.bias = bias
        self.top10Capture = top10Capture
        self.coverage80 = coverage80
        self.nominal80 = nominal80
        self.logScore = logScore
        self.fitSeconds = fitSeconds
        self.predictSeconds = predictSeconds
        self.error = error
    }

    /// The row of a model that failed at `cutoff`: no scores, the reason.
    public static func failed(model: String, cutoff: String, customers: Int, fitSeconds: Double, reason: String) -> BacktestRow {
        BacktestRow(model: model, cutoff: cutoff, customers: customers, deviance: .nan, rmse: .nan, mae: .nan, bias: .nan,
                    top10Capture: .nan, fitSeconds: fitSeconds, predictSeconds: 0, error: reason)
    }

    /// Whether this row has scores (a mean row over some successful cutoffs does).
    public var isScored: Bool { deviance.isFinite }

    enum CodingKeys: String, CodingKey {
        case model, cutoff, customers, deviance, rmse, mae, bias, top10Capture, coverage80, nominal80, logScore, fitSeconds, predictSeconds, error
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> Double { try c.decodeIfPresent(Double.self, forKey: key) ?? .nan }
        self.init(model: try c.decode(String.self, forKey: .model), cutoff: try c.decode(String.self, forKey: .cutoff),
                  customers: try c.decode(Int.self, forKey: .customers), deviance: try number(.deviance), rmse: try number(.rmse),
                  mae: try number(.mae), bias: try number(.bias), top10Capture: try number(.top10Capture),
                  coverage80: try number(.coverage80), nominal80: try number(.nominal80), logScore: try number(.logScore),
                  fitSeconds: try number(.fitSeconds), predictSeconds: try number(.predictSeconds),
                  error: try c.decodeIfPresent(String.self, forKey: .error))
    }

    /// Metrics that are not finite (a failed row, a bias with no events) are written as null.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func number(_ value: Double, _ key: CodingKeys) throws {
            if value.isFinite { try c.encode(value, forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        try c.encode(model, forKey: .model)
        try c.encode(cutoff, forKey: .cutoff)
        try c.encode(customers, forKey: .customers)
        try number(deviance, .deviance)
        try number(rmse, .rmse)
        try number(mae, .mae)
        try number(bias, .bias)
        try number(top10Capture, .top10Capture)
        try number(coverage80, .coverage80)
        try number(nominal80, .nominal80)
        try number(logScore, .logScore)
        try number(fitSeconds, .fitSeconds)
        try number(predictSeconds, .predictSeconds)
        try c.encodeIfPresent(error, forKey: .error)
    }
}

extension BacktestRow {
    /// NaN == NaN for the metrics: two failed rows with the same reason are equal.
    public static func == (a: BacktestRow, b: BacktestRow) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return a.model == b.model && a.cutoff == b.cutoff && a.customers == b.customers && same(a.deviance, b.deviance)
            && same(a.rmse, b.rmse) && same(a.mae, b.mae) && same(a.bias, b.bias) && same(a.top10Capture, b.top10Capture)
            && same(a.coverage80, b.coverage80) && same(a.nominal80, b.nominal80) && same(a.logScore, b.logScore)
            && same(a.fitSeconds, b.fitSeconds) && same(a.predictSeconds, b.predictSeconds) && a.error == b.error
    }
}
