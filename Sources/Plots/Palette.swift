import Foundation

/// Colours that stay distinguishable with the common forms of colour blindness.
public enum Palette {
    /// Okabe & Ito's categorical palette (2008), ordered for contrast on white; yellow last.
    public static let categorical = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]

    /// The categorical colour for series `i` (cycles after eight).
    public static func color(_ i: Int) -> String { categorical[((i % categorical.count) + categorical.count) % categorical.count] }

    /// Neutral greys for axes, grid lines and secondary text.
    public static let axis = "#444444"
    public static let grid = "#E3E3E3"
    public static let mutedText = "#555555"

    /// Anchors of viridis (perceptually uniform, colour-blind safe), low to high.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]

    /// The sequential colour for `t` in 0...1 (clamped), interpolated along viridis.
    public static func sequential(_ t: Double) -> String {
        let x = min(1, max(0, t.isFinite ? t : 0)) * Double(viridis.count - 1)
        let i = min(viridis.count - 2, Int(x))
        let f = x - Double(i)
        let (a, b) = (viridis[i], viridis[i + 1])
        func mix(_ u: Double, _ v: Double) -> Int { Int((u + (v - u) * f).rounded()) }
        return hex(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// Black or white, whichever reads better on `t`'s sequential colour.
    public static func textOnSequential(_ t: Double) -> String { t > 0.55 ? "#000000" : "#FFFFFF" }

    static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return "#" + [r, g, b].map { String([digits[($0 >> 4) & 15], digits[$0 & 15]]) }.joined()
    }
}
