import Core
import Features

/// Out-of-sample forecasts of some training months by several models: for each chosen
/// origin o, every model is fitted on the origins before o (and the events before o) and
/// forecasts the month from o. The blend weighs its components on them and `auto` compares
/// its candidates on them; the month a model is finally scored on never enters.
struct OriginForecasts {
    /// The chosen origins (day numbers of month starts), oldest first.
    var origins: [Int]
    /// Each origin's actual events per customer with an event before it.
    var targets: [[Double]]
    /// `predictions[model][k]`: the model's forecasts of origin k's customers (empty for a
    /// model that failed).
    var predictions: [[[Double]]]
    /// The models that failed, by position, with where and why.
    var failures: [Int: Blend.DroppedComponent]

    /// Why a model that fitted is still left out.
    struct UnusablePredictions: Error, CustomStringConvertible {
        var description: String { "its predictions are not all finite and non-negative" }
    }

    /// The positions in `origins` (ascending) that forecasts are made for: the last `recent`
    /// ones (never the first, which has no earlier origin to fit on), and the one a year before
    /// the month scored from `cutoff` when the panel reaches it.
    static func chosenOrigins(_ origins: [Int], recent: Int, cutoff: Int) -> [Int] {
        guard origins.count >= 2 else { return [] }
        var chosen = Array(max(1, origins.count - recent)..<origins.count)
        let yearBefore = scoredMonth(cutoff: cutoff).firstOfMonth(adding: -12).dayNumber
        if let k = origins.firstIndex(of: yearBefore), k >= 1, !chosen.contains(k) { chosen.insert(k, at: 0) }
        return chosen
    }

    /// The month a forecast from `cutoff` over the month-long horizon of `predict` is about.
    static func scoredMonth(cutoff: Int) -> CivilDate {
        MonthHorizon.targetMonth(cutoff: cutoff, horizonDays: MonthHorizon.days(from: cutoff))
    }

    /// Fits every model at each chosen origin and forecasts its month. A model that throws, or
    /// predicts a non-finite or negative value, is recorded as failed and skipped from then on;
    /// `drop` is told (for the observer).
    static func compute(models: [any Forecaster], panel: TrainingPanel, events: EventLog, chosen: [Int],
                        observer: TrainingObserver?, drop: (Blend.DroppedComponent) -> Void) -> OriginForecasts {
        var failures: [Int: Blend.DroppedComponent] = [:]
        var predictions = [[[Double]]](repeating: [], count: models.count)
        var targets: [[Double]] = []
        for j in chosen {
            let o = panel.origins[j]
            let earlier = panel.prefix(origins: j)
            let features = events.features(asOf: o)
            let horizon = MonthHorizon.daysToNextMonthStart(from: o)
            for (m, template) in models.enumerated() where failures[m] == nil {
                var model = template
                do {
                    try model.fit(panel: earlier, events: events, cutoff: o, observer: observer)
                    let p = try model.predict(features, horizonDays: horizon)
                    guard p.count == features.rowCount, p.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw UnusablePredictions() }
                    predictions[m].append(p)
                } catch {
                    let entry = Blend.DroppedComponent(name: template.name, stage: "weighting origin \(CivilDate(dayNumber: o))",
                                                       reason: String(describing: error))
                    failures[m] = entry
                    predictions[m] = []
                    drop(entry)
                }
            }
            targets.append(features.nextMonthEvents)
        }
        return OriginForecasts(origins: chosen.map { panel.origins[$0] }, targets: targets, predictions: predictions, failures: failures)
    }

    /// Row weights for fitting on origins `k` (positions in ``origins``) to forecast the month
    /// scored from `cutoff`: rows of a month of the same month of year count, in total, half as
    /// much as all the other months' rows together (1 each), so that the weights learn from
    /// months like the scored one without resting on a single month.
    func rowWeights(origins k: [Int], cutoff: Int) -> [Double] {
        let month = Self.scoredMonth(cutoff: cutoff).month
        let like = k.filter { CivilDate(dayNumber: origins[$0]).month == month }
        let likeRows = like.reduce(0) { $0 + targets[$1].count }
        let otherRows = k.reduce(0) { $0 + targets[$1].count } - likeRows
        let likeWeight = likeRows > 0 && otherRows > 0 ? 0.5 * Double(otherRows) / Double(likeRows) : 1
        return k.flatMap { j in repeatElement(like.contains(j) ? likeWeight : 1, count: targets[j].count) }
    }
}
