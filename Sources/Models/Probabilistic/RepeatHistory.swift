import Features

/// One customer's purchase history in the BG/NBD form: `x` repeat purchases (events after
/// the first), `tx` the time of the last one and `T` the length of observation, both
/// measured from the first purchase.
public struct RepeatHistory: Hashable, Sendable {
    public var x: Double
    public var tx: Double
    public var T: Double

    public init(x: Double, tx: Double, T: Double) {
        self.x = x
        self.tx = tx
        self.T = T
    }
}

extension RepeatHistory {
    /// The histories of the customers with an event before `cutoff`, in days, as
    /// docs/evaluation.md defines them: x = events − 1, t_x = last − first, T = (cutoff − 1) − first.
    public static func histories(_ events: EventLog, cutoff: Int) -> [RepeatHistory] {
        var result: [RepeatHistory] = []
        for c in 0..<events.customerCount {
            let lo = events.offsets[c]
            let end = events.firstEvent(ofCustomer: c, onOrAfter: cutoff)
            guard end > lo else { continue }
            let first = Double(events.day[lo]), last = Double(events.day[end - 1])
            result.append(RepeatHistory(x: Double(end - lo - 1), tx: last - first, T: Double(cutoff - 1) - first))
        }
        return result
    }

    /// The feature columns that give each row's history: freq_total, tenure_days and
    /// recency_days.
    struct Columns {
        let frequency: [Double]
        let tenure: [Double]
        let recency: [Double]

        init(_ features: FeatureMatrix) throws {
            guard let n = features.column("freq_total"), let tenure = features.column("tenure_days"),
                  let recency = features.column("recency_days") else { throw ForecasterError.missingFeature("freq_total/tenure_days/recency_days") }
            (frequency, self.tenure, self.recency) = (n, tenure, recency)
        }

        /// The history of row `i` in days, as the backtest protocol defines it:
        /// x = freq_total − 1, t_x = tenure_days − recency_days, T = tenure_days − 1.
        subscript(row i: Int) -> RepeatHistory {
            RepeatHistory(x: frequency[i] - 1, tx: tenure[i] - recency[i], T: tenure[i] - 1)
        }
    }
}
