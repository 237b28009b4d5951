import ArgumentParser
import ForecastKit

extension ModelsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per saved model: name, latest version, kind, training day, creation time, checksum status.")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = storeOptions.modelStore
            let names = store.names()
            if names.isEmpty {
                print("no models in \(store.root) (train one with `forecast train`)")
                return
            }
            print("| name | latest | versions | kind | as of | created | training rows | check |\n| --- | --- | --- | --- | --- | --- | --- | --- |")
            for name in names {
                let versions = store.versions(of: name).map(String.init).joined(separator: ",")
                let latest = store.latestVersion(of: name).map(String.init) ?? "-"
                do {
                    let m = try store.load(ModelReference(name: name))
                    print("| \(name) | \(latest) | \(versions) | \(m.kind) | \(m.training.asOf) | \(m.createdAt) | \(m.training.rows) | ok |")
                } catch {
                    print("| \(name) | \(latest) | \(versions) | ? | ? | ? | ? | unreadable: \(error) |")
                }
            }
        }
    }
}
