import Foundation

/// A number with its gradient with respect to four parameters (forward-mode automatic
/// differentiation): arithmetic and the functions below carry exact derivatives along, so a
/// log-likelihood written with `Dual`s yields its analytic gradient.
struct Dual {
    var value: Double
    var gradient: SIMD4<Double>

    init(_ value: Double, _ gradient: SIMD4<Double> = .zero) {
        self.value = value
        self.gradient = gradient
    }

    static func + (a: Dual, b: Dual) -> Dual { Dual(a.value + b.value, a.gradient + b.gradient) }
    static func - (a: Dual, b: Dual) -> Dual { Dual(a.value - b.value, a.gradient - b.gradient) }
    static func * (a: Dual, b: Dual) -> Dual { Dual(a.value * b.value, a.gradient * b.value + b.gradient * a.value) }
    static func / (a: Dual, b: Dual) -> Dual {
        Dual(a.value / b.value, (a.gradient * b.value - b.gradient * a.value) / (b.value * b.value))
    }
    static func + (a: Dual, b: Double) -> Dual { Dual(a.value + b, a.gradient) }
    static func - (a: Dual, b: Double) -> Dual { Dual(a.value - b, a.gradient) }
    static func * (a: Dual, b: Double) -> Dual { Dual(a.value * b, a.gradient * b) }
    static func * (a: Double, b: Dual) -> Dual { b * a }
    static func / (a: Dual, b: Double) -> Dual { Dual(a.value / b, a.gradient / b) }
    static prefix func - (a: Dual) -> Dual { Dual(-a.value, -a.gradient) }

    func log() -> Dual { Dual(Foundation.log(value), gradient / value) }
    func exp() -> Dual { let e = Foundation.exp(value); return Dual(e, gradient * e) }
    /// ln Γ(x), derivative ψ(x).
    func logGamma() -> Dual { Dual(lgamma(value), gradient * SpecialFunctions.digamma(value)) }
    /// log(1 − e^x) for x < 0, accurate near 0 and for very negative x.
    func log1mExp() -> Dual {
        let v = value > -0.693 ? Foundation.log(-expm1(value)) : log1p(-Foundation.exp(value))
        // d/dx log(1 − e^x) = −e^x / (1 − e^x) = −1 / (e^−x − 1)
        return Dual(v, gradient * (-1 / expm1(-value)))
    }

    /// log(e^a + e^b) without overflow.
    static func logSumExp(_ a: Dual, _ b: Dual) -> Dual {
        let m = Swift.max(a.value, b.value)
        if m == -.infinity { return a }
        let ea = Foundation.exp(a.value - m), eb = Foundation.exp(b.value - m)
        let s = ea + eb
        return Dual(m + Foundation.log(s), (a.gradient * ea + b.gradient * eb) / s)
    }
}
