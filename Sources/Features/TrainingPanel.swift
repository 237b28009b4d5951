import Core

/// Training rows from several origins, as the backtest protocol of docs/evaluation.md builds
/// them: for each origin o (a month start), one row per customer with an event before o,
/// features as of o, target = events in [o, o + 1 month).
///
/// Rows are stacked origin by origin, in the order of `origins`.
public struct TrainingPanel: Sendable {
    public let names: [String]
    public let origins: [Int]
    /// Index into `origins` of each row.
    public let origin: [Int32]
    public let customers: [Int32]
    /// `columns[f][row]`.
    public let columns: [[Double]]
    public let target: [Double]

    public var rowCount: Int { target.count }

    /// Builds the panel from `events` for the given origins (day numbers of month starts).
    public init(events: EventLog, origins: [Int]) {
        var names = FeatureSet.names(withProducts: events.hasProducts)
        var columns = [[Double]](repeating: [], count: names.count)
        var origin: [Int32] = [], customers: [Int32] = [], target: [Double] = []
        for (k, o) in origins.enumerated() {
            let m = events.features(asOf: o)
            names = m.names
            for f in columns.indices { columns[f].append(contentsOf: m.columns[f]) }
            origin.append(contentsOf: repeatElement(Int32(k), count: m.rowCount))
            customers.append(contentsOf: m.customers)
            target.append(contentsOf: m.nextMonthEvents)
        }
        self.init(names: names, origins: origins, origin: origin, customers: customers, columns: columns, target: target)
    }

    /// A panel from its parts, as read from a file: `origins` ascending, rows stacked origin by
    /// origin (`origin` non-decreasing), every column as long as `target`.
    init(names: [String], origins: [Int], origin: [Int32], customers: [Int32], columns: [[Double]], target: [Double]) {
        self.names = names
        self.origins = origins
        self.origin = origin
        self.customers = customers
        self.columns = columns
        self.target = target
    }

    /// The panel of the first `count` origins only (a prefix of the rows, which are stacked
    /// origin by origin).
    public func prefix(origins count: Int) -> TrainingPanel {
        let k = max(0, min(count, origins.count))
        let rows = origin.firstIndex { Int($0) >= k } ?? rowCount
        return TrainingPanel(names: names, origins: Array(origins.prefix(k)), origin: Array(origin.prefix(rows)),
                             customers: Array(customers.prefix(rows)), columns: columns.map { Array($0.prefix(rows)) },
                             target: Array(target.prefix(rows)))
    }

    /// The rows of origin `k` as a feature matrix: the same matrix `EventLog.features(asOf:)`
    /// gives for that origin (the panel is stacked from those matrices), without computing it
    /// again.
    public func matrix(origin k: Int) -> FeatureMatrix {
        let lo = origin.firstIndex { Int($0) >= k } ?? rowCount
        let hi = origin.firstIndex { Int($0) > k } ?? rowCount
        return FeatureMatrix(names: names, cutoff: origins[k], customers: Array(customers[lo..<hi]),
                             columns: columns.map { Array($0[lo..<hi]) }, nextMonthEvents: Array(target[lo..<hi]))
    }

    /// The training origins for scoring the month that starts at `cutoff`: every month start
    /// from `first` whose target month ends on or before the cutoff (o ≤ cutoff − 1 month).
    public static func origins(from first: CivilDate, cutoff: CivilDate) -> [Int] {
        var result: [Int] = []
        var o = first.firstOfMonth()
        let last = cutoff.firstOfMonth(adding: -1)
        while o <= last {
            result.append(o.dayNumber)
            o = o.firstOfMonth(adding: 1)
        }
        return result
    }
}
