import GRDB
import Warehouse

/// Reads the journeys that step 1 wrote, for the engines.
public enum JourneyLoader {
    /// Channel names in `session_sources`, sorted: the same indices for every engine and range.
    public static func channels(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT channel_name FROM session_sources ORDER BY channel_name")
    }

    /// The converting journeys of `range` (conversions with at least one session) and the
    /// non-converting paths: per user, in time order, the sessions dated in the range that are
    /// in no journey. Throws when a conversion of the range has no journey row yet.
    public static func load(_ db: Database, range: ConversionRange) throws -> JourneySet {
        let inRange = range.condition("c.conv_date")
        let missing = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM conversions c WHERE \(inRange.sql)
            AND NOT EXISTS (SELECT 1 FROM journey_conversions j WHERE j.conv_id = c.conv_id)
            """, arguments: inRange.arguments) ?? 0
        if missing > 0 { throw AttributionError.journeysMissing(conversions: missing, range: range.description) }

        var set = JourneySet(channels: try channels(db))
        var channelIndex: [String: Int32] = [:]
        for (i, name) in set.channels.enumerated() { channelIndex[name] = Int32(i) }

        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.conv_id, c.conv_date, c.conv_time, c.revenue, s.session_id, s.channel_name, s.event_date, s.event_time,
                   s.holder_engagement, s.closer_engagement, s.impression_interaction
            FROM journey_sessions j JOIN conversions c ON c.conv_id = j.conv_id JOIN session_sources s ON s.session_id = j.session_id
            WHERE \(inRange.sql)
            ORDER BY c.conv_date, c.conv_time, c.conv_id, j.position
            """, arguments: inRange.arguments)
        var current: (id: String, seconds: Int64, revenue: Double)? = nil
        var touchpoints: [JourneySet.Touchpoint] = []
        func flush() {
            if let c = current, !touchpoints.isEmpty {
                set.append(conversionID: c.id, seconds: c.seconds, revenue: c.revenue, touchpoints: touchpoints)
            }
            touchpoints.removeAll(keepingCapacity: true)
        }
        while let row = try rows.next() {
            let id: String = row[0]
            if id != current?.id {
                flush()
                let date: String = row[1], time: String = row[2]
                guard let seconds = attributionSeconds(date: date, time: time) else {
                    throw AttributionError.badTimestamp(table: "conversions", key: id, date: date, time: time)
                }
                current = (id, seconds, row[3])
            }
            let session: String = row[4], channel: String = row[5], date: String = row[6], time: String = row[7]
            guard let seconds = attributionSeconds(date: date, time: time) else {
                throw AttributionError.badTimestamp(table: "session_sources", key: session, date: date, time: time)
            }
            touchpoints.append(.init(sessionID: session, channel: channelIndex[channel]!, seconds: seconds,
                                     holderEngagement: row[8] as Int64 != 0, closerEngagement: row[9] as Int64 != 0,
                                     impressionInteraction: row[10] as Int64 != 0))
        }
        flush()
        set.nonConverting = try nonConvertingPaths(db, range: range, channelIndex: channelIndex)
        return set
    }

    /// Per user, the channels of the sessions dated in the range that belong to no journey.
    static func nonConvertingPaths(_ db: Database, range: ConversionRange, channelIndex: [String: Int32]) throws -> [[Int32]] {
        let inRange = range.condition("s.event_date")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT s.user_id, s.channel_name FROM session_sources s
            WHERE \(inRange.sql) AND NOT EXISTS (SELECT 1 FROM journey_sessions j WHERE j.session_id = s.session_id)
            ORDER BY s.user_id, s.event_date, s.event_time, s.session_id
            """, arguments: inRange.arguments)
        var paths: [[Int32]] = []
        var user: String? = nil
        while let row = try rows.next() {
            let u: String = row[0]
            if u != user { paths.append([]); user = u }
            paths[paths.count - 1].append(channelIndex[row[1] as String]!)
        }
        return paths
    }
}
