import ArgumentParser
import ForecastKit

@main
struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Customer analytics for an online shop: ingest transactions, check their quality, generate data, forecast.",
        discussion: """
            Start with `forecast generate --out data/shop` for the built-in shop data, then
            `forecast ingest --data data/shop --layout shop --out data/ingested`.
            """,
        version: "0.1.0",
        subcommands: [GenerateCommand.self, IngestCommand.self, FeaturesCommand.self, BacktestCommand.self, BenchCommand.self]
    )
}
