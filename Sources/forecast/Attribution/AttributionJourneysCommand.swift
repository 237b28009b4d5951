import ArgumentParser
import Attribution

struct AttributionJourneysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journeys",
        abstract: "Step 1: each conversion's earlier sessions of the same user, in time order.",
        discussion: """
            Writes journey_conversions (every conversion of the range, with its session \
            count) and journey_sessions, replacing the range's rows in one transaction. \
            Conversions with no earlier session are counted and listed; they stay \
            unattributed.
            """
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var lookback: LookbackOption
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        let summary = try JourneyStep.run(try database.open(), range: try range.range(), lookbackDays: lookback.lookbackDays)
        try printSummary(summary, format: format, text: AttributionText.journeys)
    }
}
