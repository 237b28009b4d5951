import Core
import Foundation
@testable import Features
@testable import Ingestion

/// The shapes of event logs that used to break fits, each generated at random from a seed.
enum LogShape: String, CaseIterable, Sendable, CustomStringConvertible {
    /// A single customer with a few purchases.
    case oneCustomer
    /// Every customer bought exactly once (no repeat purchases).
    case everyoneBuysOnce
    /// One customer with 10,000 purchase days (about 30 years), a few light ones beside.
    case oneHeavyBuyer
    /// Every purchase of every customer on the same day.
    case sameDay
    /// A history of two weeks.
    case twoWeeks
    /// A history of twenty years.
    case twentyYears
    /// Timestamps at midnight: dates without times.
    case datesWithoutTimes
    /// Many customers whose last purchase is the day before the cutoff (some their only one).
    case lastPurchaseBeforeCutoff
    /// A calendar month without any purchase (sometimes the last one before the cutoff).
    case emptyMonth

    var description: String { rawValue }
}

/// A generated log and the cutoff (a month start) to fit and predict at.
struct GeneratedLog {
    var events: EventLog
    var cutoff: CivilDate
}

/// Builds the transaction rows of one generated log: customers, their purchase days, and the
/// rows' times (random within the day, or midnight for dates without times).
struct LogGenerator {
    var random: RandomSource
    var withTimes = true
    /// Rows on or after this day are drawn (the random stream goes on as before) but not kept:
    /// the same log cut at a day.
    var keepBefore = Int.max
    private var rows = UngroupedTransactions(customer: [], customerIDs: [], seconds: [])

    init(seed: UInt64) { random = RandomSource(seed: seed) }

    /// A new customer's number.
    mutating func customer() -> Int32 {
        rows.customerIDs.append("c\(rows.customerIDs.count)")
        return Int32(rows.customerIDs.count - 1)
    }

    /// One row of customer `c` on `day`.
    mutating func buy(_ c: Int32, day: Int) {
        let seconds = Int64(day) * 86_400 + (withTimes ? Int64(random.below(86_400)) : 0)
        let amount = Double(1 + random.below(200))
        guard day < keepBefore else { return }
        rows.customer.append(c)
        rows.seconds.append(seconds)
        rows.amount.append(amount)
        rows.quantity.append(1)
    }

    /// A customer of a BG/NBD-like shop over [first, end): a rate, a lifetime, exponential gaps
    /// (or, half the time, purchase days uniform over the span, the shape that broke BFGS).
    mutating func ordinaryCustomer(from first: Int, to end: Int) {
        let c = customer()
        if random.chance(0.5) {
            for _ in 0..<(1 + random.below(8)) { buy(c, day: first + random.below(max(1, end - first))) }
            return
        }
        let rate = random.gamma(shape: 0.8, scale: 1.0 / 25)  // purchases per day
        let death = Double(first) + random.exponential(rate: 1.0 / 300)
        var day = Double(first)
        buy(c, day: first)
        while true {
            day += random.exponential(rate: max(rate, 1e-4))
            guard day < Double(end), day < death else { break }
            buy(c, day: Int(day))
        }
    }

    /// The event log of the rows so far.
    func events() -> EventLog { EventLog(TransactionLog.grouping(rows).log) }

    /// The log with a cutoff after its last purchase: the next month start, or sometimes the
    /// start of the last purchase's month (so the scored month holds events), when that still
    /// leaves an event before it.
    mutating func finished() -> GeneratedLog {
        let events = events()
        let last = CivilDate(dayNumber: events.lastDay)
        var cutoff = last.firstOfMonth(adding: 1)
        if random.chance(0.4), last.firstOfMonth().dayNumber > events.firstDay { cutoff = last.firstOfMonth() }
        return GeneratedLog(events: events, cutoff: cutoff)
    }

    /// A log of `shape` from `seed`.
    static func log(_ shape: LogShape, seed: UInt64) -> GeneratedLog {
        var g = LogGenerator(seed: seed &* 7919 &+ UInt64(LogShape.allCases.firstIndex(of: shape) ?? 0))
        let base = CivilDate(year: 2010, month: 1, day: 1).dayNumber + g.random.below(1_500)
        switch shape {
        case .oneCustomer:
            let c = g.customer(), span = 60 + g.random.below(700)
            for _ in 0..<(1 + g.random.below(40)) { g.buy(c, day: base + g.random.below(span)) }
        case .everyoneBuysOnce:
            let span = 30 + g.random.below(700)
            for _ in 0..<(2 + g.random.below(80)) { let c = g.customer(); g.buy(c, day: base + g.random.below(span)) }
        case .oneHeavyBuyer:
            // Exactly 10,000 distinct days out of the span (selection sampling).
            let c = g.customer(), span = 10_000 + g.random.below(3_000)
            var needed = 10_000
            for d in 0..<span where needed > 0 {
                if g.random.below(span - d) < needed { g.buy(c, day: base + d); needed -= 1 }
            }
            for _ in 0..<(g.random.chance(0.3) ? 0 : 1 + g.random.below(12)) {
                g.ordinaryCustomer(from: base + span - 700 + g.random.below(600), to: base + span)
            }
        case .sameDay:
            for _ in 0..<(1 + g.random.below(60)) {
                let c = g.customer()
                for _ in 0..<(1 + g.random.below(4)) { g.buy(c, day: base) }
            }
            let events = g.events()
            return GeneratedLog(events: events, cutoff: CivilDate(dayNumber: base).firstOfMonth(adding: 1 + g.random.below(3)))
        case .twoWeeks:
            for _ in 0..<(3 + g.random.below(60)) {
                let c = g.customer()
                for _ in 0..<(1 + g.random.below(6)) { g.buy(c, day: base + g.random.below(14)) }
            }
        case .twentyYears:
            let span = 7_305
            for _ in 0..<(8 + g.random.below(25)) {
                g.ordinaryCustomer(from: base + g.random.below(span - 30), to: base + span)
            }
        case .datesWithoutTimes:
            g.withTimes = false
            let span = 300 + g.random.below(600)
            for _ in 0..<(10 + g.random.below(50)) { g.ordinaryCustomer(from: base + g.random.below(span - 20), to: base + span) }
        case .lastPurchaseBeforeCutoff:
            let cutoff = CivilDate(dayNumber: base + 200 + g.random.below(400)).firstOfMonth()
            let c = cutoff.dayNumber
            for _ in 0..<(5 + g.random.below(60)) {
                if g.random.chance(0.2) {
                    let only = g.customer()
                    g.buy(only, day: c - 1)  // the only purchase: T = 0
                    continue
                }
                let customer = g.customer(), first = base + g.random.below(c - 1 - base)
                g.buy(customer, day: first)
                for _ in 0..<g.random.below(6) { g.buy(customer, day: first + g.random.below(c - 1 - first)) }
                if g.random.chance(0.7) { g.buy(customer, day: c - 1) }
            }
            return GeneratedLog(events: g.events(), cutoff: cutoff)
        case .emptyMonth:
            let months = 6 + g.random.below(15)
            let first = CivilDate(dayNumber: base).firstOfMonth()
            let end = first.firstOfMonth(adding: months).dayNumber
            // The empty month: any full month of the data, the last one most often.
            let emptyIndex = g.random.chance(0.4) ? months - 1 : 1 + g.random.below(months - 1)
            let emptyStart = first.firstOfMonth(adding: emptyIndex).dayNumber, emptyEnd = first.firstOfMonth(adding: emptyIndex + 1).dayNumber
            var full = LogGenerator(seed: seed &+ 1_000_003)
            for _ in 0..<(10 + g.random.below(60)) { full.ordinaryCustomer(from: first.dayNumber + g.random.below(end - first.dayNumber - 1), to: end) }
            g.withTimes = full.withTimes
            for (k, c) in full.rows.customer.enumerated() {
                let day = Int(full.rows.seconds[k] / 86_400)
                guard day < emptyStart || day >= emptyEnd else { continue }
                while g.rows.customerIDs.count <= Int(c) { _ = g.customer() }
                g.buy(c, day: day)
            }
            if g.rows.customer.isEmpty { let c = g.customer(); g.buy(c, day: first.dayNumber) }
            let events = g.events()
            // Score the month after the data, so the empty month is a training (or weighting) month.
            return GeneratedLog(events: events, cutoff: CivilDate(dayNumber: end))
        }
        return g.finished()
    }
}
