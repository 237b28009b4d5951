import ArgumentParser

struct WarehouseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warehouse",
        abstract: "The shop warehouse in SQLite or PostgreSQL: load, check, build the marts, draw their charts, set up roles.",
        discussion: """
            Examples:
              forecast warehouse load --source data/shop --db warehouse.sqlite --as-of 2019-12-31
              forecast warehouse load --source exports/2019-12-31 --mapping sales-orders.json --db warehouse.sqlite
              forecast warehouse check --db warehouse.sqlite
              forecast warehouse marts --db warehouse.sqlite --include-pii
              forecast warehouse charts --db warehouse.sqlite --out reports/warehouse
              forecast warehouse load --source data/shop --db postgresql://etl@db.internal/shop   (PGPASSWORD set)
              forecast warehouse roles --db postgresql://postgres@db.internal/shop
            The schema, the checks and the marts are described in docs/warehouse.md.
            """,
        subcommands: [WarehouseLoadCommand.self, WarehouseCheckCommand.self, WarehouseMartsCommand.self, WarehouseChartsCommand.self, WarehouseRolesCommand.self, WarehouseBenchCommand.self]
    )
}
