import Core
import GRDB
import Warehouse

/// Step 1, `journeys`: for each conversion of a range, the same user's sessions that happened
/// strictly before the conversion (date and time combined), in time order, optionally only
/// those within a lookback window. Writes `journey_conversions` (every conversion of the range,
/// also those with no session) and `journey_sessions`, replacing the range's rows in one
/// transaction.
public enum JourneyStep {
    /// What a run wrote.
    public struct Summary: Sendable, Equatable, Codable {
        public var range: String
        public var lookbackDays: Int?
        /// Conversions in the range (= with sessions + without).
        public var conversions: Int
        public var conversionsWithSessions: Int
        /// Conversions with no session before them (in the window): counted, kept in
        /// `journey_conversions` with `sessions = 0`, never attributed.
        public var conversionsWithoutSessions: Int
        /// Up to 20 of their ids, for the report.
        public var withoutSessionExamples: [String]
        /// Rows written to `journey_sessions`.
        public var journeySessions: Int
        /// Revenue of the conversions with sessions / without.
        public var attributableRevenue: Double
        public var unattributableRevenue: Double
    }

    /// Builds and writes the journeys of `range`.
    public static func run(_ database: AttributionDatabase, range: ConversionRange, lookbackDays: Int?) throws -> Summary {
        if let lookbackDays, lookbackDays <= 0 {
            throw AttributionError.nonPositiveLookback(days: lookbackDays)
        }
        return try database.queue.write { db in
            let conversions = try readConversions(db, range: range)
            let sessions = try SessionHistory.read(db, usersOf: range)
            let window = lookbackDays.map { Int64($0) * 86_400 }

            let inRange = range.condition("conv_date")
            try db.execute(sql: "DELETE FROM journey_sessions WHERE conv_id IN (SELECT conv_id FROM conversions WHERE \(inRange.sql))",
                           arguments: inRange.arguments)
            try db.execute(sql: "DELETE FROM journey_conversions WHERE conv_id IN (SELECT conv_id FROM conversions WHERE \(inRange.sql))",
                           arguments: inRange.arguments)
            let insertConversion = try db.makeStatement(sql: "INSERT INTO journey_conversions(conv_id, sessions, lookback_days) VALUES (?, ?, ?)")
            let insertSession = try db.makeStatement(sql: "INSERT INTO journey_sessions(conv_id, session_id, position) VALUES (?, ?, ?)")

            var summary = Summary(range: range.description, lookbackDays: lookbackDays, conversions: conversions.count,
                                  conversionsWithSessions: 0, conversionsWithoutSessions: 0, withoutSessionExamples: [],
                                  journeySessions: 0, attributableRevenue: 0, unattributableRevenue: 0)
            for c in conversions {
                let before = sessions.before(user: c.userID, seconds: c.seconds, window: window)
                try insertConversion.execute(arguments: [c.id, before.count, lookbackDays])
                for (position, s) in before.enumerated() {
                    try insertSession.execute(arguments: [c.id, sessions.sessionIDs[s], position + 1])
                }
                summary.journeySessions += before.count
                if before.isEmpty {
                    summary.conversionsWithoutSessions += 1
                    summary.unattributableRevenue += c.revenue
                    if summary.withoutSessionExamples.count < 20 { summary.withoutSessionExamples.append(c.id) }
                } else {
                    summary.conversionsWithSessions += 1
                    summary.attributableRevenue += c.revenue
                }
            }
            return summary
        }
    }

    struct Conversion {
        var id: String
        var userID: String
        var seconds: Int64
        var revenue: Double
    }

    /// The range's conversions, in time order.
    static func readConversions(_ db: Database, range: ConversionRange) throws -> [Conversion] {
        let inRange = range.condition("conv_date")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT conv_id, user_id, conv_date, conv_time, revenue FROM conversions WHERE \(inRange.sql)
            ORDER BY conv_date, conv_time, conv_id
            """, arguments: inRange.arguments)
        var result: [Conversion] = []
        while let row = try rows.next() {
            let id: String = row[0], date: String = row[2], time: String = row[3]
            guard let seconds = attributionSeconds(date: date, time: time) else {
                throw AttributionError.badTimestamp(table: "conversions", key: id, date: date, time: time)
            }
            result.append(Conversion(id: id, userID: row[1], seconds: seconds, revenue: row[4]))
        }
        return result
    }
}

/// The sessions of some users, grouped by user and sorted by time (then session id).
struct SessionHistory {
    var sessionIDs: [String] = []
    var seconds: [Int64] = []
    /// User id -> the range of their sessions in the arrays.
    var users: [String: Range<Int>] = [:]

    /// The sessions of every user with a conversion in `range`.
    static func read(_ db: Database, usersOf range: ConversionRange) throws -> SessionHistory {
        let inRange = range.condition("conv_date")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT user_id, session_id, event_date, event_time FROM session_sources
            WHERE user_id IN (SELECT user_id FROM conversions WHERE \(inRange.sql))
            ORDER BY user_id, event_date, event_time, session_id
            """, arguments: inRange.arguments)
        var history = SessionHistory()
        var currentUser: String? = nil, start = 0
        while let row = try rows.next() {
            let user: String = row[0], id: String = row[1], date: String = row[2], time: String = row[3]
            guard let s = attributionSeconds(date: date, time: time) else {
                throw AttributionError.badTimestamp(table: "session_sources", key: id, date: date, time: time)
            }
            if user != currentUser {
                if let currentUser { history.users[currentUser] = start..<history.sessionIDs.count }
                currentUser = user
                start = history.sessionIDs.count
            }
            history.sessionIDs.append(id)
            history.seconds.append(s)
        }
        if let currentUser { history.users[currentUser] = start..<history.sessionIDs.count }
        return history
    }

    /// Indices of `user`'s sessions strictly before `seconds` and, with a window, at or after
    /// `seconds - window`; in time order.
    func before(user: String, seconds limit: Int64, window: Int64?) -> Range<Int> {
        guard let all = users[user] else { return 0..<0 }
        let end = partition(all) { seconds[$0] >= limit }
        let start = window.map { w in partition(all.lowerBound..<end) { seconds[$0] >= limit - w } } ?? all.lowerBound
        return start..<end
    }

    /// The first index in `range` for which `isAfter` holds (`isAfter` is monotone).
    private func partition(_ range: Range<Int>, _ isAfter: (Int) -> Bool) -> Int {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if isAfter(mid) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
