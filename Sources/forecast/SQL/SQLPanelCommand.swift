import ArgumentParser
import Core
import Features

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

    @OptionGroup var log: SQLLogOptions

    @Option(help: "The training origins, FIRST..LAST (month starts, e.g. 2018-01-01..2019-11-01): each month start in between.")
    var origins: String

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
        try log.validate()
        if let sampleCustomers, sampleCustomers < 1 { throw ValidationError("--sample-customers must be at least 1") }
        if sampleCustomers != nil, log.dialect == .sqlite { throw ValidationError(FeatureSQLError.noHashFunction.description) }
    }

    func run() throws {
        let statements = try FeatureSQL.panel(log.dialect, origins: try originDays(), from: log.relation, withProducts: log.withProducts,
                                              sample: sampleCustomers.map { ($0, seed) })
        print(statements.joined(separator: ";\n\n") + ";")
    }
}
