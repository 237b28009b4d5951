/// Our initializer / holder / closer phase model (documented in docs/attribution.md).
///
/// A journey has three phases, each with a budget of the conversion's credit (by default a
/// third each): the initializer phase (what started the journey), the holder phase (what kept
/// the customer engaged) and the closer phase (what brought them back to buy). Each session
/// has an affinity to each phase, from its relative position `p` in the journey (0 = first,
/// 1 = last) and its flags:
///
/// - strength `b` = 1, or `impressionWeight` (default 0.5) when the session is an impression
///   interaction (a view, not a visit): it counts less in every phase;
/// - initializer: `b (1 - p)^2`;
/// - holder: `b (0.1 + 4 p (1 - p)) (1 + holder_engagement)`;
/// - closer: `b p^2 (1 + closer_engagement)`.
///
/// A phase's budget is split among the sessions in proportion to their affinity to it; a
/// session's weight is the sum over the phases. A journey of one session takes everything; in a
/// journey of two the first session initializes, the last closes, and they share the holder
/// budget by engagement. The weights sum to 1 by construction.
public struct PhaseEngine: PerJourneyEngine {
    public let initializerShare: Double
    public let holderShare: Double
    public let closerShare: Double
    public let impressionWeight: Double
    public var name: String { "phase" }

    public init(initializer: Double = 1.0 / 3, holder: Double = 1.0 / 3, closer: Double = 1.0 / 3, impressionWeight: Double = 0.5) {
        let total = initializer + holder + closer
        precondition(initializer >= 0 && holder >= 0 && closer >= 0 && total > 0, "phase shares are non-negative, not all zero")
        precondition(impressionWeight > 0 && impressionWeight <= 1, "the impression weight is in (0, 1]")
        initializerShare = initializer / total
        holderShare = holder / total
        closerShare = closer / total
        self.impressionWeight = impressionWeight
    }

    public func fill(_ weights: inout [Double], journey j: Int, of journeys: JourneySet) {
        let start = journeys.offsets[j]
        for (offset, p) in phaseWeights(journey: j, of: journeys).enumerated() {
            weights[start + offset] = p.initializer + p.holder + p.closer
        }
    }

    enum Phase { case initializer, holder, closer }

    /// Session `k`'s affinity to `phase` within its journey `range`.
    func affinity(_ phase: Phase, _ k: Int, of journeys: JourneySet, in range: Range<Int>) -> Double {
        let p = Double(k - range.lowerBound) / Double(range.count - 1)
        let strength = journeys.impressionInteraction[k] ? impressionWeight : 1
        switch phase {
        case .initializer: return strength * (1 - p) * (1 - p)
        case .holder: return strength * (0.1 + 4 * p * (1 - p)) * (journeys.holderEngagement[k] ? 2 : 1)
        case .closer: return strength * p * p * (journeys.closerEngagement[k] ? 2 : 1)
        }
    }

    /// The phase shares of journey `j`'s sessions: (initializer, holder, closer) per session,
    /// summing to its weight (what the IHC-style API returns beside `ihc`).
    public func phaseWeights(journey j: Int, of journeys: JourneySet) -> [(initializer: Double, holder: Double, closer: Double)] {
        let range = journeys.touchpoints(j)
        guard range.count > 1 else { return [(initializerShare, holderShare, closerShare)] }
        func split(_ phase: Phase, _ share: Double) -> [Double] {
            let a = range.map { affinity(phase, $0, of: journeys, in: range) }
            let total = a.reduce(0, +)
            return a.map { share * (total > 0 ? $0 / total : 1 / Double(range.count)) }
        }
        let i = split(.initializer, initializerShare), h = split(.holder, holderShare), c = split(.closer, closerShare)
        return (0..<range.count).map { (i[$0], h[$0], c[$0]) }
    }
}
