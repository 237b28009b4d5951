/// A named set of (x, y) points. On a band axis, x (or y) is the category's index; on a
/// time axis it is a day number.
public struct Series: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// A colour; by default the palette colour of the series' position in the chart.
    public var color: String?
    /// One tooltip per point; by default "name: x, y" in the axes' formats.
    public var tooltips: [String]?

    public init(_ name: String, x: [Double], y: [Double], color: String? = nil, tooltips: [String]? = nil) {
        precondition(x.count == y.count, "a series needs as many x as y values")
        self.name = name; self.x = x; self.y = y; self.color = color; self.tooltips = tooltips
    }
}

/// One series of bars: a value per category of the band axis.
public struct BarSeries: Sendable, Equatable {
    public var name: String
    public var values: [Double]
    public var color: String?

    public init(_ name: String, values: [Double], color: String? = nil) {
        self.name = name; self.values = values; self.color = color
    }
}

/// How several bar series share a category.
public enum BarLayout: Sendable, Equatable {
    /// Side by side.
    case grouped
    /// On top of each other (values must be non-negative).
    case stacked
}

/// One histogram bin: [lower, upper) and how many values fell in it.
public struct HistogramBin: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var count: Double

    public init(lower: Double, upper: Double, count: Double) {
        self.lower = lower; self.upper = upper; self.count = count
    }

    /// Equal-width bins over `values` from `lower` to `upper`; values outside go to the
    /// first or last bin (so nothing is lost), and the caller can say so in a caption.
    public static func bins(_ values: [Double], lower: Double, upper: Double, count: Int) -> [HistogramBin] {
        let n = max(1, count)
        let width = upper > lower ? (upper - lower) / Double(n) : 1
        var counts = [Double](repeating: 0, count: n)
        for v in values where v.isFinite {
            let i = Int(((v - lower) / width).rounded(.down))
            counts[min(n - 1, max(0, i))] += 1
        }
        return (0..<n).map { HistogramBin(lower: lower + Double($0) * width, upper: lower + Double($0 + 1) * width, count: counts[$0]) }
    }
}

/// A straight reference line across the plot at a value of one axis, with a label.
public struct ReferenceLine: Sendable, Equatable {
    public enum Orientation: Sendable, Equatable { case horizontal, vertical }
    public var orientation: Orientation
    public var value: Double
    public var label: String
    public var color: String
    public var dashed: Bool

    public init(_ orientation: Orientation, at value: Double, label: String = "", color: String = "#666666", dashed: Bool = true) {
        self.orientation = orientation; self.value = value; self.label = label; self.color = color; self.dashed = dashed
    }
}

/// A text note at a data position (a dot marks the point).
public struct Annotation: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var text: String

    public init(x: Double, y: Double, text: String) {
        self.x = x; self.y = y; self.text = text
    }
}

/// Something drawn in the plot area.
public enum Mark: Sendable, Equatable {
    /// A polyline; point markers (with tooltips) are drawn when `points` is true, or by
    /// default for 60 points or fewer. A line through a y that is not finite breaks.
    case line(Series, points: Bool? = nil, dashed: Bool = false)
    /// The area between the series and zero (or the axis' lower end).
    case area(Series, opacity: Double = 0.25)
    /// Dots with one tooltip each.
    case scatter(Series, radius: Double = 3)
    /// Bars on the band axis: vertical when x is the band axis, horizontal when y is.
    case bars([BarSeries], layout: BarLayout = .grouped, valueLabels: Bool = false, style: NumberStyle = .plain)
    /// Adjacent bars over a linear x axis.
    case histogram(String, [HistogramBin], color: String? = nil)
    case rule(ReferenceLine)
    case annotation(Annotation)
}
