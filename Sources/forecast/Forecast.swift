import ArgumentParser
import ForecastKit

@main
struct Forecast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Customer analytics for an online shop: ingest transactions, check their quality, generate data, forecast.",
        discussion: """
            Start with `forecast generate --out data/shop` for the built-in shop data, then
            `forecast ingest --data data/shop --layout shop --out data/ingested`,
            `forecast train --data data/shop --layout shop --as-of 2019-11-30 --model glm --name mine`,
            `forecast evaluate --model mine --data data/shop --layout shop`.
            """,
        version: Toolkit.version,
        subcommands: [GenerateCommand.self, IngestCommand.self, FeaturesCommand.self, TrainCommand.self, EvaluateCommand.self,
                      PredictCommand.self, BacktestCommand.self, ModelsCommand.self, ReportCommand.self, TopProductsCommand.self,
                      NotebookCommand.self, WarehouseCommand.self, ExportCommand.self, PipelineCommand.self, AttributionCommand.self,
                      ServeCommand.self, BenchCommand.self]
    )
}
