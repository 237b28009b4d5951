import Core
import Foundation
import GRDB
import Warehouse

/// Step 2, `attribute`: runs an engine on the range's journeys, checks that every conversion's
/// weights sum to 1 (to 1e-9) before anything is written, then replaces the range's rows of
/// `attribution_customer_journey` and `attribution_runs` in one transaction.
public enum AttributeStep {
    public struct Summary: Sendable, Codable, Equatable {
        public var range: String
        public var engine: String
        /// Conversions with a journey in the range, and their sessions.
        public var journeys: Int
        public var sessions: Int
        /// Conversions written (= journeys - failed).
        public var attributed: Int
        public var rowsWritten: Int
        /// Journeys the engine could not attribute (remote engine only), by conversion id.
        public var failures: [JourneyFailure]
        /// The largest |sum of weights - 1| over the written conversions.
        public var largestDeviation: Double
        /// Seconds: reading the journeys, the engine, writing.
        public var readSeconds: Double
        public var engineSeconds: Double
        public var writeSeconds: Double
    }

    /// Reads the range's journeys (throws when step 1 has not run for some of its conversions).
    public static func journeys(_ database: AttributionDatabase, range: ConversionRange) throws -> JourneySet {
        try database.queue.read { db in try JourneyLoader.load(db, range: range) }
    }

    /// Attributes the range with `engine` and writes the weights.
    public static func run(_ database: AttributionDatabase, range: ConversionRange, engine: any AttributionEngine) async throws -> Summary {
        var clock = PhaseClock()
        let journeys = try journeys(database, range: range)
        clock.lap("read")
        let result = try await engine.attribute(journeys)
        clock.lap("engine")
        let deviation = try validate(result, journeys)
        clock.lap("validate")
        let rows = try write(database, range: range, journeys: journeys, result: result, engine: engine.name)
        clock.lap("write")
        let failed = Set(result.failures.map(\.conversionID))
        return Summary(range: range.description, engine: engine.name, journeys: journeys.count, sessions: journeys.touchpointCount,
                       attributed: journeys.count - failed.count, rowsWritten: rows, failures: result.failures,
                       largestDeviation: deviation, readSeconds: clock.seconds("read"), engineSeconds: clock.seconds("engine"),
                       writeSeconds: clock.seconds("write"))
    }

    /// Throws unless every journey that did not fail has finite, non-negative weights summing
    /// to 1 within 1e-9; returns the largest deviation.
    public static func validate(_ result: EngineResult, _ journeys: JourneySet) throws -> Double {
        precondition(result.weights.count == journeys.touchpointCount, "one weight per touchpoint")
        let failed = Set(result.failures.map(\.conversionID))
        var largest = 0.0
        for j in 0..<journeys.count where !failed.contains(journeys.conversionIDs[j]) {
            var sum = 0.0, valid = true
            for k in journeys.touchpoints(j) {
                let w = result.weights[k]
                if !(w >= 0 && w.isFinite) { valid = false }
                sum += w
            }
            let deviation = abs(sum - 1)
            guard valid, deviation <= 1e-9 else {
                throw AttributionError.weightsDoNotSumToOne(conversionID: journeys.conversionIDs[j], sum: valid ? sum : .nan)
            }
            largest = max(largest, deviation)
        }
        return largest
    }

    static func write(_ database: AttributionDatabase, range: ConversionRange, journeys: JourneySet, result: EngineResult, engine: String) throws -> Int {
        let failed = Set(result.failures.map(\.conversionID))
        return try database.queue.write { db in
            let inRange = range.condition("conv_date")
            for table in ["attribution_customer_journey", "attribution_runs"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE conv_id IN (SELECT conv_id FROM conversions WHERE \(inRange.sql))",
                               arguments: inRange.arguments)
            }
            let insertWeight = try db.makeStatement(sql: "INSERT INTO attribution_customer_journey(conv_id, session_id, ihc) VALUES (?, ?, ?)")
            let insertRun = try db.makeStatement(sql: "INSERT INTO attribution_runs(conv_id, engine) VALUES (?, ?)")
            var rows = 0
            for j in 0..<journeys.count where !failed.contains(journeys.conversionIDs[j]) {
                let id = journeys.conversionIDs[j]
                for k in journeys.touchpoints(j) {
                    insertWeight.setUncheckedArguments([id, journeys.sessionIDs[k], result.weights[k]])
                    try insertWeight.execute()
                    rows += 1
                }
                try insertRun.execute(arguments: [id, engine])
            }
            return rows
        }
    }
}
