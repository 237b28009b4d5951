import Core
import Foundation
/// What counts as a reject and what as a warning. Every rule is a setting.
///
/// Always rejected (a row cannot be used without it): a malformed record (unterminated
/// quote, text after a closing quote), a ragged row (field count differs from the header),
/// an empty mapped value, a value that does not parse (timestamp, number, invalid UTF-8),
/// and in multi-table layouts a duplicate key or a broken reference (orphan).
/// Configurable (defaults below): negative and zero quantities and amounts, exact duplicate
/// rows, timestamps after `asOfDay`. Only reported: timestamps far outside the data's range,
/// and customers with implausible activity.
public struct QualityRules: Sendable {
    public var negativeQuantity: ValueRule = .reject
    public var zeroQuantity: ValueRule = .warn
    public var negativeAmount: ValueRule = .reject
    /// CDNOW has 80 zero-dollar rows that are real transactions, so zero is a warning.
    public var zeroAmount: ValueRule = .warn
    /// `warn` keeps exact duplicate rows (same customer, time, product, quantity, amount) and
    /// counts them; `reject` keeps the first and rejects the others.
    public var duplicateRows: ValueRule = .warn
    /// Timestamps after `asOfDay`: rejected by default, as no forecast may see the future.
    public var futureTimestamps: ValueRule = .reject
    /// Timestamps after the end of this day are "in the future" (default: today, UTC).
    public var asOfDay: Int
    /// A timestamp is "far outside the data's range" when it lies more than this many days
    /// before the 0.1% quantile or after the 99.9% quantile of all days.
    public var farOutsideDays = 365
    /// A customer's activity is implausible when their events exceed this many times the
    /// 99th percentile of events per customer (and at least 10 more than it).
    public var outlierFactor = 10.0

    public init(asOfDay: Int = todayDayNumber()) {
        self.asOfDay = asOfDay
    }

    /// The first instant after the as-of day.
    var futureFrom: Int64 { Int64(asOfDay + 1) * 86_400 }

    /// The rules as rows for the report.
    var descriptions: [RuleDescription] {
        [
            RuleDescription(check: "malformed quoting, ragged row, empty or unparseable value, invalid UTF-8", action: "reject",
                            note: "the row cannot be used"),
            RuleDescription(check: "negative quantity", action: negativeQuantity.rawValue, note: "--negative-quantity"),
            RuleDescription(check: "zero quantity", action: zeroQuantity.rawValue, note: "--zero-quantity"),
            RuleDescription(check: "negative amount or price", action: negativeAmount.rawValue, note: "--negative-amount"),
            RuleDescription(check: "zero amount or price", action: zeroAmount.rawValue, note: "--zero-amount"),
            RuleDescription(check: "exact duplicate row", action: duplicateRows.rawValue, note: "--duplicates"),
            RuleDescription(check: "duplicate key, orphan reference (shop tables)", action: "reject", note: "first row with a key wins"),
            RuleDescription(check: "timestamp after the as-of day", action: futureTimestamps.rawValue, note: "--as-of, --future"),
            RuleDescription(check: "timestamp far outside the data's range", action: "warn", note: "> \(farOutsideDays) days beyond the 0.1%..99.9% range"),
            RuleDescription(check: "implausible customer activity", action: "warn", note: "events > \(outlierFactor)x the 99th percentile"),
            RuleDescription(check: "excluded order status", action: "exclude from log", note: "--exclude-status; counted, not rejected"),
        ]
    }
}

/// One rule as shown in the quality report.
public struct RuleDescription: Codable, Sendable, Equatable {
    public var check: String
    public var action: String
    public var note: String
}

/// Today's day number in UTC.
public func todayDayNumber() -> Int {
    dayNumber(ofSeconds: Int64(Date().timeIntervalSince1970))
}
