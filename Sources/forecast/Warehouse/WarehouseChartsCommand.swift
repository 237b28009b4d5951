import Analytics
import ArgumentParser
import Foundation
import Warehouse

struct WarehouseChartsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charts",
        abstract: "Draw the warehouse charts: revenue over time, revenue by category, customers by state, cluster profiles.",
        discussion: "Needs the marts (`forecast warehouse marts`). Writes OUT/<name>.svg; no chart uses personal data."
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "Folder for the SVG files.")
    var out = "reports/warehouse"

    func run() async throws {
        let warehouse = try database.backend(create: false)
        let charts = try await warehouse.charts()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for chart in charts {
            let path = "\(out)/\(chart.name).svg"
            try chart.svg.write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path): \(chart.title)")
        }
    }
}
