import Core
import Foundation

/// The kind of scale an axis uses.
public enum ScaleKind: Sendable, Equatable {
    /// Numbers, with "nice" ticks (1, 2, 5 x 10^k steps).
    case linear
    /// Positive numbers on a base-10 logarithmic scale; values <= 0 are clamped to the lowest tick.
    case log
    /// Day numbers (days since 1970-01-01), with ticks on days, weeks, months or years.
    case time
    /// Categories, one band each, in the given order; marks use the category's index as x or y.
    case band([String])
}

/// One axis of a chart: its scale, title and label style.
public struct Axis: Sendable, Equatable {
    public var title: String
    public var kind: ScaleKind
    public var style: NumberStyle
    /// A fixed domain; by default the data's extent (with zero for linear scales when `includesZero`).
    public var domain: ClosedRange<Double>?
    public var includesZero: Bool
    /// Larger values at the bottom (or left): for ranks, where 1 belongs on top.
    public var reversed: Bool
    /// About how many ticks to aim for; fewer are used when labels would collide.
    public var tickCount: Int
    /// Only whole-number ticks (counts, ranks).
    public var integerTicks: Bool
    /// Horizontal grid lines (y) or vertical ones (x) at the ticks.
    public var grid: Bool

    public init(_ title: String = "", kind: ScaleKind = .linear, style: NumberStyle = .plain, domain: ClosedRange<Double>? = nil,
                includesZero: Bool = true, reversed: Bool = false, tickCount: Int = 6, integerTicks: Bool = false, grid: Bool = true) {
        self.title = title; self.kind = kind; self.style = style; self.domain = domain; self.includesZero = includesZero
        self.reversed = reversed; self.tickCount = tickCount; self.integerTicks = integerTicks; self.grid = grid
    }
}

/// A tick: where it is (in data units) and what it says.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String
}

/// An axis resolved against data and a pixel range: maps values to pixels and lists ticks.
public struct ResolvedScale: Sendable {
    public let kind: ScaleKind
    public let domain: ClosedRange<Double>
    /// Pixels of the domain's lower and upper ends (upper < lower for a y axis).
    public let range: (Double, Double)
    public let ticks: [Tick]
    /// The distance between neighbouring ticks in data units (for label precision).
    public let step: Double

    /// The band width in pixels (band scales), or 0.
    public var bandWidth: Double {
        guard case .band(let c) = kind, !c.isEmpty else { return 0 }
        return abs(range.1 - range.0) / Double(c.count) * 0.8
    }

    /// Pixel position of `value`: for a band scale, `value` is a category index and the
    /// position is the band's centre.
    public func position(_ value: Double) -> Double {
        let (lo, hi) = (domain.lowerBound, domain.upperBound)
        let t: Double
        switch kind {
        case .log:
            let v = log10(max(value, lo))
            t = (v - log10(lo)) / (log10(hi) - log10(lo))
        case .band(let c):
            t = c.isEmpty ? 0.5 : (value + 0.5) / Double(c.count)
        case .linear, .time:
            t = hi > lo ? (value - lo) / (hi - lo) : 0.5
        }
        return range.0 + t * (range.1 - range.0)
    }

    /// Resolves `axis` for data values `values` onto pixels `range`, with at most `maxTicks` ticks.
    public static func resolve(_ axis: Axis, values: [Double], range: (Double, Double), maxTicks: Int? = nil) -> ResolvedScale {
        let count = max(2, min(axis.tickCount, maxTicks ?? axis.tickCount))
        let finite = values.filter(\.isFinite)
        switch axis.kind {
        case .band(let categories):
            let ticks = categories.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }
            return ResolvedScale(kind: axis.kind, domain: 0...Double(max(categories.count, 1)), range: axis.reversed ? (range.1, range.0) : range,
                                 ticks: ticks, step: 1)
        case .log:
            let positive = finite.filter { $0 > 0 }
            var lo = axis.domain?.lowerBound ?? positive.min() ?? 1
            var hi = axis.domain?.upperBound ?? positive.max() ?? 10
            if lo <= 0 { lo = min(1, hi / 10) }
            lo = pow(10, floor(log10(lo) + 1e-9))
            hi = pow(10, ceil(log10(max(hi, lo * 10)) - 1e-9))
            let decades = Int((log10(hi) - log10(lo)).rounded())
            var ticks: [Tick] = []
            let stride = max(1, Int(ceil(Double(decades + 1) / Double(count))))
            for k in Swift.stride(from: 0, through: decades, by: stride) {
                let v = lo * pow(10, Double(k))
                ticks.append(Tick(value: v, label: NumberFormatting.format(v, style: axis.style, step: v, magnitude: v)))
            }
            let r = axis.reversed ? (range.1, range.0) : range
            return ResolvedScale(kind: .log, domain: lo...hi, range: r, ticks: ticks, step: 1)
        case .time:
            var lo = axis.domain?.lowerBound ?? finite.min() ?? 0
            var hi = axis.domain?.upperBound ?? finite.max() ?? lo
            if hi <= lo { lo -= 1; hi += 1 }
            let ticks = TimeTicks.ticks(from: Int(floor(lo)), through: Int(ceil(hi)), target: count)
            return ResolvedScale(kind: .time, domain: lo...hi, range: axis.reversed ? (range.1, range.0) : range, ticks: ticks, step: 1)
        case .linear:
            var lo = axis.domain?.lowerBound ?? finite.min() ?? 0
            var hi = axis.domain?.upperBound ?? finite.max() ?? 1
            if axis.domain == nil && axis.includesZero { lo = min(lo, 0); hi = max(hi, 0) }
            if hi <= lo {
                let pad = lo == 0 ? 1 : abs(lo) * 0.1
                (lo, hi) = (lo - pad, hi + pad)
                if axis.includesZero && lo < 0 && finite.allSatisfy({ $0 >= 0 }) { lo = 0 }
            }
            var step = NiceNumbers.step(span: hi - lo, count: count)
            if axis.integerTicks { step = max(1, step.rounded(.up)) }
            if axis.domain == nil {
                lo = floor(lo / step + 1e-9) * step
                hi = ceil(hi / step - 1e-9) * step
            }
            var ticks: [Tick] = []
            var k = ceil(lo / step - 1e-9)
            let magnitude = max(abs(lo), abs(hi))
            while k * step <= hi + step * 1e-9 {
                let v = abs(k * step) < step * 1e-9 ? 0 : k * step
                ticks.append(Tick(value: v, label: NumberFormatting.format(v, style: axis.style, step: step, magnitude: magnitude)))
                k += 1
            }
            return ResolvedScale(kind: .linear, domain: lo...hi, range: axis.reversed ? (range.1, range.0) : range, ticks: ticks, step: step)
        }
    }
}

/// Steps of 1, 2, 2.5 or 5 times a power of ten.
public enum NiceNumbers {
    /// The nice step that splits `span` into about `count` intervals.
    public static func step(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, count))
        let power = pow(10, floor(log10(raw)))
        let f = raw / power
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
        return nice * power
    }
}

/// Ticks for a time axis: whole days, weeks (Mondays), months, quarters or years.
enum TimeTicks {
    static func ticks(from lo: Int, through hi: Int, target: Int) -> [Tick] {
        let span = Double(hi - lo)
        // Candidate intervals in days (months and years approximated for the choice only).
        let candidates: [(days: Double, unit: Unit)] = [
            (1, .days(1)), (2, .days(2)), (7, .days(7)), (14, .days(14)),
            (30.4, .months(1)), (60.9, .months(2)), (91.3, .months(3)), (182.6, .months(6)),
            (365.2, .years(1)), (730.5, .years(2)), (1826, .years(5)), (3652, .years(10)), (9131, .years(25)), (18262, .years(50)),
        ]
        let unit = candidates.first { span / $0.days <= Double(target) }?.unit ?? .years(100)
        var days: [Int] = []
        switch unit {
        case .days(let n):
            var d = lo
            if n == 7 || n == 14 { while CivilDate.weekdayIndex(dayNumber: d) != 0 { d += 1 } }
            while d <= hi { days.append(d); d += n }
        case .months(let n):
            let first = CivilDate(dayNumber: lo)
            var m = first.day == 1 ? first.monthIndex : first.monthIndex + 1
            m = Int((Double(m) / Double(n)).rounded(.up)) * n
            while case let d = CivilDate.firstOfMonth(monthIndex: m).dayNumber, d <= hi { days.append(d); m += n }
        case .years(let n):
            let first = CivilDate(dayNumber: lo)
            var y = (first.month == 1 && first.day == 1) ? first.year : first.year + 1
            y = Int((Double(y) / Double(n)).rounded(.up)) * n
            while case let d = CivilDate(year: y, month: 1, day: 1).dayNumber, d <= hi { days.append(d); y += n }
        }
        var ticks: [Tick] = []
        var previousYear: Int?
        for d in days {
            let date = CivilDate(dayNumber: d)
            let label: String
            switch unit {
            case .days: label = "\(monthAbbreviations[date.month - 1]) \(date.day)" + (previousYear != date.year ? ", \(date.year)" : "")
            case .months: label = (previousYear != date.year) ? date.monthYear : monthAbbreviations[date.month - 1]
            case .years: label = String(date.year)
            }
            previousYear = date.year
            ticks.append(Tick(value: Double(d), label: label))
        }
        return ticks
    }

    enum Unit { case days(Int), months(Int), years(Int) }
}
