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

/// Splits `share(c)` of a journey among its sessions of channel `c`, equally (channel-level
/// models: Markov, Shapley). Channels with no positive share in the journey make the split
/// equal over sessions (the linear rule), so the weights always sum to 1. The channels are
/// visited in the journey's order, so the sums (and the weights) are the same bits every run.
func spreadChannelShares(_ weights: inout [Double], journey j: Int, of journeys: JourneySet, share: (Int32) -> Double) {
    let range = journeys.touchpoints(j)
    var channels: [Int32] = [], sessions: [Int] = []
    for k in range {
        let c = journeys.channel[k]
        if let i = channels.firstIndex(of: c) { sessions[i] += 1 } else { channels.append(c); sessions.append(1) }
    }
    let shares = channels.map { max(0, share($0)) }
    let total = shares.reduce(0, +)
    guard total > 0, total.isFinite else {
        for k in range { weights[k] = 1 / Double(range.count) }
        return
    }
    for k in range {
        let i = channels.firstIndex(of: journeys.channel[k])!
        weights[k] = shares[i] / total / Double(sessions[i])
    }
}
