import Core
import Foundation
import GRDB
import Plots
import Warehouse

/// Every engine on the same journeys, side by side: which channels each one credits. Reads
/// the database, writes nothing to it.
public struct EngineComparison: Sendable {
    public var range: String
    public var channels: [String]
    public var engines: [String]
    /// `credit[e][c]`: conversions credited to channel `c` by engine `e` (sums to the journeys).
    public var credit: [[Double]]
    /// `revenue[e][c]`: attributed revenue.
    public var revenue: [[Double]]
    /// Cost of each channel's sessions dated in the range (all sessions for the whole table).
    public var cost: [Double]
    /// Seconds each engine took on these journeys (the engine alone, no database).
    public var seconds: [Double]
    public var journeys: Int
    public var sessions: Int
    public var nonConvertingPaths: Int

    /// Runs `engines` on the range's journeys.
    public static func run(_ database: AttributionDatabase, range: ConversionRange, engines: [any AttributionEngine]) async throws -> EngineComparison {
        let journeys = try AttributeStep.journeys(database, range: range)
        let cost = try await database.queue.read { db in
            let inRange = range.condition("s.event_date")
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.channel_name, total(k.cost) FROM session_sources s JOIN session_costs k ON k.session_id = s.session_id
                WHERE \(inRange.sql) GROUP BY s.channel_name
                """, arguments: inRange.arguments)
            var byName: [String: Double] = [:]
            for r in rows { byName[r[0]] = r[1] }
            return journeys.channels.map { byName[$0] ?? 0 }
        }
        var comparison = EngineComparison(range: range.description, channels: journeys.channels, engines: [], credit: [], revenue: [],
                                          cost: cost, seconds: [], journeys: journeys.count, sessions: journeys.touchpointCount,
                                          nonConvertingPaths: journeys.nonConverting.count)
        for engine in engines {
            var clock = PhaseClock()
            let result = try await engine.attribute(journeys)
            clock.lap("engine")
            comparison.seconds.append(clock.seconds("engine"))
            _ = try AttributeStep.validate(result, journeys)
            var credit = [Double](repeating: 0, count: journeys.channels.count), revenue = credit
            let failed = Set(result.failures.map(\.conversionID))
            for j in 0..<journeys.count where !failed.contains(journeys.conversionIDs[j]) {
                for k in journeys.touchpoints(j) {
                    credit[Int(journeys.channel[k])] += result.weights[k]
                    revenue[Int(journeys.channel[k])] += result.weights[k] * journeys.revenue[j]
                }
            }
            comparison.engines.append(engine.name)
            comparison.credit.append(credit)
            comparison.revenue.append(revenue)
        }
        return comparison
    }

    /// Share of the conversions credited to each channel, per engine.
    public func share(engine e: Int, channel c: Int) -> Double {
        journeys == 0 ? 0 : credit[e][c] / Double(journeys)
    }

    /// The report as Markdown: credit shares, CPO and ROAS per channel and engine (and the
    /// engines' times, which differ from run to run, unless `timings` is false).
    public func markdown(timings: Bool = true) -> String {
        func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
        func money(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "–" }
        var out = "# Attribution engines compared\n\n"
        out += "\(journeys) converting journeys (\(range)), \(sessions) sessions, \(nonConvertingPaths) non-converting paths "
        out += "(used by markov and shapley). Every engine splits each conversion among its journey's sessions; "
        out += "the tables add the shares up per channel. Engines are described in docs/attribution.md.\n\n"
        out += "## Share of conversions credited\n\n"
        out += table(rowTitle: "channel") { e, c in pct(share(engine: e, channel: c)) }
        out += "\n## Cost per attributed order (CPO = cost / credited conversions)\n\n"
        out += table(rowTitle: "channel") { e, c in money(credit[e][c] > 0 && cost[c] > 0 ? cost[c] / credit[e][c] : nil) }
        out += "\n## Return on ad spend (ROAS = attributed revenue / cost)\n\n"
        out += table(rowTitle: "channel") { e, c in money(cost[c] > 0 ? revenue[e][c] / cost[c] : nil) }
        out += "\n\"–\": undefined (the channel has no cost, or no credited conversion).\n\n"
        out += "## Where the engines disagree\n\n"
        for c in channels.indices {
            let shares = engines.indices.map { share(engine: $0, channel: c) }
            let lo = shares.indices.min { shares[$0] < shares[$1] }!, hi = shares.indices.max { shares[$0] < shares[$1] }!
            out += "- \(channels[c]): \(pct(shares[lo])) (\(engines[lo])) to \(pct(shares[hi])) (\(engines[hi])), cost \(money(cost[c]))\n"
        }
        guard timings else { return out }
        out += "\n## Time per engine (these journeys, in memory)\n\n| engine | seconds |\n| --- | ---: |\n"
        for (e, name) in engines.enumerated() { out += "| \(name) | \(String(format: "%.3f", seconds[e])) |\n" }
        return out
    }

    private func table(rowTitle: String, _ cell: (Int, Int) -> String) -> String {
        var out = "| \(rowTitle) | " + engines.joined(separator: " | ") + " |\n"
        out += "| --- |" + String(repeating: " ---: |", count: engines.count) + "\n"
        for c in channels.indices {
            out += "| \(channels[c]) | " + engines.indices.map { cell($0, c) }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// A heatmap of the credit shares: channels x engines.
    public func heatmap() -> Heatmap {
        Heatmap(title: "Which channels each engine credits",
                subtitle: "Share of \(journeys) conversions credited to each channel (\(range))",
                columns: engines, rows: channels,
                values: channels.indices.map { c in engines.indices.map { e in share(engine: e, channel: c) } },
                xTitle: "engine", yTitle: "channel", style: .percent, width: 1180, height: 440)
    }
}
