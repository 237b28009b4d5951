import Core
import Features
import Foundation

/// A multiplier of a stationary model's forecasts per target month of year, learned from the
/// model's own errors on the months before the cutoff.
///
/// BG/NBD, Pareto/NBD and MBG/NBD give every month the same purchase rate, so a shop whose
/// November sells 1.6 times a normal month is missed by 40% every November. The calibration
/// scores the fitted model on each month before the cutoff (the origins: month starts whose
/// month ends before the cutoff, the last ``maxOrigins`` of them), as the backtest would have:
/// each customer's history up to the origin, its forecast of that month and the month's
/// actual events. The ratio actual / forecast of a month says how far off the model was then.
///
/// The factor for a target month is the ratio of the same month of year in the origins (the
/// geometric mean when there are several years), when the history reaches it: that ratio
/// holds the month's seasonality and the model's bias of that time together. When the
/// history does not reach it, the factor is the ratio over the last ``levelOrigins`` months
/// (the model's recent bias, no seasonality), shrunk toward 1 by how many months it rests on.
/// A month with fewer than ``minimumEvents`` actual events gives no ratio.
///
/// Only the model's forecasts, never the scored month, reach the factors: every origin's
/// month ends on or before the cutoff. The parameters are those fitted at the cutoff, so the
/// earlier months are in the fit's sample; with four parameters over thousands of customers
/// that leak is negligible beside the seasonal error it corrects.
public struct SeasonalCalibration: Codable, Sendable, Equatable {
    /// One month before the cutoff: its forecast and what happened.
    public struct Month: Codable, Sendable, Equatable {
        /// `YYYY-MM`.
        public var month: String
        public var actual: Double
        public var forecast: Double
        /// actual / forecast.
        public var ratio: Double { forecast > 0 ? actual / forecast : .nan }
    }

    /// The months scored, oldest first.
    public var months: [Month]
    /// The multiplier per target month of year, January first.
    public var factors: [Double]

    /// How many months before the cutoff are scored at most (two years: each month of year
    /// twice).
    public static let maxOrigins = 24
    /// How many recent months give the level when the same month a year before is missing.
    public static let levelOrigins = 3
    /// Months with fewer actual events than this give no ratio (too noisy).
    public static let minimumEvents = 20.0

    /// No correction: every factor 1.
    public static let identity = SeasonalCalibration(months: [], factors: Array(repeating: 1, count: 12))

    /// The factor for a forecast from `cutoff` over `horizonDays`: that of the month holding
    /// the middle of the horizon.
    public func factor(cutoff: Int, horizonDays: Int) -> Double {
        let month = MonthHorizon.targetMonth(cutoff: cutoff, horizonDays: horizonDays).month
        guard factors.count == 12 else { return 1 }
        return factors[month - 1]
    }

    /// Learns the factors for a model fitted at `cutoff`: `forecast(origin, horizonDays)`
    /// returns the model's total forecast of the month from `origin` over the customers with
    /// an event before it, and the actual totals come from `events`.
    public static func fit(events: EventLog, cutoff: Int, forecast: (Int, Int) -> Double) -> SeasonalCalibration {
        let first = CivilDate(dayNumber: events.firstDay).firstOfMonth(adding: 1)
        let origins = Array(TrainingPanel.origins(from: first, cutoff: CivilDate(dayNumber: cutoff)).suffix(maxOrigins))
        // One origin per task: each month's sums run in a fixed order, so the factors are the
        // same on any number of threads.
        let months: [Month] = withoutActuallyEscaping(forecast) { forecast in
            nonisolated(unsafe) let forecast = forecast
            return parallelMap(origins.count) { k in
                let origin = origins[k]
                let horizon = MonthHorizon.daysToNextMonthStart(from: origin)
                return Month(month: String(CivilDate(dayNumber: origin).description.prefix(7)),
                             actual: events.eventsOfKnownCustomers(from: origin, to: origin + horizon),
                             forecast: forecast(origin, horizon))
            }
        }
        return SeasonalCalibration(months: months, factors: validatedFactors(months))
    }

    /// How many of the latest months test whether the calibration helps.
    public static let validationOrigins = 12

    /// ``factors(_:)`` when they would have helped on the latest months, else every factor 1.
    /// Each of the last ``validationOrigins`` months is forecast with the factor learned from
    /// the months before it only; the calibration is kept when the sum of squared log ratios
    /// (actual / calibrated forecast) is below that of the raw forecasts. On a shop without
    /// seasons the factors only add noise, and this test leaves them out.
    static func validatedFactors(_ months: [Month]) -> [Double] {
        var raw = 0.0, calibrated = 0.0
        for k in max(1, months.count - validationOrigins)..<max(1, months.count) {
            let m = months[k]
            guard m.actual >= minimumEvents, m.forecast > 0, m.ratio.isFinite else { continue }
            let factor = factors(Array(months[..<k]))[(Int(m.month.suffix(2)) ?? 1) - 1]
            raw += pow(log(m.ratio), 2)
            calibrated += pow(log(m.ratio / factor), 2)
        }
        return calibrated < raw ? factors(months) : Array(repeating: 1, count: 12)
    }

    /// The factors per month of year from the scored months (see the type's notes): log r of
    /// a month = level + season of its month of year; a season is the month's log ratio less
    /// the mean over the twelve consecutive months around it (where every season appears
    /// once), averaged over the years; the level is the mean of the last ``levelOrigins``
    /// months' log ratios less their seasons, shrunk toward 0 by n / (n + 1).
    static func factors(_ months: [Month]) -> [Double] {
        let logRatio: [Double?] = months.map { $0.actual >= minimumEvents && $0.forecast > 0 && $0.ratio.isFinite ? log($0.ratio) : nil }
        let monthOfYear = months.map { Int($0.month.suffix(2)) ?? 1 }
        var seasonSum = [Double](repeating: 0, count: 13), seasonCount = [Double](repeating: 0, count: 13)
        if months.count >= 12 {
            for (k, value) in logRatio.enumerated() {
                guard let value else { continue }
                let start = min(max(0, k - 6), months.count - 12)
                let window = logRatio[start..<(start + 12)].compactMap { $0 }
                guard window.count == 12 else { continue }
                seasonSum[monthOfYear[k]] += value - window.reduce(0, +) / 12
                seasonCount[monthOfYear[k]] += 1
            }
        }
        let season = (0...12).map { seasonCount[$0] > 0 ? seasonSum[$0] / seasonCount[$0] : 0 }
        let recent = logRatio.indices.filter { logRatio[$0] != nil }.suffix(levelOrigins)
        var level = 0.0
        if !recent.isEmpty {
            let n = Double(recent.count)
            level = recent.map { logRatio[$0]! - season[monthOfYear[$0]] }.reduce(0, +) / n * n / (n + 1)
        }
        return (1...12).map { exp(level + season[$0]) }
    }
}

extension EventLog {
    /// Events in [from, to) of the customers with an event before `from`: the actual total
    /// of a month the backtest scores from `from`.
    func eventsOfKnownCustomers(from: Int, to: Int) -> Double {
        var total = 0
        for c in 0..<customerCount {
            let start = firstEvent(ofCustomer: c, onOrAfter: from)
            guard start > offsets[c] else { continue }
            total += firstEvent(ofCustomer: c, onOrAfter: to) - start
        }
        return Double(total)
    }
}
