import Analytics
import ArgumentParser
import Foundation
import Warehouse

struct WarehouseBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the monthly-by-category revenue query from the roll-up and from the facts.",
        discussion: "make warehouse-bench runs it on 1,000,000 generated customers after timing the load and the marts."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Runs per query (the median is reported).")
    var repeats = 5
    @Flag(name: .customLong("rollup-only"), help: "Skip the query over the facts.")
    var rollupOnly = false

    func run() async throws {
        let warehouse = try database.backend(create: false)
        let timings = try await warehouse.timeRollupQuery(repeats: repeats, includeFacts: !rollupOnly)
        for t in timings {
            print(String(format: "%@: %d rows, median %.4f s over %d runs", t.query, t.rows, t.medianSeconds, t.runs.count))
        }
        if !database.isPostgres {
            let size = (try? FileManager.default.attributesOfItem(atPath: database.db)[.size] as? Int) ?? 0
            print(String(format: "database %@: %.1f MB", database.db, Double(size) / 1e6))
        }
    }
}
