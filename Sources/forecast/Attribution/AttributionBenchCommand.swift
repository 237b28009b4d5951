import ArgumentParser
import Attribution
import Foundation

struct AttributionBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the attribute step of each in-process engine (read journeys, engine, write).",
        discussion: """
            Overwrites attribution_customer_journey for the range (the last engine's \
            weights stay). make attribution-bench generates a database with about \
            1,000,000 journey sessions and runs it.
            """
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var engine: EngineOptions

    func run() async throws {
        let db = try database.open(), range = try range.range()
        print("engine          journeys   sessions   read s  engine s   write s   sessions/s (engine)")
        for e in EngineCatalog.comparisonSet(engine.settings) {
            let s = try await AttributeStep.run(db, range: range, engine: e)
            print(e.name.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + String(format: " %9d %10d %8.2f %9.3f %9.2f %12.0f", s.journeys, s.sessions, s.readSeconds, s.engineSeconds,
                           s.writeSeconds, Double(s.sessions) / max(s.engineSeconds, 1e-9)))
        }
    }
}
