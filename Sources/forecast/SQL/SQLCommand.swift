import ArgumentParser
import Core

extension SQLDialect: ExpressibleByArgument {}

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the toolkit's computations as SQL for an engine that holds the data (PostgreSQL, Spark, SQLite).",
        subcommands: [SQLFeaturesCommand.self, SQLPanelCommand.self, SQLScoreCommand.self, SQLMartsCommand.self]
    )
}

/// The engine and the transaction rows that `sql features` and `sql panel` read.
struct SQLLogOptions: ParsableArguments {
    @Option(help: "The engine: postgres, spark or sqlite.")
    var dialect: SQLDialect

    @Option(name: .customLong("from"), help: "The relation (table or view) with the transaction rows.")
    var relation = "transactions"

    @Flag(name: .customLong("with-products"), help: "Also product_breadth (the relation has product_id).")
    var withProducts = false

    func validate() throws {
        try validateRelation(relation, option: "--from")
    }
}

/// The day number of a `--cutoff` value.
func dayNumber(ofCutoff text: String) throws -> Int {
    guard let day = CivilDate(iso: text)?.dayNumber else { throw ValidationError("--cutoff must be a date like 2020-01-01, got '\(text)'") }
    return day
}

/// Refuses a relation name that is not a plain (optionally schema-qualified) identifier: it is pasted into the SQL.
func validateRelation(_ name: String, option: String) throws {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    guard !parts.isEmpty, parts.allSatisfy({ part in !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
        throw ValidationError("\(option) must be a relation name like transactions or shop.sales, got '\(name)'")
    }
}
