import Analytics
import ArgumentParser
import Core

struct SQLMartsCommand: ParsableCommand {
    enum Mart: String, ExpressibleByArgument, CaseIterable {
        case daily, products, categories, all
    }

    static let configuration = CommandConfiguration(
        commandName: "marts",
        abstract: "Print the warehouse marts (daily customer summary, sales roll-ups) as SQL over the star schema.",
        discussion: """
            The SQL reads the warehouse's star schema (fct_orders, fct_order_lines, dim_customer, dim_product, \
            dim_date: docs/warehouse.md) wherever it is (PostgreSQL, Spark, a cloud warehouse) and returns the mart \
            as `forecast warehouse marts` builds it, columns named as the mart table's: daily \
            (mart_customer_daily: a row per customer and day with orders; with --spine-through every day from the \
            customer's first order to that day), products (mart_sales_by_product) or categories \
            (mart_sales_by_category), each at the grains day, week, month and year. With --mart all, three \
            temporary views named as the tables.
            Examples:
              forecast sql marts --dialect spark --mart daily > daily.sql
              forecast sql marts --dialect postgres --mart all --spine-through 2019-12-31
            """
    )

    @Option(help: "The engine: postgres, spark or sqlite.")
    var dialect: SQLDialect

    @Option(help: "daily, products, categories, or all (as temporary views).")
    var mart: Mart = .daily

    @Option(name: .customLong("spine-through"), help: "The daily summary gets every day from each customer's first order to this day (YYYY-MM-DD).")
    var spineThrough: String?

    func validate() throws {
        if let spineThrough, CivilDate(iso: spineThrough) == nil {
            throw ValidationError("--spine-through must be a date like 2019-12-31, got '\(spineThrough)'")
        }
    }

    func run() throws {
        let selects: [(Mart, String, String)] = [
            (.daily, CustomerDailySummary.table, CustomerDailySummary.selectSQL(dialect, spineThrough: spineThrough)),
            (.products, SalesRollups.productTable, SalesRollups.selectSQL(dialect, byProduct: true)),
            (.categories, SalesRollups.categoryTable, SalesRollups.selectSQL(dialect, byProduct: false)),
        ]
        guard mart == .all else {
            if let select = selects.first(where: { $0.0 == mart }) { print(select.2 + ";") }
            return
        }
        let views = selects.map { _, name, select in
            dialect == .sqlite ? "DROP VIEW IF EXISTS temp.\(name);\nCREATE TEMP VIEW \(name) AS\n\(select);"
                : "CREATE OR REPLACE TEMPORARY VIEW \(name) AS\n\(select);"
        }
        print(views.joined(separator: "\n\n"))
    }
}
