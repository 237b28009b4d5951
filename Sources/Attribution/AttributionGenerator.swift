import Core
import Foundation
import GRDB
import Warehouse

/// A realistic attribution database, deterministic for a seed.
///
/// Seven channels with different costs and funnel roles: display and social mostly start
/// journeys (display sessions are often impressions), email and organic search keep customers
/// engaged, paid search, affiliate and direct close. Each user browses from a random day of
/// the window; sessions come every few days; the chance of buying after a session grows with
/// the journey and depends on the channel; after a purchase some users come back for another
/// journey. Organic and direct sessions cost nothing (no `session_costs` row), some email and
/// affiliate sessions neither; about 3% of users also buy once with no session before (phone
/// or in-store orders), so their conversions cannot be attributed.
public struct AttributionGenerator: Sendable {
    public struct Channel: Sendable {
        public var name: String
        /// Chance of being a journey's first, middle and later session (relative weights).
        public var early: Double, middle: Double, late: Double
        /// Multiplies the chance of buying after a session on this channel.
        public var closing: Double
        /// Mean cost of a session, and the share of sessions with a cost row.
        public var cost: Double, costed: Double
        public var impression: Double, holder: Double
    }

    public static let channels: [Channel] = [
        Channel(name: "Paid Search", early: 1.0, middle: 1.2, late: 2.6, closing: 1.5, cost: 0.85, costed: 1, impression: 0.02, holder: 0.15),
        Channel(name: "Display", early: 2.2, middle: 1.0, late: 0.3, closing: 0.35, cost: 0.40, costed: 1, impression: 0.55, holder: 0.10),
        Channel(name: "Social", early: 2.0, middle: 1.2, late: 0.5, closing: 0.5, cost: 0.45, costed: 1, impression: 0.20, holder: 0.35),
        Channel(name: "Email", early: 0.3, middle: 1.8, late: 1.4, closing: 1.1, cost: 0.05, costed: 0.7, impression: 0.02, holder: 0.50),
        Channel(name: "Affiliate", early: 0.5, middle: 0.7, late: 1.3, closing: 1.3, cost: 1.10, costed: 0.6, impression: 0.05, holder: 0.10),
        Channel(name: "Organic Search", early: 1.6, middle: 1.4, late: 1.0, closing: 0.9, cost: 0, costed: 0, impression: 0.02, holder: 0.30),
        Channel(name: "Direct", early: 0.4, middle: 1.0, late: 2.0, closing: 1.4, cost: 0, costed: 0, impression: 0, holder: 0.20),
    ]

    public var users: Int
    public var seed: UInt64
    public var start: CivilDate
    public var days: Int

    public init(users: Int, seed: UInt64, start: CivilDate = CivilDate(year: 2024, month: 1, day: 1), days: Int = 120) {
        precondition(users >= 0 && days > 0, "users >= 0, days > 0")
        self.users = users; self.seed = seed; self.start = start; self.days = days
    }

    /// What was written.
    public struct Summary: Sendable, Codable, Equatable {
        public var users: Int
        public var sessions: Int
        public var sessionsWithCost: Int
        public var conversions: Int
        public var conversionsWithoutSession: Int
        public var cost: Double
        public var revenue: Double
    }

    /// Fills the source tables of `database` (which must have none of their rows yet).
    public func write(to database: AttributionDatabase, progress: ((String) -> Void)? = nil) throws -> Summary {
        try database.queue.write { db in
            for table in AttributionDatabase.sourceTables {
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! > 0 {
                    throw AttributionError.tableNotEmpty(path: database.path, table: table)
                }
            }
            let session = try db.makeStatement(sql: "INSERT INTO session_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            let cost = try db.makeStatement(sql: "INSERT INTO session_costs VALUES (?, ?)")
            let conversion = try db.makeStatement(sql: "INSERT INTO conversions VALUES (?, ?, ?, ?, ?)")
            var summary = Summary(users: users, sessions: 0, sessionsWithCost: 0, conversions: 0, conversionsWithoutSession: 0, cost: 0, revenue: 0)
            for u in 0..<users {
                for event in events(user: u) {
                    switch event {
                    case .session(let s):
                        session.setUncheckedArguments([s.id, s.user, s.date, s.time, s.channel, s.holder, s.closer, s.impression])
                        try session.execute()
                        summary.sessions += 1
                        if let c = s.cost {
                            cost.setUncheckedArguments([s.id, c])
                            try cost.execute()
                            summary.sessionsWithCost += 1
                            summary.cost += c
                        }
                    case .conversion(let c):
                        conversion.setUncheckedArguments([c.id, c.user, c.date, c.time, c.revenue])
                        try conversion.execute()
                        summary.conversions += 1
                        summary.revenue += c.revenue
                        if c.withoutSession { summary.conversionsWithoutSession += 1 }
                    }
                }
                if let progress, (u + 1) % 100_000 == 0 { progress("\(u + 1) of \(users) users") }
            }
            return summary
        }
    }

    enum Event {
        struct Session { var id, user, date, time, channel: String; var holder, closer, impression: Int; var cost: Double? }
        struct Conversion { var id, user, date, time: String; var revenue: Double; var withoutSession: Bool }
        case session(Session)
        case conversion(Conversion)
    }

    /// One user's sessions and conversions, in time order.
    func events(user u: Int) -> [Event] {
        var random = RandomSource(seed: seed, stream: UInt64(u))
        let userID = String(format: "U%07d", u + 1)
        let windowStart = Int64(start.dayNumber) * 86_400, windowEnd = windowStart + Int64(days) * 86_400
        // How likely this user is to buy at all, and how often they come back.
        let propensity = random.gamma(shape: 1.5, scale: 0.02)
        let meanGapDays = 1 + random.exponential(rate: 1.0 / 3)
        var t = windowStart + Int64(random.uniform() * Double(days) * 0.9 * 86_400)
        var events: [Event] = []
        var sessions = 0, conversions = 0, step = 0

        if random.chance(0.03) {
            // A purchase with no session before it (phone or in-store), just before the first visit.
            let at = max(windowStart, t - Int64(1 + random.below(3 * 86_400)))
            conversions += 1
            events.append(.conversion(conversion(user: userID, number: conversions, at: at, random: &random, withoutSession: true)))
            t = at + Int64(600 + random.below(3 * 86_400))
        }
        while t < windowEnd {
            let stage = step == 0 ? 0 : (step < 3 ? 1 : 2)
            let weights = Self.channels.map { stage == 0 ? $0.early : stage == 1 ? $0.middle : $0.late }
            let c = random.pick(cumulative: cumulativeSums(weights))
            let channel = Self.channels[c]
            sessions += 1
            let buyChance = min(0.6, propensity * channel.closing * (1 + 0.35 * Double(step)))
            let buys = random.chance(buyChance)
            let holder = random.chance(min(0.9, channel.holder * (stage == 1 ? 1.5 : 1)))
            let closer = random.chance(buys ? 0.6 : 0.08)
            let impression = random.chance(channel.impression)
            let cost: Double? = channel.costed > 0 && random.chance(channel.costed)
                ? (channel.cost * random.gamma(shape: 4, scale: 0.25) * 100).rounded() / 100 : nil
            let (date, time) = Self.dateAndTime(t)
            events.append(.session(.init(id: String(format: "S%07d-%03d", u + 1, sessions), user: userID, date: date, time: time,
                                         channel: channel.name, holder: holder ? 1 : 0, closer: closer ? 1 : 0,
                                         impression: impression ? 1 : 0, cost: cost)))
            step += 1
            if buys {
                let at = t + Int64(60 + random.below(40 * 60))
                if at < windowEnd {
                    conversions += 1
                    events.append(.conversion(conversion(user: userID, number: conversions, at: at, random: &random, withoutSession: false)))
                }
                guard random.chance(0.35) else { break }
                step = 0
                t = at + Int64(random.exponential(rate: 1 / (meanGapDays * 4)) * 86_400) + 3600
            } else {
                guard random.chance(0.9) else { break }
                t += Int64(random.exponential(rate: 1 / meanGapDays) * 86_400) + 300
            }
        }
        return events
    }

    private func conversion(user: String, number: Int, at seconds: Int64, random: inout RandomSource, withoutSession: Bool) -> Event.Conversion {
        let (date, time) = Self.dateAndTime(seconds)
        let revenue = (exp(3.9 + 0.6 * random.normal()) * 100).rounded() / 100
        return Event.Conversion(id: "C" + user.dropFirst() + "-\(number)", user: user, date: date, time: time,
                                revenue: revenue, withoutSession: withoutSession)
    }

    static func dateAndTime(_ seconds: Int64) -> (String, String) {
        let text = sqlTimestamp(seconds: seconds)
        return (String(text.prefix(10)), String(text.suffix(8)))
    }
}
