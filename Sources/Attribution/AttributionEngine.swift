/// An attribution model: splits each conversion among the sessions of its journey.
public protocol AttributionEngine: Sendable {
    /// The name written to `attribution_runs` and shown in reports.
    var name: String { get }
    /// One weight per touchpoint of `journeys` (aligned with `journeys.sessionIDs`); each
    /// journey's weights are non-negative and sum to 1. A journey the engine could not
    /// attribute is listed in `failures` and its weights are ignored.
    func attribute(_ journeys: JourneySet) async throws -> EngineResult
}

/// Weights per touchpoint and the journeys that could not be attributed.
public struct EngineResult: Sendable {
    public var weights: [Double]
    /// Conversion id and reason, for journeys without weights (only the remote engine fails per journey).
    public var failures: [JourneyFailure]

    public init(weights: [Double], failures: [JourneyFailure] = []) {
        self.weights = weights
        self.failures = failures
    }
}

/// A conversion the engine could not attribute, and why.
public struct JourneyFailure: Sendable, Equatable, Codable {
    public var conversionID: String
    public var reason: String

    public init(conversionID: String, reason: String) {
        self.conversionID = conversionID
        self.reason = reason
    }
}

/// An engine whose weights depend only on each journey itself (no fitting over all journeys).
public protocol PerJourneyEngine: AttributionEngine {
    /// Writes journey `j`'s weights into `weights[journeys.touchpoints(j)]`.
    func fill(_ weights: inout [Double], journey j: Int, of journeys: JourneySet)
}

extension PerJourneyEngine {
    public func attribute(_ journeys: JourneySet) async throws -> EngineResult {
        EngineResult(weights: weightsNow(journeys))
    }

    /// The weights, synchronously.
    public func weightsNow(_ journeys: JourneySet) -> [Double] {
        var weights = [Double](repeating: 0, count: journeys.touchpointCount)
        for j in 0..<journeys.count { fill(&weights, journey: j, of: journeys) }
        return weights
    }
}

/// Splits `shares[c]` of a journey among its sessions of channel `c`, equally (channel-level
/// models: Markov, Shapley). Channels with no positive share in the journey make the split
/// equal over sessions (the linear rule), so the weights always sum to 1.
func spreadChannelShares(_ weights: inout [Double], journey j: Int, of journeys: JourneySet, share: (Int32) -> Double) {
    let range = journeys.touchpoints(j)
    var sessionsOf: [Int32: Int] = [:]
    for k in range { sessionsOf[journeys.channel[k], default: 0] += 1 }
    var total = 0.0
    for (c, _) in sessionsOf { total += max(0, share(c)) }
    guard total > 0, total.isFinite else {
        for k in range { weights[k] = 1 / Double(range.count) }
        return
    }
    for k in range {
        let c = journeys.channel[k]
        weights[k] = max(0, share(c)) / total / Double(sessionsOf[c]!)
    }
}
