import Attribution
import ForecastKit
import Foundation

/// Prints a step's summary as text or as JSON.
func printSummary<T: Encodable>(_ summary: T, format: TextOrJSON, text: (T) -> String) throws {
    switch format {
    case .json: print(try TextQuoting.jsonText(summary, pretty: true), terminator: "")
    case .text: print(text(summary))
    }
}

/// An amount with two decimals.
func money(_ v: Double) -> String { String(format: "%.2f", v) }

/// The text summaries of the attribution steps.
enum AttributionText {
    static func journeys(_ s: JourneyStep.Summary) -> String {
        var out = "journeys (\(s.range)\(s.lookbackDays.map { ", lookback \($0) days" } ?? "")): \(s.conversions) conversions = "
        out += "\(s.conversionsWithSessions) with sessions + \(s.conversionsWithoutSessions) without; \(s.journeySessions) journey sessions"
        out += "\n  revenue: \(money(s.attributableRevenue)) attributable, \(money(s.unattributableRevenue)) without a session"
        if !s.withoutSessionExamples.isEmpty {
            out += "\n  without a session (not attributed): " + s.withoutSessionExamples.joined(separator: ", ")
            if s.conversionsWithoutSessions > s.withoutSessionExamples.count { out += ", ... (\(s.conversionsWithoutSessions) in all)" }
        }
        return out
    }

    static func attribute(_ s: AttributeStep.Summary) -> String {
        var out = "attribute (\(s.range), engine \(s.engine)): \(s.attributed) of \(s.journeys) conversions, \(s.rowsWritten) rows; "
        out += String(format: "weights sum to 1 within %.1e; read %.2f s, engine %.3f s, write %.2f s",
                      s.largestDeviation, s.readSeconds, s.engineSeconds, s.writeSeconds)
        if !s.failures.isEmpty {
            out += "\n  \(s.failures.count) conversions failed (not written):"
            for f in s.failures.prefix(50) { out += "\n    \(f.conversionID): \(f.reason)" }
            if s.failures.count > 50 { out += "\n    ... (\(s.failures.count) in all; --format json lists every one)" }
        }
        return out
    }

    static func report(_ s: ReportStep.Summary) -> String {
        "report (\(s.range)): \(s.datesRefreshed) dates refreshed, \(s.rowsWritten) channel-day rows; totals cost \(money(s.cost)), "
            + String(format: "ihc %.6f, ihc_revenue %@", s.ihc, money(s.ihcRevenue))
    }

    static func export(_ rows: [ChannelExport.Row], path: String) -> String {
        let cost = rows.reduce(0) { $0 + $1.cost }, ihc = rows.reduce(0) { $0 + $1.ihc }, revenue = rows.reduce(0) { $0 + $1.ihcRevenue }
        return "export: wrote \(path): \(rows.count) rows; cost \(money(cost)), ihc " + String(format: "%.3f", ihc)
            + ", ihc_revenue \(money(revenue))" + (cost > 0 ? String(format: ", ROAS %.3f", revenue / cost) : "")
    }
}
