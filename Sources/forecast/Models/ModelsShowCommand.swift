import ArgumentParser
import ForecastKit
import Foundation

extension ModelsCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everything a saved model records: kind, training window, data fingerprint, metrics, parameters.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "NAME (its latest version) or NAME@VERSION.")
        var model: String

        @Flag(help: "Print the model file's payload as JSON.")
        var json = false

        func run() throws {
            let store = storeOptions.modelStore
            let reference = try ModelReference(parsing: model)
            let path = try store.locate(reference).path
            let m = try store.load(reference)
            if json {
                print(try TextQuoting.jsonText(m), terminator: "")
                return
            }
            print("""
                \(m.name)@\(m.version): \(m.kind) model (checksum ok)
                file: \(path)
                created: \(m.createdAt) by toolkit \(m.toolkitVersion)
                features: version \(m.featureSchema.version): \(m.featureSchema.names.joined(separator: ", "))
                trained as of \(m.training.asOf) (cutoff \(m.training.cutoff)) on \(m.training.rows) rows\
                \(m.training.origins.isEmpty ? "" : ", origins \(m.training.origins.first!)..\(m.training.origins.last!) (\(m.training.origins.count))")
                data: \(m.data.rows) rows, \(m.data.customers) customers, \(m.data.events) events, \(m.data.firstDay)..\(m.data.lastDay), sha256 \(m.data.sha256)
                """)
            if !m.metrics.isEmpty {
                print("metrics:")
                for key in m.metrics.keys.sorted() { print("  \(key): \(String(format: "%.6g", m.metrics[key]!))") }
            }
            let parameters = m.summary.parameters
            if !parameters.isEmpty {
                print("parameters:")
                for key in parameters.keys.sorted() { print("  \(key): \(String(format: "%.6g", parameters[key]!))") }
            }
            for note in m.summary.notes { print("note: \(note)") }
        }
    }
}
