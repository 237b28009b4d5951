/// Shapley values over channels (Shao and Li 2011; Dalessandro et al. 2012).
///
/// The value of a coalition `S` of channels is the conversion rate of the paths whose channel
/// set is exactly `S`: converting journeys / (converting journeys + non-converting paths) with
/// that set, 0 for a set never seen. For a journey with channel set `J`, each channel's Shapley
/// value in the game restricted to the subsets of `J` is
/// `phi_c = sum over S in J \ {c} of |S|! (|J| - |S| - 1)! / |J|! * (v(S + c) - v(S))`.
/// The journey's credit is split among its channels in proportion to their positive values,
/// then equally among a channel's sessions. Without non-converting paths every seen set
/// converts at rate 1 and the split is equal among the journey's channels.
///
/// Channel sets are bit masks, so at most 30 channels; values are cached per journey set.
public struct ShapleyEngine: AttributionEngine {
    public let name = "shapley"
    public init() {}

    public func attribute(_ journeys: JourneySet) async throws -> EngineResult {
        precondition(journeys.channels.count <= 30, "the Shapley engine handles up to 30 channels")
        let value = coalitionValues(journeys)
        var cache: [UInt32: [Int32: Double]] = [:]
        var weights = [Double](repeating: 0, count: journeys.touchpointCount)
        for j in 0..<journeys.count {
            let set = mask(journeys.channel[journeys.touchpoints(j)])
            let phi: [Int32: Double]
            if let cached = cache[set] { phi = cached } else {
                phi = Self.shapleyValues(of: set) { value[$0] ?? 0 }
                cache[set] = phi
            }
            spreadChannelShares(&weights, journey: j, of: journeys) { phi[$0] ?? 0 }
        }
        return EngineResult(weights: weights)
    }

    /// v(S): the conversion rate of the paths with channel set exactly S.
    func coalitionValues(_ journeys: JourneySet) -> [UInt32: Double] {
        var converted: [UInt32: Double] = [:], seen: [UInt32: Double] = [:]
        for j in 0..<journeys.count {
            let m = mask(journeys.channel[journeys.touchpoints(j)])
            converted[m, default: 0] += 1
            seen[m, default: 0] += 1
        }
        for path in journeys.nonConverting where !path.isEmpty { seen[mask(path[...]), default: 0] += 1 }
        return seen.reduce(into: [:]) { values, entry in values[entry.key] = (converted[entry.key] ?? 0) / entry.value }
    }

    /// The Shapley value of each member of `grand` for the game `v` restricted to its subsets.
    public static func shapleyValues(of grand: UInt32, _ v: (UInt32) -> Double) -> [Int32: Double] {
        let members = (0..<32).filter { grand & (1 << $0) != 0 }
        let n = members.count
        var factorial = [1.0]
        for i in 1...max(1, n) { factorial.append(factorial[i - 1] * Double(i)) }
        var result: [Int32: Double] = [:]
        for c in members {
            let bit = UInt32(1) << c
            let others = grand & ~bit
            var phi = 0.0
            // Every subset S of the other members.
            var s = others
            while true {
                let size = s.nonzeroBitCount
                phi += factorial[size] * factorial[n - size - 1] / factorial[n] * (v(s | bit) - (s == 0 ? 0 : v(s)))
                if s == 0 { break }
                s = (s - 1) & others
            }
            result[Int32(c)] = phi
        }
        return result
    }

    private func mask(_ channels: ArraySlice<Int32>) -> UInt32 {
        channels.reduce(0) { $0 | (1 << UInt32($1)) }
    }
}
