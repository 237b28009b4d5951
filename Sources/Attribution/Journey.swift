/// The converting journeys of a range, stored flat: journey `j`'s sessions (touchpoints) are
/// `offsets[j]..<offsets[j + 1]`, in time order. Engines return one weight per touchpoint.
///
/// `nonConverting` holds the channel paths of sessions that lead to no conversion (used by
/// the Markov and Shapley engines, which compare converting with non-converting paths).
public struct JourneySet: Sendable, Equatable {
    /// Channel names; a touchpoint's `channel` indexes this list.
    public var channels: [String]

    public var conversionIDs: [String] = []
    /// Conversion time, seconds since 1970 UTC.
    public var conversionSeconds: [Int64] = []
    public var revenue: [Double] = []
    /// `count + 1` entries; journey `j`'s touchpoints are `offsets[j]..<offsets[j + 1]`.
    public var offsets: [Int] = [0]

    public var sessionIDs: [String] = []
    public var channel: [Int32] = []
    public var sessionSeconds: [Int64] = []
    public var holderEngagement: [Bool] = []
    public var closerEngagement: [Bool] = []
    public var impressionInteraction: [Bool] = []

    /// Channel paths (time order) of sessions that belong to no conversion's journey, one per user.
    public var nonConverting: [[Int32]] = []

    public init(channels: [String]) {
        self.channels = channels
    }

    /// Converting journeys.
    public var count: Int { conversionIDs.count }
    /// Touchpoints over all journeys.
    public var touchpointCount: Int { sessionIDs.count }

    /// Journey `j`'s touchpoint indices.
    public func touchpoints(_ j: Int) -> Range<Int> { offsets[j]..<offsets[j + 1] }

    /// One touchpoint, as read from `session_sources`.
    public struct Touchpoint: Sendable, Equatable {
        public var sessionID: String
        public var channel: Int32
        public var seconds: Int64
        public var holderEngagement: Bool
        public var closerEngagement: Bool
        public var impressionInteraction: Bool

        public init(sessionID: String, channel: Int32, seconds: Int64, holderEngagement: Bool = false,
                    closerEngagement: Bool = false, impressionInteraction: Bool = false) {
            self.sessionID = sessionID; self.channel = channel; self.seconds = seconds
            self.holderEngagement = holderEngagement; self.closerEngagement = closerEngagement
            self.impressionInteraction = impressionInteraction
        }
    }

    /// Appends a journey; `touchpoints` must be in time order and not empty.
    public mutating func append(conversionID: String, seconds: Int64, revenue: Double, touchpoints: [Touchpoint]) {
        precondition(!touchpoints.isEmpty, "a journey has at least one session")
        conversionIDs.append(conversionID)
        conversionSeconds.append(seconds)
        self.revenue.append(revenue)
        for t in touchpoints {
            sessionIDs.append(t.sessionID)
            channel.append(t.channel)
            sessionSeconds.append(t.seconds)
            holderEngagement.append(t.holderEngagement)
            closerEngagement.append(t.closerEngagement)
            impressionInteraction.append(t.impressionInteraction)
        }
        offsets.append(sessionIDs.count)
    }

    /// Journey `j`'s channel path.
    public func path(_ j: Int) -> [Int32] { Array(channel[touchpoints(j)]) }
}
