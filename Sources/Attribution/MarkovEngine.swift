/// Markov-chain attribution by the removal effect (Anderl et al. 2016), of order 1 or higher.
///
/// Every path (converting journeys and non-converting paths) is a walk
/// `start -> state_1 -> ... -> state_n -> conversion | null`, where a state of order `k` is the
/// last `k` channels seen (fewer at the start of a path). Transition probabilities are the
/// observed frequencies. `P` is the probability of reaching `conversion` from `start`.
/// Removing channel `c` sends every transition into a state that contains `c` to `null`;
/// its removal effect is `1 - P_without_c / P`.
///
/// Each conversion's credit goes to the channels of its journey in proportion to their removal
/// effects, and a channel's share is split equally among its sessions in the journey. (The
/// usual channel totals `conversions x RE_c / sum RE` differ: they also credit channels a
/// journey never touched.)
public struct MarkovEngine: AttributionEngine {
    public let order: Int
    public var name: String { order == 1 ? "markov" : "markov-\(order)" }

    public init(order: Int = 1) {
        precondition((1...4).contains(order), "the Markov order is 1 to 4")
        self.order = order
    }

    public func attribute(_ journeys: JourneySet) async throws -> EngineResult {
        let effects = removalEffects(journeys)
        var weights = [Double](repeating: 0, count: journeys.touchpointCount)
        for j in 0..<journeys.count {
            spreadChannelShares(&weights, journey: j, of: journeys) { effects[Int($0)] }
        }
        return EngineResult(weights: weights)
    }

    /// The removal effect of every channel (index = channel), 0 for channels never seen.
    public func removalEffects(_ journeys: JourneySet) -> [Double] {
        let chain = TransitionChain(order: order, journeys: journeys)
        let base = chain.conversionProbability(removing: nil)
        guard base > 0 else { return [Double](repeating: 0, count: journeys.channels.count) }
        return (0..<journeys.channels.count).map { c in
            max(0, 1 - chain.conversionProbability(removing: Int32(c)) / base)
        }
    }
}

/// The observed transitions of an order-`k` chain, sparse.
struct TransitionChain {
    /// State 0 is `start`; the others are channel tuples.
    var states: [[Int32]] = [[]]
    var index: [[Int32]: Int] = [[]: 0]
    /// Per state: successor state (or `conversion`/`null`) and count.
    var successors: [[(to: Int, count: Double)]] = [[]]
    static let conversion = -1, null = -2

    init(order: Int, journeys: JourneySet) {
        var counts: [[Int: Double]] = [[:]]
        func state(_ tuple: ArraySlice<Int32>) -> Int {
            let key = Array(tuple)
            if let i = index[key] { return i }
            states.append(key)
            counts.append([:])
            index[key] = states.count - 1
            return states.count - 1
        }
        func walk(_ path: [Int32], converted: Bool) {
            guard !path.isEmpty else { return }
            var from = 0
            for i in path.indices {
                let to = state(path[max(0, i - order + 1)...i])
                counts[from][to, default: 0] += 1
                from = to
            }
            counts[from][converted ? Self.conversion : Self.null, default: 0] += 1
        }
        for j in 0..<journeys.count { walk(journeys.path(j), converted: true) }
        for path in journeys.nonConverting { walk(path, converted: false) }
        successors = counts.map { row in
            let sorted = row.sorted { $0.key < $1.key }
            let total = sorted.reduce(0) { $0 + $1.value }
            return sorted.map { ($0.key, $0.value / total) }
        }
    }

    /// P(reach `conversion` from `start`), with every state containing `removed` made a dead end.
    /// Gauss-Seidel on p(s) = sum P(s, t) p(t) + P(s, conversion); it converges because every
    /// state reaches an absorbing state.
    func conversionProbability(removing removed: Int32?) -> Double {
        let blocked = states.map { state in removed.map { state.contains($0) } ?? false }
        var p = [Double](repeating: 0, count: states.count)
        for _ in 0..<100_000 {
            var change = 0.0
            for s in states.indices where !blocked[s] {
                var v = 0.0
                for (to, probability) in successors[s] {
                    if to == Self.conversion { v += probability } else if to >= 0, !blocked[to] { v += probability * p[to] }
                }
                change = max(change, abs(v - p[s]))
                p[s] = v
            }
            if change < 1e-15 { break }
        }
        return p[0]
    }
}
