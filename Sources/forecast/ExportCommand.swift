import Analytics
import ArgumentParser
import ForecastKit
import Foundation
import Warehouse

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a mart as CSV, JSON Lines or Parquet.",
        discussion: """
            Marts: \(Marts.all.map(\.name).joined(separator: ", ")), or all.
            Examples:
              forecast export sales-by-category --db warehouse.sqlite --format csv --out sales.csv
              forecast export all --db warehouse.sqlite --format jsonl --out exports/
              forecast export all --db warehouse.sqlite --format parquet --out exports/
              forecast export marketing-audience --db warehouse.sqlite --include-pii --out audience.csv
            marketing-audience holds personal data: it needs --include-pii, and `all` writes a
            manifest.json that says which files hold personal data.
            """
    )

    @Argument(help: "The mart to export, or all.")
    var mart: String

    @OptionGroup var database: DatabaseOption

    @Option(help: "csv, jsonl or parquet (typed columns, days as dates, Snappy pages).")
    var format: MartExport.Format = .csv

    @Option(help: "Output file (a folder for all; default: <mart>.<format> in the current folder).")
    var out: String?

    @Flag(name: .customLong("include-pii"), help: "Allow exporting the marketing audience (personal data).")
    var includePII = false

    func validate() throws {
        if mart != "all", Marts.named(mart) == nil {
            throw ValidationError("unknown mart '\(mart)'; marts are: \(Marts.all.map(\.name).joined(separator: ", ")), all")
        }
    }

    func run() async throws {
        let warehouse = try database.backend(create: false)
        if mart == "all" {
            let chosen = try await warehouse.builtMarts().filter { !$0.containsPersonalData || includePII }
            let directory = out ?? "."
            let written = try await warehouse.exportAll(chosen, format: format, to: directory, allowPersonalData: includePII)
            for w in written { print("wrote \(directory)/\(w.file): \(w.rows) rows\(w.containsPersonalData ? " (PERSONAL DATA)" : "")") }
            print("wrote \(directory)/manifest.json")
        } else {
            let m = Marts.named(mart)!
            let path = out ?? "\(m.name).\(format.rawValue)"
            let w = try await warehouse.export(m, format: format, to: path, allowPersonalData: includePII)
            print("wrote \(path): \(w.rows) rows, \(w.columns.count) columns")
            if let notice = w.notice { printError("forecast: \(path) \(notice)") }
        }
    }
}

extension MartExport.Format: ExpressibleByArgument {}
