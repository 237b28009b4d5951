import Core

extension ZeroForecaster: SQLScorable {
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        d.literal(0)
    }
}

extension RecentActivityForecaster: SQLScorable {
    /// freq_30, scaled by horizon / 30 unless the horizon is a month (28 ... 31 days), as ``predict(_:horizonDays:)``.
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        let recent = feature("freq_30")
        return (28...31).contains(horizonDays) ? recent : "\(recent) * \(d.literal(Double(horizonDays))) / \(d.literal(30))"
    }
}

extension HistoricalRateForecaster: SQLScorable {
    /// freq_total / tenure_days × horizon, 0 where that is not a finite number ≥ 0.
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        let n = feature("freq_total"), days = feature("tenure_days")
        return "CASE WHEN \(days) > 0 AND \(n) IS NOT NULL THEN \(d.greatest(d.literal(0), "\(n) / \(days) * \(d.literal(Double(horizonDays)))")) "
            + "ELSE \(d.literal(0)) END"
    }
}

extension Blend: SQLScorable {
    /// Σ weight × component, over the components with a positive weight, each compiled on its own.
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        guard isFitted else { throw ModelFitError.notFitted(model: name) }
        var terms: [String] = []
        for (model, w) in zip(components, weights) where w > 0 {
            guard let scorable = model as? any SQLScorable else { throw ScoreSQL.uncompilable(model) }
            terms.append("\(d.literal(w)) * (\(try scorable.expectedEventsSQL(d, feature: feature, horizonDays: horizonDays)))")
        }
        return terms.isEmpty ? d.literal(0) : terms.joined(separator: "\n            + ")
    }
}

extension AutoForecaster: SQLScorable {
    /// The chosen model's expression.
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        guard let chosen else { throw ModelFitError.notFitted(model: name) }
        guard let scorable = chosen as? any SQLScorable else { throw ScoreSQL.uncompilable(chosen) }
        return try scorable.expectedEventsSQL(d, feature: feature, horizonDays: horizonDays)
    }
}
