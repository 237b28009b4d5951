import ArgumentParser
import Attribution
import Foundation
import Plots

struct AttributionCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run every in-process engine on the same journeys and compare the channels they credit.",
        discussion: "Writes OUT/engines.md (shares, CPO, ROAS per channel and engine) and OUT/engines.svg (a heatmap). Changes nothing in the database."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var engine: EngineOptions
    @Option(help: "Folder for engines.md and engines.svg.")
    var out = "reports/attribution"
    @Flag(name: .customLong("no-timings"), help: "Leave the engines' times out of the report (for a reproducible file).")
    var noTimings = false

    func run() async throws {
        let comparison = try await EngineComparison.run(try database.open(), range: try range.range(),
                                                        engines: EngineCatalog.comparisonSet(engine.settings))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try comparison.markdown(timings: !noTimings).write(toFile: "\(out)/engines.md", atomically: true, encoding: .utf8)
        try comparison.heatmap().svg().write(toFile: "\(out)/engines.svg", atomically: true, encoding: .utf8)
        print("compared \(comparison.engines.count) engines on \(comparison.journeys) journeys (\(comparison.sessions) sessions)")
        print("wrote \(out)/engines.md and \(out)/engines.svg")
    }
}
