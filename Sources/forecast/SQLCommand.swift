import Analytics
import ArgumentParser
import Core
import Features
import ForecastKit

extension SQLDialect: ExpressibleByArgument {}

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the toolkit's computations as SQL for an engine that holds the data (PostgreSQL, Spark, SQLite).",
        subcommands: [SQLFeaturesCommand.self, SQLPanelCommand.self, SQLScoreCommand.self, SQLMartsCommand.self]
    )
}

struct SQLFeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print the SQL that computes every customer's features as of a cutoff, as `forecast features` does.",
        discussion: """
            The SQL reads a relation transactions(customer_id, timestamp, quantity, amount[, product_id]), one row per
            purchase line (another relation or view with --from), and returns one row per customer with an event
            before --cutoff: customer_id and the feature columns, named as in `forecast features` (docs/features.md).
            Missing values (mean_gap_days with one event, ...) are NULL. Events are distinct (customer, day of
            timestamp); the SQL applies no quality rule, so give it the rows `forecast ingest` accepts.
            Examples:
              forecast sql features --dialect postgres --cutoff 2020-01-01 > features.sql && psql -f features.sql
              forecast sql features --dialect spark --cutoff 2020-01-01 --from shop.sales --with-products
            """
    )

    @Option(help: "The engine: postgres, spark or sqlite.")
    var dialect: SQLDialect

    @Option(help: "The cutoff day (YYYY-MM-DD): the features read only events before it.")
    var cutoff: String

    @Option(name: .customLong("from"), help: "The relation (table or view) with the transaction rows.")
    var relation = "transactions"

    @Flag(name: .customLong("with-products"), help: "Also product_breadth (the relation has product_id).")
    var withProducts = false

    func validate() throws {
        _ = try cutoffDay(cutoff)
        try validateRelation(relation, option: "--from")
    }

    func run() throws {
        print(FeatureSQL.select(dialect, cutoff: try cutoffDay(cutoff), from: relation, withProducts: withProducts) + ";")
    }
}

struct SQLPanelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "panel",
        abstract: "Print the SQL that computes the training panel (features and next month's events per customer and origin).",
        discussion: """
            For each origin (a month start) from FIRST to LAST, every customer with an event before it: customer_id, \
            origin, the features as of the origin (as `forecast sql features`) and next_month_events, the distinct \
            purchase days in the origin's month: the rows `forecast train` builds from a log. Write the result as CSV \
            and train on it with `forecast train --panel FILE`. --sample-customers keeps N customers, the same ones \
            in every engine (those whose md5(customer_id ":" seed) sorts first; PostgreSQL and Spark), through a \
            temporary view panel_transactions.
            Examples:
              forecast sql panel --dialect postgres --origins 2018-01-01..2019-11-01 > panel.sql
              psql -f panel.sql --csv -o panel.csv && forecast train --panel panel.csv --model gbm --name big
              forecast sql panel --dialect spark --origins 2018-01-01..2019-11-01 --sample-customers 200000
            """
    )

    @Option(help: "The engine: postgres, spark or sqlite.")
    var dialect: SQLDialect

    @Option(help: "The training origins, FIRST..LAST (month starts, e.g. 2018-01-01..2019-11-01): each month start in between.")
    var origins: String

    @Option(name: .customLong("from"), help: "The relation (table or view) with the transaction rows.")
    var relation = "transactions"

    @Flag(name: .customLong("with-products"), help: "Also product_breadth (the relation has product_id).")
    var withProducts = false

    @Option(name: .customLong("sample-customers"), help: "Keep only N customers (seeded, the same in every engine).")
    var sampleCustomers: Int?

    @Option(help: "The seed of --sample-customers.")
    var seed: UInt64 = 42

    /// The month starts of --origins.
    func originDays() throws -> [Int] {
        let ends = origins.components(separatedBy: "..")
        guard ends.count == 2, let first = CivilDate(iso: ends[0]), let last = CivilDate(iso: ends[1]), first.day == 1, last.day == 1, first <= last else {
            throw ValidationError("--origins must be FIRST..LAST, two month starts like 2018-01-01..2019-11-01, got '\(origins)'")
        }
        let days = TrainingPanel.origins(from: first, cutoff: last.firstOfMonth(adding: 1))
        guard days.count <= 600 else { throw ValidationError("--origins spans \(days.count) months; at most 600") }
        return days
    }

    func validate() throws {
        _ = try originDays()
        try validateRelation(relation, option: "--from")
        if let sampleCustomers, sampleCustomers < 1 { throw ValidationError("--sample-customers must be at least 1") }
        if sampleCustomers != nil, dialect == .sqlite { throw ValidationError(FeatureSQLError.noHashFunction.description) }
    }

    func run() throws {
        let statements = try FeatureSQL.panel(dialect, origins: try originDays(), from: relation, withProducts: withProducts,
                                              sample: sampleCustomers.map { ($0, seed) })
        print(statements.joined(separator: ";\n\n") + ";")
    }
}

struct SQLScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Print the SQL that scores every customer's features with a saved model, as `forecast predict` does.",
        discussion: """
            The SELECT reads a relation `features` (another with --features) holding customer_id and the model's \
            feature columns, as `forecast sql features` or `forecast features` write them, and returns customer_id, \
            expected_events and p_zero: the expected number of events in the month from --cutoff and the probability \
            of none, named as in `forecast predict` and equal to its figures within 1e-9. With --with-features the \
            script first creates a temporary view `features` from the transaction rows (--from), as of --cutoff.
            Compilable: zero, last30, hist_rate, ols, glm, gbm (each tree as nested CASE expressions), and blend or \
            auto models made of them; BG/NBD, Pareto/NBD and MBG/NBD are not (the error says why).
            Examples:
              forecast sql score --model default --dialect postgres --cutoff 2020-01-01 --with-features > score.sql
              forecast sql score --model churn@3 --dialect spark --cutoff 2020-01-01 --features shop.customer_features
            """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The saved model: NAME (its latest version) or NAME@VERSION.")
    var model: String

    @Option(help: "The engine: postgres, spark or sqlite.")
    var dialect: SQLDialect

    @Option(help: "The features' cutoff day (YYYY-MM-DD): the forecast is for the month from it (the baselines scale by its length).")
    var cutoff: String

    @Option(help: "The relation with the features.")
    var features = "features"

    @Flag(name: .customLong("with-features"), help: "Compute the features first, as a temporary view, from --from.")
    var withFeatures = false

    @Option(name: .customLong("from"), help: "With --with-features: the relation with the transaction rows.")
    var relation = "transactions"

    func validate() throws {
        _ = try ModelReference(parsing: model)
        _ = try cutoffDay(cutoff)
        try validateRelation(features, option: "--features")
        try validateRelation(relation, option: "--from")
        if withFeatures, features != "features" { throw ValidationError("--with-features creates the view `features`: leave out --features") }
    }

    func run() throws {
        let saved = try loadModel(model, from: storeOptions.modelStore)
        let day = try cutoffDay(cutoff)
        var script: [String] = []
        if withFeatures {
            let select = FeatureSQL.select(dialect, cutoff: day, from: relation, withProducts: saved.featureNames.contains(Feature.productBreadth.name),
                                           observedSince: saved.dataFirstDay)
            switch dialect {
            case .sqlite: script += ["DROP VIEW IF EXISTS temp.features", "CREATE TEMP VIEW features AS\n" + select]
            case .postgres, .spark: script.append("CREATE OR REPLACE TEMPORARY VIEW features AS\n" + select)
            }
        }
        script.append(try ScoreSQL.select(saved.saved.model, dialect: dialect, horizonDays: ForecastModel.horizonDays(from: day), from: features))
        print("-- \(saved.name)@\(saved.version) (\(saved.kind)), trained to \(saved.saved.training.asOf), scoring the month from \(cutoff)")
        print(script.joined(separator: ";\n\n") + ";")
    }
}

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

/// The day number of a `--cutoff` value.
private func cutoffDay(_ text: String) throws -> Int {
    guard let day = CivilDate(iso: text)?.dayNumber else { throw ValidationError("--cutoff must be a date like 2020-01-01, got '\(text)'") }
    return day
}

/// Refuses a relation name that is not a plain (optionally schema-qualified) identifier: it is pasted into the SQL.
private func validateRelation(_ name: String, option: String) throws {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    guard !parts.isEmpty, parts.allSatisfy({ part in !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
        throw ValidationError("\(option) must be a relation name like transactions or shop.sales, got '\(name)'")
    }
}
