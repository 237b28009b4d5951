import ArgumentParser
import Attribution
import Warehouse

struct AttributionCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the attribution database's data tests (keys, weights sum to 1, reconciliation).",
        discussion: "Exit code 2 when a check fails, 1 when the database cannot be read."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        try printChecks(try DataCheck.run(AttributionChecks.all, in: try database.open()), format: format)
    }
}
