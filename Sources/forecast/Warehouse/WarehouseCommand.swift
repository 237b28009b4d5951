import ArgumentParser

struct WarehouseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warehouse",
        abstract: "The shop warehouse in SQLite: load, check, build the marts, draw their charts.",
        discussion: """
            Examples:
              forecast warehouse load --source data/shop --db warehouse.sqlite --as-of 2019-12-31
              forecast warehouse load --source exports/2019-12-31 --mapping sales-orders.json --db warehouse.sqlite
              forecast warehouse check --db warehouse.sqlite
              forecast warehouse marts --db warehouse.sqlite --include-pii
              forecast warehouse charts --db warehouse.sqlite --out reports/warehouse
            The schema, the checks and the marts are described in docs/warehouse.md.
            """,
        subcommands: [WarehouseLoadCommand.self, WarehouseCheckCommand.self, WarehouseMartsCommand.self, WarehouseChartsCommand.self, WarehouseBenchCommand.self]
    )
}
