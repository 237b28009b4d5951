import Foundation

/// All credit to the journey's first session.
public struct FirstTouchEngine: PerJourneyEngine {
    public let name = "first-touch"
    public init() {}
    public func fill(_ weights: inout [Double], journey j: Int, of journeys: JourneySet) {
        weights[journeys.offsets[j]] = 1
    }
}

/// All credit to the last session before the conversion.
public struct LastTouchEngine: PerJourneyEngine {
    public let name = "last-touch"
    public init() {}
    public func fill(_ weights: inout [Double], journey j: Int, of journeys: JourneySet) {
        weights[journeys.offsets[j + 1] - 1] = 1
    }
}

/// Equal credit to every session.
public struct LinearEngine: PerJourneyEngine {
    public let name = "linear"
    public init() {}
    public func fill(_ weights: inout [Double], journey j: Int, of journeys: JourneySet) {
        let range = journeys.touchpoints(j)
        for k in range { weights[k] = 1 / Double(range.count) }
    }
}

/// Credit halves every `halfLifeDays` before the conversion: a session `d` days before it
/// weighs `2^(-d / halfLife)`, normalised over the journey.
public struct TimeDecayEngine: PerJourneyEngine {
    public let halfLifeDays: Double
    public var name: String { "time-decay" }

    public init(halfLifeDays: Double = 7) {
        precondition(halfLifeDays > 0 && halfLifeDays.isFinite, "the half-life is a positive number of days")
        self.halfLifeDays = halfLifeDays
    }

    public func fill(_ weights: inout [Double], journey j: Int, of journeys: JourneySet) {
        let range = journeys.touchpoints(j)
        // Measured from the latest session rather than the conversion: the normalised weights are
        // the same, and a long journey cannot underflow to all zeros.
        let latest = journeys.sessionSeconds[range.upperBound - 1]
        let halfLifeSeconds = halfLifeDays * 86_400
        var total = 0.0
        for k in range {
            let w = exp2(-Double(latest - journeys.sessionSeconds[k]) / halfLifeSeconds)
            weights[k] = w
            total += w
        }
        for k in range { weights[k] /= total }
    }
}

/// U-shaped: 40% to the first session, 40% to the last, 20% shared by the ones between.
/// One session takes everything; two share 50/50 (there is no middle to give the 20% to).
public struct PositionBasedEngine: PerJourneyEngine {
    public let first: Double
    public let last: Double
    public var name: String { "position-based" }

    public init(first: Double = 0.4, last: Double = 0.4) {
        precondition(first >= 0 && last >= 0 && first + last <= 1, "the end shares are non-negative and sum to at most 1")
        self.first = first
        self.last = last
    }

    public func fill(_ weights: inout [Double], journey j: Int, of journeys: JourneySet) {
        let range = journeys.touchpoints(j)
        switch range.count {
        case 1:
            weights[range.lowerBound] = 1
        case 2:
            weights[range.lowerBound] = 0.5
            weights[range.lowerBound + 1] = 0.5
        default:
            let middle = (1 - first - last) / Double(range.count - 2)
            for k in range { weights[k] = middle }
            weights[range.lowerBound] = first
            weights[range.upperBound - 1] = last
        }
    }
}
