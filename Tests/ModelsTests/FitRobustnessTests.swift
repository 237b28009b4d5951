import Core
import Foundation
import Synchronization
import Testing
@testable import Features
@testable import Ingestion
@testable import Models

/// Every model's fit, on any log, ends in finite answers or in a typed error: property tests
/// over seeded random logs of the shapes that used to crash or poison fits (``LogShape``).
@Suite("Fit robustness")
struct FitRobustnessTests {
    /// Random logs per shape. Each runs every model of the catalog, the blend included, the
    /// way the backtest does; about a second per seed in a release build.
    static let seedsPerShape: UInt64 = 5

    /// What one model did on one log.
    enum Outcome: Equatable {
        case fitted
        case refused(String)
    }

    /// Fits `model` as the backtest does at `log.cutoff` (panel from the first month start after
    /// the log's first day), then checks predict and predictive. Returns the outcome; records
    /// an issue for a non-finite or invalid answer or an untyped error.
    static func run(_ template: any Forecaster, on log: GeneratedLog, panel: TrainingPanel?, context: String) -> Outcome {
        var model = template
        let c = log.cutoff.dayNumber
        do {
            try model.fit(panel: model.needsTrainingPanel ? panel : nil, events: log.events, cutoff: c)
        } catch let error as ModelFitError {
            return .refused(Self.kind(of: error))
        } catch {
            Issue.record("\(context): \(model.name) threw an untyped error: \(error)")
            return .refused("untyped")
        }
        let features = log.events.features(asOf: c)
        let horizon = MonthHorizon.daysToNextMonthStart(from: c)
        do {
            let predicted = try model.predict(features, horizonDays: horizon)
            #expect(predicted.count == features.rowCount, "\(context): \(model.name)")
            #expect(predicted.allSatisfy { $0.isFinite && $0 >= 0 }, "\(context): \(model.name) predicted \(predicted.filter { !($0.isFinite && $0 >= 0) }.prefix(3))")
            let summaries = try model.predictive(features, horizonDays: horizon)
            #expect(summaries.count == features.rowCount)
            for s in summaries where !(s.expected.isFinite && s.expected >= 0 && s.probabilityOfZero >= -1e-9 && s.probabilityOfZero <= 1 + 1e-9
                                       && s.interval80.lowerBound >= 0) {
                Issue.record("\(context): \(model.name) gave the predictive summary \(s)")
                break
            }
            let parameters = model.describe().parameters
            #expect(parameters.values.allSatisfy { $0.isFinite }, "\(context): \(model.name) parameters \(parameters.filter { !$0.value.isFinite })")
        } catch {
            Issue.record("\(context): \(model.name) fitted, then predict threw \(error)")
        }
        return .fitted
    }

    /// The case of a fit error, for the tallies.
    static func kind(of error: ModelFitError) -> String {
        String(describing: error).split(separator: ":").first.map(String.init) ?? "?"
    }

    /// The backtest's panel for a log: origins from the first month start after its first day.
    static func panel(_ log: GeneratedLog) -> TrainingPanel {
        let origin = CivilDate(dayNumber: log.events.firstDay).firstOfMonth(adding: 1)
        return TrainingPanel(events: log.events, origins: TrainingPanel.origins(from: origin, cutoff: log.cutoff))
    }

    @Test(arguments: LogShape.allCases)
    func everyModelEndsFiniteOrInATypedError(shape: LogShape) {
        var tally: [String: [String: Int]] = [:]
        var seconds: [String: Double] = [:]
        let began = Date()
        for seed in 0..<Self.seedsPerShape {
            let log = LogGenerator.log(shape, seed: seed)
            let panel = Self.panel(log)
            for entry in ModelCatalog.entries {
                let context = "\(shape) seed \(seed) (\(log.events.customerCount) customers, \(log.events.eventCount) events, cutoff \(log.cutoff))"
                let start = Date()
                let outcome = Self.run(entry.make(), on: log, panel: panel, context: context)
                seconds[entry.name, default: 0] += Date().timeIntervalSince(start)
                let key: String
                switch outcome {
                case .fitted: key = "fitted"
                case .refused(let why): key = why
                }
                tally[entry.name, default: [:]][key, default: 0] += 1
            }
        }
        let line = ModelCatalog.names.map { name in
            "\(name) (\(String(format: "%.1f", seconds[name] ?? 0)) s) " + (tally[name] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ",")
        }
        print("\(shape) (\(String(format: "%.1f", Date().timeIntervalSince(began))) s): " + line.joined(separator: "; "))
    }

    /// Nobody bought twice: the repeat-buying models say so, and the blend fits without them.
    @Test func everyoneBuysOnceIsRefusedByName() throws {
        var g = LogGenerator(seed: 5)
        let start = CivilDate(year: 2018, month: 1, day: 1).dayNumber
        for _ in 0..<120 { let c = g.customer(); g.buy(c, day: start + g.random.below(400)) }
        let log = GeneratedLog(events: g.events(), cutoff: CivilDate(year: 2019, month: 3, day: 1))
        let histories = RepeatHistory.histories(log.events, cutoff: log.cutoff.dayNumber)
        var bg = BGNBD()
        #expect(throws: ModelFitError.noRepeatPurchases(model: "bgnbd", customers: 120)) { try bg.fit(histories: histories) }
        var pareto = ParetoNBD()
        #expect(throws: ModelFitError.noRepeatPurchases(model: "paretonbd", customers: 120)) { try pareto.fit(histories: histories) }

        var blend = Blend()
        let reports = Mutex<[(String, TrainingLogEntry)]>([])
        try blend.fit(panel: Self.panel(log), events: log.events, cutoff: log.cutoff.dayNumber) { name, entry in
            reports.withLock { $0.append((name, entry)) }
        }
        #expect(blend.dropped.map(\.name) == ["paretonbd", "bgnbd", "mbgnbd"])
        #expect(blend.dropped.allSatisfy { $0.reason.contains("repeat purchase") })
        #expect(blend.componentNames == ["glm", "gbm"] && blend.weights.count == 2)
        let notes = blend.describe().notes
        #expect(notes.contains { $0.hasPrefix("paretonbd dropped at the weighting origin") })
        #expect(notes.contains { $0.hasPrefix("bgnbd dropped at the weighting origin") })
        #expect(blend.describe().parameters["weight_bgnbd"] == nil && blend.describe().parameters["weight_glm"] != nil)
        #expect(blend.trainingLog.prefix(3).map(\.metrics) == [["dropped_paretonbd": 1], ["dropped_bgnbd": 1], ["dropped_mbgnbd": 1]])
        #expect(reports.withLock { $0 }.contains { $0.0 == "blend" && $0.1.metrics["dropped_bgnbd"] == 1 })
        let predicted = try blend.predict(log.events.features(asOf: log.cutoff.dayNumber), horizonDays: 31)
        #expect(predicted.allSatisfy { $0.isFinite && $0 >= 0 })

        // Saved and loaded, the blend keeps what it dropped.
        let data = try JSONEncoder().encode(blend)
        let decoded = try JSONDecoder().decode(Blend.self, from: data)
        #expect(decoded.dropped == blend.dropped && decoded.weights == blend.weights && decoded.componentNames == ["glm", "gbm"])
        // Fitted again, it tries every component it was given.
        var again = blend
        try again.fit(panel: Self.panel(log), events: log.events, cutoff: log.cutoff.dayNumber)
        #expect(again.dropped.map(\.name) == ["paretonbd", "bgnbd", "mbgnbd"])

        // With only repeat-buying models, nothing is left: one reason per component.
        var hopeless = Blend(components: [BGNBD(), ParetoNBD()])
        #expect {
            try hopeless.fit(panel: Self.panel(log), events: log.events, cutoff: log.cutoff.dayNumber)
        } throws: { error in
            guard case ModelFitError.allComponentsFailed(let model, let reasons) = error else { return false }
            return model == "blend" && reasons.count == 2 && reasons[0].hasPrefix("bgnbd dropped") && reasons[1].hasPrefix("paretonbd dropped")
        }
    }

    /// A blend whose components all fit saves no `dropped` member; it says which months it
    /// weighed on (here the last two, as the panel does not reach a year before the scored month).
    @Test func aBlendWithoutDropsSavesNoDroppedMember() throws {
        let log = LogGenerator.log(.datesWithoutTimes, seed: 3)
        var blend = Blend(components: [PoissonRegression(), HistoricalRateForecaster()], weightOrigins: 2)
        try blend.fit(panel: Self.panel(log), events: log.events, cutoff: log.cutoff.dayNumber)
        #expect(blend.dropped.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(blend)) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["componentNames", "weightOrigins", "components", "weights", "objectiveTrace", "weightingMonths"]))
        #expect(object["dropped"] == nil)
        #expect(blend.weightingMonths.count == 2)
        #expect(blend.describe().notes.count == 1 && blend.describe().notes[0].hasPrefix("weights fitted out of sample on the months "))
    }

    /// One customer is too few for four parameters; a panel with one origin too few for a blend.
    @Test func tooLittleDataIsRefusedByName() throws {
        var bg = BGNBD()
        #expect(throws: ModelFitError.tooFewCustomers(model: "bgnbd", customers: 1, minimum: 4)) {
            try bg.fit(histories: [RepeatHistory(x: 3, tx: 20, T: 40)])
        }
        var g = LogGenerator(seed: 1)
        let start = CivilDate(year: 2019, month: 1, day: 10).dayNumber
        for _ in 0..<30 { let c = g.customer(); g.buy(c, day: start + g.random.below(20)); g.buy(c, day: start + 20 + g.random.below(20)) }
        let log = GeneratedLog(events: g.events(), cutoff: CivilDate(year: 2019, month: 3, day: 1))
        #expect(Self.panel(log).origins.count == 1)
        var blend = Blend()
        #expect(throws: ModelFitError.tooFewOrigins(model: "blend", origins: 1, minimum: 2)) {
            try blend.fit(panel: Self.panel(log), events: log.events, cutoff: log.cutoff.dayNumber)
        }
    }
}

@Suite("Numerics at their edges")
struct NumericEdgeTests {
    @Test func specialFunctionsAreTotal() {
        #expect(SpecialFunctions.digamma(0).isNaN && SpecialFunctions.digamma(-2).isNaN && SpecialFunctions.digamma(.nan).isNaN)
        #expect(SpecialFunctions.digamma(-.infinity).isNaN)
        #expect(SpecialFunctions.digamma(.infinity) == .infinity)
        #expect(abs(SpecialFunctions.digamma(-0.5) - 0.03648997397857652) < 1e-12)
        #expect(SpecialFunctions.digamma(.leastNonzeroMagnitude) == -.infinity)
        // ₂F₁(1, 1; 3; 1) = Γ(3)Γ(1) / (Γ(2)Γ(2)) = 2; divergent at z = 1 when c ≤ a + b.
        #expect(abs(SpecialFunctions.hypergeometric2F1(1, 1, 3, 1) - 2) < 1e-12)
        #expect(SpecialFunctions.hypergeometric2F1(1, 1, 2, 1) == .infinity)
        #expect(SpecialFunctions.hypergeometric2F1(1, 1, 2, 1.5).isNaN && SpecialFunctions.hypergeometric2F1(1, 1, 2, .nan).isNaN)
        let one = Dual(1, SIMD4(1, 0, 0, 0))
        #expect(SpecialFunctions.logHypergeometric2F1(one, one, one + 1, Dual(1)) == nil)
        #expect(SpecialFunctions.logHypergeometric2F1(one, one, one + 1, Dual(.nan)) == nil)
        #expect(Dual(0, SIMD4(1, 0, 0, 0)).logGamma().gradient[0].isNaN)
    }

    @Test func bfgsRefusesAnUnusableStartAndStaysInItsBox() throws {
        #expect(throws: BFGS.Failure.self) { try BFGS.minimize({ _ in (.nan, [0]) }, start: [0]) }
        #expect(throws: BFGS.Failure.self) { try BFGS.minimize({ x in (x[0], [.infinity]) }, start: [0]) }
        let (empty, iterations) = try BFGS.minimize({ _ in (0, []) }, start: [])
        #expect(empty.isEmpty && iterations == 0)
        // Unbounded below: the minimiser stops at the box's edge with a finite point.
        let (x, _) = try BFGS.minimize({ x in (x[0] + x[1] * x[1], [1, 2 * x[1]]) }, start: [0, 3], bound: 30)
        #expect(x.allSatisfy { $0.isFinite && abs($0) <= 30 } && x[0] < -29 && abs(x[1]) < 3)
        // An objective that is NaN beyond a point is never accepted there.
        let (y, _) = try BFGS.minimize({ x in x[0] < -5 ? (.nan, [.nan]) : (x[0], [1]) }, start: [0])
        #expect(y[0] >= -5)
    }

    @Test func probabilitiesTakeAnyHorizonAndCount() {
        let p = ParetoNBD.Parameters(r: 0.5, alpha: 10, s: 0.6, beta: 12)
        let h = RepeatHistory(x: 2, tx: 10, T: 20)
        #expect(ParetoNBD.probabilities(p, h, horizon: 30, upTo: -1).isEmpty)
        #expect(ParetoNBD.probability(p, h, horizon: 30, count: -3) == 0)
        #expect(ParetoNBD.probabilities(p, h, horizon: -5, upTo: 3).count == 4)
        #expect(abs(ParetoNBD.probabilities(p, h, horizon: 0, upTo: 0)[0] - 1) < 1e-12)
        #expect(BGNBD.probabilities(.init(r: 0.2, alpha: 4, a: 0.8, b: 2.4), h, horizon: 30, upTo: -1).isEmpty)
    }
}
