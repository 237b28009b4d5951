import ArgumentParser
import ForecastKit

/// Where the shop's tables come from.
struct ShopSourceOptions: ParsableArguments {
    @Option(help: "Folder with the shop's CSV files (default layout: customers.csv, products.csv, orders.csv, items.csv).")
    var source: String

    @Option(help: "JSON mapping file: the layout (shop or sales-orders), file names and column names (see docs/warehouse.md).")
    var mapping: String?

    @OptionGroup var quality: QualityOptions

    func read() throws -> ShopTables {
        try ShopIngest.readTables(directory: source, mapping: try shopMapping(), rules: try quality.rules(),
                                  policy: quality.onBadRow, threads: quality.threadCount)
    }

    func shopMapping() throws -> ShopMapping {
        try mapping.map(ShopMapping.load(path:)) ?? ShopMapping()
    }
}

/// `--db PATH`.
struct DatabaseOption: ParsableArguments {
    @Option(help: "The warehouse database file (SQLite).")
    var db = "warehouse.sqlite"
}
