/// One regression tree as flat arrays (its saved form).
///
/// Internal node k sends a row left when its value of feature `feature[k]` is ≤
/// `threshold[k]`, or when the value is missing (NaN) and `missingLeft[k]` is true. A child
/// index c ≥ 0 is another internal node; c < 0 is the leaf ~c (that is −c − 1), whose output
/// is `leafValue[~c]`. A tree with no internal node is the single leaf 0.
public struct RegressionTree: Codable, Sendable, Equatable {
    public var feature: [Int] = []
    public var threshold: [Double] = []
    public var missingLeft: [Bool] = []
    public var left: [Int] = []
    public var right: [Int] = []
    public var leafValue: [Double] = [0]

    public init() {}

    public var leafCount: Int { leafValue.count }

    /// The leaf a row reaches; `value(f)` gives the row's value of feature f.
    @inline(__always)
    public func leaf(_ value: (Int) -> Double) -> Int {
        if feature.isEmpty { return 0 }
        var node = 0
        while true {
            let v = value(feature[node])
            let goLeft = v.isNaN ? missingLeft[node] : v <= threshold[node]
            let child = goLeft ? left[node] : right[node]
            if child < 0 { return ~child }
            node = child
        }
    }

    /// The tree's output for a row.
    @inline(__always)
    public func predict(_ value: (Int) -> Double) -> Double { leafValue[leaf(value)] }
}
