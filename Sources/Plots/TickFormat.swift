import Core
import Foundation

/// How tick labels, tooltips and value labels print numbers.
public enum NumberStyle: Sendable, Equatable {
    /// Plain numbers with thousands separators ("12,345", "0.25").
    case plain
    /// SI suffixes for large values ("12k", "1.5M").
    case si
    /// Fractions shown as percentages (0.47 -> "47%").
    case percent
    /// Money with thousands separators ("$12,345").
    case currency(symbol: String)
}

/// Formats numbers for people: thousands separators, SI suffixes, percentages.
public enum NumberFormatting {
    /// `value` with the decimals that `step` (the distance between neighbouring ticks) needs.
    /// `value` with the decimals that `step` (the distance between neighbouring ticks) needs.
    /// With `.si`, `magnitude` (the largest value on the axis) picks one suffix for all ticks,
    /// so an axis reads "0, 5k, 10k" rather than "0, 5,000, 10k".
    public static func format(_ value: Double, style: NumberStyle = .plain, step: Double? = nil, magnitude: Double? = nil) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "-∞") }
        switch style {
        case .plain:
            return grouped(value, decimals: decimals(for: step, value: value))
        case .currency(let symbol):
            let d = (step ?? 1) >= 1 && (abs(value) >= 100 || step != nil) ? 0 : 2
            return (value < 0 ? "-" : "") + symbol + grouped(abs(value), decimals: d)
        case .percent:
            let pct = value * 100
            // Without a step: "47%", "4.7%", "0.47%".
            let d = step.map { decimals(for: $0 * 100, value: pct) } ?? (abs(pct) >= 100 || pct == pct.rounded() ? 0 : abs(pct) >= 1 ? 1 : 2)
            return grouped(pct, decimals: d) + "%"
        case .si:
            let a = magnitude ?? abs(value)
            guard a >= 1e4 else { return grouped(value, decimals: decimals(for: step, value: value)) }
            let units: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
            let (scale, suffix) = units.first { a >= $0.0 } ?? (1e3, "k")
            let d = min(2, decimals(for: step.map { $0 / scale }, value: value / scale))
            return value == 0 ? "0" : grouped(value / scale, decimals: d) + suffix
        }
    }

    /// Decimals needed to tell apart ticks `step` apart (or to show `value` with about three
    /// significant digits when there is no step).
    static func decimals(for step: Double?, value: Double) -> Int {
        if let step, step > 0, step.isFinite {
            let d = -Int(floor(log10(step) + 1e-9))
            let needed = max(0, d)
            // A step like 0.25 needs two decimals, not one.
            let scaled = step * pow(10, Double(needed))
            return min(6, abs(scaled - scaled.rounded()) > 1e-6 ? needed + 1 : needed)
        }
        let a = abs(value)
        if a == 0 || a >= 100 || value == value.rounded() { return 0 }
        if a >= 10 { return 1 }
        if a >= 1 { return 2 }
        return min(6, 2 - Int(floor(log10(a))))
    }

    /// Fixed decimals with a comma between thousands ("1,234,567.8").
    public static func grouped(_ value: Double, decimals: Int) -> String {
        let factor = pow(10, Double(decimals))
        var rounded = (abs(value) * factor).rounded() / factor
        if rounded == 0 { rounded = 0 }
        let negative = value < 0 && rounded != 0
        let whole = floor(rounded)
        var digits = String(format: "%.0f", whole)
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        var out = (negative ? "-" : "") + groups.joined(separator: ",")
        if decimals > 0 {
            let frac = String(format: "%.\(decimals)f", rounded - whole)
            out += frac.dropFirst(1)  // ".25" from "0.25"
        }
        return out
    }
}

/// Short English month names (locale-independent, so output is the same everywhere).
public let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
/// Short English weekday names, Monday first (ISO order).
public let weekdayAbbreviations = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

extension CivilDate {
    /// ISO day of week counted from 0: 0 = Monday ... 6 = Sunday (an index into
    /// ``weekdayAbbreviations``).
    public static func weekdayIndex(dayNumber: Int) -> Int { weekday(dayNumber: dayNumber) - 1 }

    /// "Mar 2019".
    public var monthYear: String { "\(monthAbbreviations[month - 1]) \(year)" }
}
