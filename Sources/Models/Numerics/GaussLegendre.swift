import Foundation

/// Gauss-Legendre quadrature.
enum GaussLegendre {
    /// The 32 nodes and weights on [−1, 1].
    static let standard32 = nodes(32)
    /// The 64 nodes and weights on [−1, 1].
    static let standard64 = nodes(64)

    /// The n nodes and weights on [−1, 1], by Newton's method on the Legendre polynomial
    /// (none for n < 1; the one-point rule is the midpoint with weight 2).
    static func nodes(_ n: Int) -> [(Double, Double)] {
        guard n > 1 else { return n == 1 ? [(0, 2)] : [] }
        var result: [(Double, Double)] = []
        for i in 1...n {
            var x = cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for k in 2...n { let p2 = ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k); p0 = p1; p1 = p2 }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-15 { break }
            }
            result.append((x, 2 / ((1 - x * x) * derivative * derivative)))
        }
        return result
    }

    /// The nodes and weights mapped to [`lower`, `upper`] (reversed, with negative weights,
    /// when upper < lower, as the integral's sign requires; NaN ends give NaN nodes). Takes
    /// two numbers rather than a range, which would trap on ends that come from data.
    static func nodes32(from lower: Double, to upper: Double) -> [(Double, Double)] {
        let half = (upper - lower) / 2, mid = (upper + lower) / 2
        return standard32.map { (mid + half * $0.0, half * $0.1) }
    }
}
