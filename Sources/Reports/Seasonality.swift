import Core
import Plots

/// Question 5: when people buy. Transactions by month of year (per year), by day of week and
/// by hour of day, and the daily series with a trend / weekly-seasonal decomposition.
public struct Seasonality: Sendable, Codable, Equatable {
    /// Years in the data, and per year the transactions of each month (nil for months outside the data).
    public var years: [Int]
    public var byMonth: [[Int?]]
    /// Monday first.
    public var byWeekday: [Int]
    /// 0 ... 23; all in hour 0 when the data have dates only (see `hasTimeOfDay`).
    public var byHour: [Int]
    public var hasTimeOfDay: Bool
    public var decomposition: Decomposition

    public init(_ baskets: Baskets) {
        var weekday = [Int](repeating: 0, count: 7), hour = [Int](repeating: 0, count: 24)
        guard let range = baskets.dayRange else {
            years = []; byMonth = []; byWeekday = weekday; byHour = hour; hasTimeOfDay = false
            decomposition = Decomposition(firstDay: 0, observed: [])
            return
        }
        let firstYear = CivilDate(dayNumber: range.lowerBound).year, lastYear = CivilDate(dayNumber: range.upperBound).year
        var months = [[Int]](repeating: [Int](repeating: 0, count: 12), count: lastYear - firstYear + 1)
        var daily = [Double](repeating: 0, count: range.count)
        for t in 0..<baskets.count {
            let s = baskets.seconds[t]
            let d = dayNumber(ofSeconds: s)
            let date = CivilDate(dayNumber: d)
            months[date.year - firstYear][date.month - 1] += 1
            weekday[CivilDate.weekdayIndex(dayNumber: d)] += 1
            hour[Int(((s % 86_400) + 86_400) % 86_400 / 3600)] += 1
            daily[d - range.lowerBound] += 1
        }
        let firstMonth = Months.index(ofDay: range.lowerBound), lastMonth = Months.index(ofDay: range.upperBound)
        years = Array(firstYear...lastYear)
        byMonth = months.enumerated().map { y, row in
            row.enumerated().map { m, n in
                let index = (firstYear + y) * 12 + m
                return index < firstMonth || index > lastMonth ? nil : n
            }
        }
        byWeekday = weekday
        byHour = hour
        hasTimeOfDay = baskets.hasTimeOfDay
        decomposition = Decomposition(firstDay: range.lowerBound, observed: daily)
    }
}

/// A classical additive decomposition of a daily series with a weekly period:
/// observed = trend + seasonal + remainder.
///
/// The trend is a centred 7-day moving average (it follows the yearly cycle too, so it is a
/// trend-cycle); the seasonal part is the mean detrended value per weekday, centred to sum
/// to zero; the remainder is what is left. The first and last three days have no trend.
public struct Decomposition: Sendable, Codable, Equatable {
    public var firstDay: Int
    public var observed: [Double]
    public var trend: [Double?]
    public var seasonal: [Double]
    public var remainder: [Double?]
    /// The weekly effect per weekday, Monday first.
    public var weekdayEffect: [Double]
    /// Strength of the weekly seasonality, max(0, 1 - var(remainder) / var(seasonal + remainder))
    /// (Wang, Smith & Hyndman 2006): 0 none, 1 all of the detrended variation.
    public var seasonalStrength: Double

    public init(firstDay: Int, observed: [Double]) {
        self.firstDay = firstDay
        self.observed = observed
        let n = observed.count
        var trend = [Double?](repeating: nil, count: n)
        if n >= 7 {
            var window = observed[0..<7].reduce(0, +)
            for i in 3..<(n - 3) {
                if i > 3 { window += observed[i + 3] - observed[i - 4] }
                trend[i] = window / 7
            }
        }
        var sums = [Double](repeating: 0, count: 7), counts = [Double](repeating: 0, count: 7)
        for i in 0..<n {
            guard let t = trend[i] else { continue }
            let w = CivilDate.weekdayIndex(dayNumber: firstDay + i)
            sums[w] += observed[i] - t
            counts[w] += 1
        }
        var effect = (0..<7).map { counts[$0] > 0 ? sums[$0] / counts[$0] : 0 }
        let mean = effect.reduce(0, +) / 7
        effect = effect.map { $0 - mean }
        seasonal = (0..<n).map { effect[CivilDate.weekdayIndex(dayNumber: firstDay + $0)] }
        let seasonal = self.seasonal
        remainder = (0..<n).map { i in trend[i].map { observed[i] - $0 - seasonal[i] } }
        self.trend = trend
        weekdayEffect = effect
        var r: [Double] = [], sr: [Double] = []
        for i in 0..<n { if let e = remainder[i] { r.append(e); sr.append(e + seasonal[i]) } }
        func variance(_ x: [Double]) -> Double {
            guard x.count > 1 else { return 0 }
            let m = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
        }
        let vsr = variance(sr)
        seasonalStrength = vsr > 0 ? max(0, 1 - variance(r) / vsr) : 0
    }
}
