import ArgumentParser
import Attribution

struct AttributionAttributeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Step 2: split each conversion of the range among its journey's sessions with an engine.",
        discussion: """
            Every conversion's weights must sum to 1 (within 1e-9) before anything is \
            written; then the range's rows of attribution_customer_journey are replaced \
            in one transaction. With --engine ihc-api, journeys the API fails are listed \
            by conversion id, the others are written, and the exit code is 2.
            """
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var engine: EngineOptions
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text
    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() async throws {
        let summary = try await AttributeStep.run(try database.open(), range: try range.range(),
                                                  engine: try engine.make(progress: progressLine(quiet: quiet)))
        try printSummary(summary, format: format, text: AttributionText.attribute)
        if !summary.failures.isEmpty { throw ExitCode(2) }
    }
}
