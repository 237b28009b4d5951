import Core
import Features
import Foundation
import GRDB
import Ingestion
import TestSupport
import Testing
@testable import Models

/// Saved models compiled to SQL (`ScoreSQL`) against their Swift predictions, run in SQLite:
/// the expected count and P(0) of every customer within 1e-9, for every compilable kind.
@Suite("Models as SQL")
struct ScoreSQLTests {
    static let cutoff = CivilDate(year: 2019, month: 1, day: 1).dayNumber

    /// The generated log's events, its training panel for `cutoff` and the features as of it.
    static let data: (events: EventLog, panel: TrainingPanel, features: FeatureMatrix, ids: [String]) = {
        let log = makeLog(SeededPurchases.rows(customers: 600, seed: 11))
        let events = EventLog(log)
        let origins = TrainingPanel.origins(from: CivilDate(year: 2017, month: 2, day: 1), cutoff: CivilDate(dayNumber: cutoff))
        return (events, TrainingPanel(events: events, origins: origins), events.features(asOf: cutoff), log.customerIDs)
    }()

    /// The features in an SQLite table `features` (NULL for NaN), as `forecast sql features` gives them.
    static func database(_ m: FeatureMatrix, ids: [String]) throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE features (customer_id TEXT, \(m.names.map { "\($0) REAL" }.joined(separator: ", ")))")
            let insert = try db.makeStatement(sql: "INSERT INTO features VALUES (?\(String(repeating: ", ?", count: m.names.count)))")
            for r in 0..<m.rowCount {
                let values: [(any DatabaseValueConvertible)?] = [ids[Int(m.customers[r])]] + m.columns.map { $0[r].isNaN ? nil : $0[r] }
                try insert.execute(arguments: StatementArguments(values))
            }
        }
        return db
    }

    static func fitted(_ model: any Forecaster) throws -> any Forecaster {
        var m = model
        try m.fit(panel: data.panel, events: data.events, cutoff: cutoff)
        return m
    }

    static func models() throws -> [any Forecaster] {
        var booster = GradientBoosting()
        booster.settings.maxTrees = 60
        booster.settings.minDataInLeaf = 20
        return try [ZeroForecaster(), RecentActivityForecaster(), HistoricalRateForecaster(), LogLinearRegression(), PoissonRegression(),
                    booster, Blend(components: [PoissonRegression(), booster, RecentActivityForecaster()], weightOrigins: 4),
                    AutoForecaster(candidates: [HistoricalRateForecaster(), PoissonRegression()], weightOrigins: 3, selectionOrigins: 2)]
            .map(fitted)
    }

    @Test(arguments: [31, 45])
    func everyCompilableKindScoresAsSwift(horizonDays: Int) throws {
        let m = Self.data.features
        let db = try Self.database(m, ids: Self.data.ids)
        for model in try Self.models() {
            let want = try model.predictive(m, horizonDays: horizonDays)
            let sql = try ScoreSQL.select(model, dialect: .sqlite, horizonDays: horizonDays)
            let rows = try db.read { db in try Row.fetchAll(db, sql: sql) }
            #expect(rows.count == m.rowCount && m.rowCount > 400, "\(model.name)")
            #expect(rows.first.map { Array($0.columnNames) } == ["customer_id", "expected_events", "p_zero"])
            var rowOf: [String: Int] = [:]
            for (i, c) in m.customers.enumerated() { rowOf[Self.data.ids[Int(c)]] = i }
            var mismatches = 0
            for row in rows {
                guard let i = rowOf[row[0]] else { Issue.record("\(model.name): unknown customer \(row[0] as String)"); continue }
                let expected: Double = row[1], pZero: Double = row[2]
                if abs(expected - want[i].expected) > 1e-9 * max(1e-12, abs(want[i].expected))
                    || abs(pZero - want[i].probabilityOfZero) > 1e-9 * max(1e-12, want[i].probabilityOfZero) {
                    mismatches += 1
                    if mismatches <= 3 { Issue.record("\(model.name) \(row[0] as String): \(expected), \(pZero) vs \(want[i].expected), \(want[i].probabilityOfZero)") }
                }
            }
            #expect(mismatches == 0, "\(model.name): \(mismatches) customers differ")
        }
    }

    /// The booster's SQL really takes every tree's path: a model with one leaf value changed
    /// scores differently for the customers that reach it.
    @Test func aChangedLeafIsSeen() throws {
        var booster = GradientBoosting()
        booster.settings.maxTrees = 20
        booster.settings.minDataInLeaf = 20
        let model = try Self.fitted(booster)
        let sql = try ScoreSQL.select(model, dialect: .sqlite, horizonDays: 31)
        let leaf = try #require((model as? GradientBoosting)?.trees.first?.leafValue.last)
        let changed = sql.replacingOccurrences(of: SQLDialect.sqlite.literal(leaf), with: SQLDialect.sqlite.literal(leaf + 0.25))
        #expect(changed != sql)
        let db = try Self.database(Self.data.features, ids: Self.data.ids)
        let a = try db.read { db in try Double.fetchAll(db, sql: "SELECT expected_events FROM (\(sql))") }
        let b = try db.read { db in try Double.fetchAll(db, sql: "SELECT expected_events FROM (\(changed))") }
        #expect(zip(a, b).contains { $0 != $1 })
    }

    /// The nested CASE form PostgreSQL and Spark get, run in SQLite on shallow trees (its parser stack
    /// overflows on deep nesting, which is why SQLite itself gets the flat form).
    @Test func theNestedFormScoresAsSwift() throws {
        var booster = GradientBoosting()
        booster.settings.maxTrees = 30
        booster.settings.maxLeaves = 6
        booster.settings.minDataInLeaf = 20
        let model = try #require(try Self.fitted(booster) as? GradientBoosting)
        let m = Self.data.features
        let want = try model.predict(m, horizonDays: 31)
        let expression = try model.expectedEventsSQL(.sqlite, nestedTrees: true) { "CAST(\($0) AS REAL)" }
        #expect(expression.contains("THEN CASE WHEN"))
        let db = try Self.database(m, ids: Self.data.ids)
        let got = try db.read { db in try Double.fetchAll(db, sql: "SELECT \(expression) FROM features") }
        #expect(got.count == want.count)
        #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-9 * $1 })
    }

    /// A damaged tree (from a hand-edited model file) is refused with what is wrong, in both forms, never followed
    /// around a cycle or out of its arrays.
    @Test(arguments: [true, false])
    func aDamagedTreeIsRefused(nested: Bool) {
        var cycle = RegressionTree()
        (cycle.feature, cycle.threshold, cycle.missingLeft, cycle.left, cycle.right, cycle.leafValue) = ([0], [1], [false], [-1], [0], [0.5])
        var feature = cycle
        feature.feature = [7]
        var leaf = cycle
        leaf.right = [-3]
        var ragged = cycle
        ragged.threshold = []
        for (tree, reason) in [(cycle, "a cycle"), (feature, "feature 7 of 2"), (leaf, "leaf 2 of 1"), (ragged, "different lengths")] {
            #expect {
                try tree.caseSQL(.postgres, nested: nested, featureCount: 2) { "x\($0)" }
            } throws: { error in
                (error as? ScoreSQL.UncompilableModel)?.description.contains(reason) == true
            }
        }
    }

    @Test func theProbabilisticModelsAreRefusedWithTheReason() throws {
        for model in [BGNBD(), ParetoNBD(), MBGNBD()] as [any Forecaster] {
            #expect {
                try ScoreSQL.select(model, dialect: .postgres, horizonDays: 31)
            } throws: { error in
                guard let e = error as? ScoreSQL.UncompilableModel else { return false }
                return e.kind == model.name && e.description.contains("cannot be compiled to SQL") && e.description.contains("2F1")
            }
        }
        let blend = try Self.fitted(Blend(components: [PoissonRegression(), BGNBD()], weightOrigins: 4))
        if let weights = (blend as? Blend)?.weights, weights.count == 2, weights[1] > 0 {
            #expect(throws: ScoreSQL.UncompilableModel.self) { try ScoreSQL.select(blend, dialect: .spark, horizonDays: 31) }
        }
    }

    /// PostgreSQL's JIT is turned off for models with trees (a booster is one huge expression), and only for them.
    @Test func jitIsOffForTreesInPostgres() throws {
        var booster = GradientBoosting()
        booster.settings.maxTrees = 5
        let models = try Self.models()
        let gbm = try Self.fitted(booster)
        #expect(ScoreSQL.settings(gbm, dialect: .postgres) == ["SET jit = off"])
        #expect(ScoreSQL.settings(gbm, dialect: .spark).isEmpty && ScoreSQL.settings(gbm, dialect: .sqlite).isEmpty)
        #expect(ScoreSQL.settings(PoissonRegression(), dialect: .postgres).isEmpty)
        let blend = try #require(models.first { $0.name == "blend" })
        #expect(ScoreSQL.settings(blend, dialect: .postgres) == ["SET jit = off"])
    }

    /// 500 trees are added as a balanced tree of `+` (Spark's analyzer overflowed its stack on a chain of 500).
    @Test func treesAreAddedAsABalancedSum() {
        let sum = GradientBoosting.balancedSum((0..<500).map { "t\($0)" })
        var depth = 0, deepest = 0
        for c in sum {
            if c == "(" { depth += 1; deepest = max(deepest, depth) } else if c == ")" { depth -= 1 }
        }
        #expect(depth == 0 && deepest == 9)
        #expect((0..<500).allSatisfy { sum.contains("t\($0))") || sum.contains("t\($0)\n") })
        #expect(GradientBoosting.balancedSum(["a"]) == "a")
    }

    @Test func anUnfittedModelIsNotFitted() {
        #expect(throws: ModelFitError.notFitted(model: "glm")) { try ScoreSQL.select(PoissonRegression(), dialect: .sqlite, horizonDays: 31) }
        #expect(throws: ModelFitError.notFitted(model: "gbm")) { try ScoreSQL.select(GradientBoosting(), dialect: .sqlite, horizonDays: 31) }
    }

    @Test func literalsReadBackExactly() throws {
        let db = try DatabaseQueue()
        for v in [0.1, -2.5e-7, 1e300, 123_456_789.125, 3.0, -0.0, 5e-324, 1.0 / 3] {
            let back = try db.read { db in try Double.fetchOne(db, sql: "SELECT \(SQLDialect.sqlite.literal(v))") }
            #expect(back == v, "\(v) -> \(SQLDialect.sqlite.literal(v))")
        }
        #expect(SQLDialect.postgres.literal(0.1) == "float8 '0.1'")
        #expect(SQLDialect.spark.literal(-2.5) == "(-2.5D)")
        #expect(SQLDialect.spark.literal(3) == "3.0D")
    }
}
