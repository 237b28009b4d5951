import ArgumentParser
import ForecastKit
import Reports

extension ReportCommand {
    struct Training: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "training", abstract: "The training curve of a saved model, from its training log.")
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: Output
        @Option(help: "The saved model: NAME (its latest version) or NAME@VERSION.")
        var model: String

        func run() throws {
            let reference = try ModelReference(parsing: model)
            let store = storeOptions.modelStore
            let saved = try store.load(reference)
            let entries = try store.trainingLog(reference)
            var figure = ReportCharts.training((saved.kind, entries), source: "\(saved.name)@\(saved.version)")
            figure.name = "training-\(saved.name)-\(saved.version)"
            try output.write([figure])
        }
    }
}
