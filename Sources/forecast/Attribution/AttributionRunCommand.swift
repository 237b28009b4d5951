import ArgumentParser
import Attribution

struct AttributionRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "All four steps: journeys, attribute, report, export.",
        discussion: "Each step is one transaction; a re-run of the same range and engine changes nothing."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var lookback: LookbackOption
    @OptionGroup var engine: EngineOptions
    @Option(help: "The CSV file to write.")
    var out: String
    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() async throws {
        let db = try database.open(), range = try range.range()
        let progress = progressLine(quiet: quiet)
        progress?("journeys")
        print(AttributionText.journeys(try JourneyStep.run(db, range: range, lookbackDays: lookback.lookbackDays)))
        progress?("attribute (\(engine.engine.rawValue))")
        let attribution = try await AttributeStep.run(db, range: range, engine: try engine.make(progress: progress))
        print(AttributionText.attribute(attribution))
        progress?("report")
        print(AttributionText.report(try ReportStep.run(db, range: range)))
        progress?("export")
        let rows = try ChannelExport.rows(db, dates: range)
        try ChannelExport.write(rows, to: out)
        print(AttributionText.export(rows, path: out))
        if !attribution.failures.isEmpty { throw ExitCode(2) }
    }
}
