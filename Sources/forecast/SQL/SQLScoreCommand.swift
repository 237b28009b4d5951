import ArgumentParser
import ForecastKit

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
        _ = try dayNumber(ofCutoff: cutoff)
        try validateRelation(features, option: "--features")
        try validateRelation(relation, option: "--from")
        if withFeatures, features != "features" { throw ValidationError("--with-features creates the view `features`: leave out --features") }
    }

    func run() throws {
        let saved = try loadModel(model, from: storeOptions.modelStore)
        let day = try dayNumber(ofCutoff: cutoff)
        var script = ScoreSQL.settings(saved.saved.model, dialect: dialect)
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
