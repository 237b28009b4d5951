import ArgumentParser
import Core
import Features

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

    @OptionGroup var log: SQLLogOptions

    @Option(help: "The cutoff day (YYYY-MM-DD): the features read only events before it.")
    var cutoff: String

    func validate() throws {
        _ = try dayNumber(ofCutoff: cutoff)
        try log.validate()
    }

    func run() throws {
        print(FeatureSQL.select(log.dialect, cutoff: try dayNumber(ofCutoff: cutoff), from: log.relation, withProducts: log.withProducts) + ";")
    }
}
