import Foundation
import Warehouse

/// The JSON of an IHC-style attribution API (`POST {"customer_journeys": [...]}`).
///
/// A request lists sessions; the sessions of one conversion form its journey. The answer's
/// `value` holds one entry per attributed session with its `ihc` share (and the phase shares
/// `initializer`, `holder`, `closer` when the API gives them); with status 206 some journeys
/// failed and `partialFailureErrors` says which.
public enum IHCWire {
    public struct Request: Codable, Sendable {
        public var customer_journeys: [Session]
    }

    public struct Session: Codable, Sendable, Equatable {
        public var conversion_id: String
        public var session_id: String
        /// `YYYY-MM-DD HH:MM:SS`, UTC.
        public var timestamp: String
        public var channel_label: String
        public var holder_engagement: Int
        public var closer_engagement: Int
        /// 1 for the journey's last session (the one that converted), 0 before.
        public var conversion: Int
        public var impression_interaction: Int

        public init(conversion_id: String, session_id: String, timestamp: String, channel_label: String, holder_engagement: Int,
                    closer_engagement: Int, conversion: Int, impression_interaction: Int) {
            self.conversion_id = conversion_id; self.session_id = session_id; self.timestamp = timestamp
            self.channel_label = channel_label; self.holder_engagement = holder_engagement
            self.closer_engagement = closer_engagement; self.conversion = conversion
            self.impression_interaction = impression_interaction
        }
    }

    public struct Response: Codable, Sendable {
        public var statusCode: Int?
        public var value: [Attributed]?
        public var partialFailureErrors: [PartialFailure]?

        public init(statusCode: Int?, value: [Attributed]?, partialFailureErrors: [PartialFailure]?) {
            self.statusCode = statusCode; self.value = value; self.partialFailureErrors = partialFailureErrors
        }
    }

    public struct Attributed: Codable, Sendable, Equatable {
        public var conversion_id: String
        public var session_id: String
        public var ihc: Double
        public var initializer: Double?
        public var holder: Double?
        public var closer: Double?

        public init(conversion_id: String, session_id: String, ihc: Double, initializer: Double? = nil, holder: Double? = nil, closer: Double? = nil) {
            self.conversion_id = conversion_id; self.session_id = session_id; self.ihc = ihc
            self.initializer = initializer; self.holder = holder; self.closer = closer
        }
    }

    /// One failed journey of a 206 answer.
    public struct PartialFailure: Codable, Sendable, Equatable {
        public var conversion_id: String?
        public var message: String?

        public init(conversion_id: String?, message: String?) {
            self.conversion_id = conversion_id; self.message = message
        }
    }

    /// The sessions of journey `j`, as the API wants them.
    public static func sessions(of j: Int, in journeys: JourneySet) -> [Session] {
        let range = journeys.touchpoints(j)
        return range.map { k in
            Session(conversion_id: journeys.conversionIDs[j], session_id: journeys.sessionIDs[k],
                    timestamp: sqlTimestamp(seconds: journeys.sessionSeconds[k]), channel_label: journeys.channels[Int(journeys.channel[k])],
                    holder_engagement: journeys.holderEngagement[k] ? 1 : 0, closer_engagement: journeys.closerEngagement[k] ? 1 : 0,
                    conversion: k == range.upperBound - 1 ? 1 : 0, impression_interaction: journeys.impressionInteraction[k] ? 1 : 0)
        }
    }
}
