import Analytics
import ArgumentParser
import Warehouse

struct WarehouseCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the warehouse's data tests (keys, foreign keys, reconciliation, and the marts if built).",
        discussion: "Exit code 2 when a check fails, 1 when the database cannot be read."
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func run() async throws {
        let warehouse = try database.backend(create: false)
        try printChecks(try await warehouse.allChecks(), format: format)
    }
}
