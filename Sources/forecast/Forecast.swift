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
                      ServeCommand.self, SQLCommand.self, BenchCommand.self]
    )

    /// Parses the command line, runs the command, and renders every error in this one place.
    ///
    /// Argument-parser's own errors keep its rendering and exit codes: usage errors (64), `--help`, `--version`,
    /// `forecast help <command>`, and a `ValidationError`, `ExitCode` or `CleanExit` thrown by a command. Any
    /// other error of a command prints `forecast: <error>` on standard error, then the hint of
    /// ``commandLineHint(for:)`` if it has one on the next line, and exits with code 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard !isArgumentParserError(error) else { exit(withError: error) }
            printError("forecast: \(error)")
            if let hint = commandLineHint(for: error) { printError(hint) }
            exit(withError: ExitCode.failure)
        }
    }

    /// Whether argument-parser renders `error`: the errors a command throws to it (`ExitCode`, `ValidationError`,
    /// `CleanExit`) and its internal ones, which parsing throws and so does the run() of its `help` command.
    private static func isArgumentParserError(_ error: any Error) -> Bool {
        error is ExitCode || error is ValidationError || error is CleanExit
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
