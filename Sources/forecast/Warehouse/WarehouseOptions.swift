import Analytics
import ArgumentParser
import ForecastKit
import PostgresWarehouse

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

/// `--db PATH|URL` and `--password-env NAME`: the SQLite file or the PostgreSQL server of the warehouse.
struct DatabaseOption: ParsableArguments {
    @Option(help: ArgumentHelp("The warehouse: a SQLite file, or a PostgreSQL server as postgresql://USER@HOST[:PORT]/DATABASE.",
                               discussion: "The password comes from PGPASSWORD or the variable named by --password-env; never from the URL.",
                               valueName: "path-or-url"))
    var db = "warehouse.sqlite"

    @Option(name: .customLong("password-env"), help: ArgumentHelp("With a postgresql:// --db: the environment variable holding the password (default PGPASSWORD).",
                                                                   valueName: "name"))
    var passwordEnv: String?

    func validate() throws {
        if passwordEnv != nil, !isPostgres { throw ValidationError("--password-env is for a postgresql:// --db; '\(db)' is a SQLite file") }
    }

    var isPostgres: Bool { PostgresLocation.isURL(db) }

    func postgresLocation() throws -> PostgresLocation {
        try PostgresLocation(url: db, passwordVariable: passwordEnv)
    }

    /// The warehouse behind `--db`; a SQLite file is created only with `create`.
    func backend(create: Bool) throws -> any WarehouseBackend {
        if isPostgres { return PostgresWarehouseBackend(location: try postgresLocation()) }
        return try SQLiteWarehouseBackend(path: db, create: create)
    }
}
