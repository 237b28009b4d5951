import Features

/// Predicts no events for anyone. Wins MAE on sparse data and is useless otherwise: the
/// floor every model must clear.
public struct ZeroForecaster: Forecaster {
    public init() {}
    public var name: String { "zero" }
    public var needsTrainingPanel: Bool { false }
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {}
    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        [Double](repeating: 0, count: features.rowCount)
    }
    public func describe() -> ModelDescription { ModelDescription(kind: name, notes: ["predicts 0 for every customer"]) }
}

/// Events in the last 30 days before the cutoff, as the forecast for the next month
/// (scaled to the horizon: × horizon / 30).
public struct RecentActivityForecaster: Forecaster {
    public init() {}
    public var name: String { "last30" }
    public var needsTrainingPanel: Bool { false }
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {}
    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard let recent = features.column("freq_30") else { throw ForecasterError.missingFeature("freq_30") }
        // The reference uses freq_30 as is for a calendar month; scaling keeps other horizons honest.
        return (28...31).contains(horizonDays) ? recent : recent.map { $0 * Double(horizonDays) / 30 }
    }
    public func describe() -> ModelDescription {
        ModelDescription(kind: name, notes: ["events in the 30 days before the cutoff (scaled when the horizon is not a month)"])
    }
}

/// The customer's historical mean rate: events before the cutoff / tenure in days ×
/// horizon days.
public struct HistoricalRateForecaster: Forecaster {
    public init() {}
    public var name: String { "hist_rate" }
    public var needsTrainingPanel: Bool { false }
    public mutating func fit(panel: TrainingPanel?, events: EventLog, cutoff: Int, observer: TrainingObserver?) throws {}
    public func predict(_ features: FeatureMatrix, horizonDays: Int) throws -> [Double] {
        guard let n = features.column("freq_total") else { throw ForecasterError.missingFeature("freq_total") }
        guard let tenure = features.column("tenure_days") else { throw ForecasterError.missingFeature("tenure_days") }
        // Tenure is at least 1 day in any feature matrix of an event log; rows built elsewhere
        // (a service's request) may hold 0 or a missing value, which get no rate rather than
        // an infinite or NaN one.
        return zip(n, tenure).map { count, days in
            let rate = count / days * Double(horizonDays)
            return rate.isFinite ? max(0, rate) : 0
        }
    }
    public func describe() -> ModelDescription {
        ModelDescription(kind: name, notes: ["events before the cutoff / tenure days × horizon days"])
    }
}
