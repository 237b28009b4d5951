import Attribution
import Foundation
import Testing

/// Journey `j`'s weights.
func weights(_ engine: any AttributionEngine, _ set: JourneySet) async throws -> [[Double]] {
    let w = try await engine.attribute(set).weights
    return (0..<set.count).map { Array(w[set.touchpoints($0)]) }
}

func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

@Suite("attribution engines: known values")
struct EngineTests {
    @Test func ruleBasedEngines() async throws {
        let set = journeys([[0, 1, 2], [3]])
        #expect(try await weights(FirstTouchEngine(), set) == [[1, 0, 0], [1]])
        #expect(try await weights(LastTouchEngine(), set) == [[0, 0, 1], [1]])
        #expect(close(try await weights(LinearEngine(), set)[0], [1.0 / 3, 1.0 / 3, 1.0 / 3]))
    }

    @Test func positionBasedDefinesOneAndTwoSessions() async throws {
        let w = try await weights(PositionBasedEngine(), journeys([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]))
        #expect(w[0] == [1])
        #expect(w[1] == [0.5, 0.5])
        #expect(close(w[2], [0.4, 0.2, 0.4]))
        #expect(close(w[3], [0.4, 0.1, 0.1, 0.4]))
    }

    @Test func timeDecayHalvesPerHalfLife() async throws {
        // Sessions 14, 7 and 0 days before the last: weights 1/4 : 1/2 : 1.
        var set = JourneySet(channels: ["A"])
        set.append(conversionID: "c", seconds: 15 * 86_400, revenue: 1, touchpoints: [0, 7, 14].map {
            .init(sessionID: "s\($0)", channel: 0, seconds: Int64($0) * 86_400)
        })
        let w = try await weights(TimeDecayEngine(halfLifeDays: 7), set)[0]
        #expect(close(w, [0.25 / 1.75, 0.5 / 1.75, 1 / 1.75]))
        // A long half-life tends to linear; a very old session does not underflow the others.
        #expect(close(try await weights(TimeDecayEngine(halfLifeDays: 1e12), set)[0], [1.0 / 3, 1.0 / 3, 1.0 / 3], 1e-9))
        #expect(try await weights(TimeDecayEngine(halfLifeDays: 0.001), set)[0][2] == 1)
    }

    /// Paths A>B>conv, A>null, B>conv: P(conv) = 2/3 * 1/2 + 1/3 = 2/3. Without A it is 1/3
    /// (removal effect 1/2); without B it is 0 (removal effect 1). Journey A>B splits 1/3 : 2/3.
    @Test func markovRemovalEffectsByHand() async throws {
        let set = journeys([[0, 1], [1]], nonConverting: [[0]])
        for order in [1, 2] {
            let effects = MarkovEngine(order: order).removalEffects(set)
            #expect(abs(effects[0] - 0.5) < 1e-12 && abs(effects[1] - 1) < 1e-12 && effects[2] == 0, "order \(order)")
            let w = try await weights(MarkovEngine(order: order), set)
            #expect(close(w[0], [1.0 / 3, 2.0 / 3]) && w[1] == [1])
        }
    }

    /// With loops (A>A>B) the chain still converges: order 1 sees A>A, order 2 tells (A,A) from (A).
    @Test func markovWithRepeatsAndHigherOrder() async throws {
        let set = journeys([[0, 0, 1], [0, 1], [2, 0]], nonConverting: [[0, 0], [2], [1, 2]])
        for order in 1...3 {
            let result = try await MarkovEngine(order: order).attribute(set)
            for j in 0..<set.count { #expect(abs(result.weights[set.touchpoints(j)].reduce(0, +) - 1) < 1e-12) }
            // The two A sessions of journey 0 share A's credit equally.
            #expect(abs(result.weights[0] - result.weights[1]) < 1e-15)
        }
        #expect(MarkovEngine(order: 2).name == "markov-2")
    }

    /// v(A) = 0.2, v(B) = 0.4, v(AB) = 1: phi_A = (0.2 + 0.6) / 2 = 0.4, phi_B = (0.4 + 0.8) / 2 = 0.6.
    @Test func shapleyValuesOfATwoPlayerGame() {
        let v: [UInt32: Double] = [0b01: 0.2, 0b10: 0.4, 0b11: 1]
        let phi = ShapleyEngine.shapleyValues(of: 0b11) { v[$0] ?? 0 }
        #expect(abs(phi[0]! - 0.4) < 1e-12 && abs(phi[1]! - 0.6) < 1e-12)
        // Efficiency on three players: the values sum to v(grand).
        let w: [UInt32: Double] = [1: 0.1, 2: 0.2, 4: 0.05, 3: 0.5, 5: 0.3, 6: 0.4, 7: 0.9]
        let three = ShapleyEngine.shapleyValues(of: 7) { w[$0] ?? 0 }
        #expect(abs(three.values.reduce(0, +) - 0.9) < 1e-12)
    }

    /// The coalition values are the conversion rates of the channel sets.
    @Test func shapleyEngineUsesConversionRates() async throws {
        // {A}: 1 of 2 paths convert; {B}: 1 of 4; {A,B}: 1 of 1. phi_A = (0.5 + 0.75)/2, phi_B = (0.25 + 0.5)/2.
        let set = journeys([[0], [1], [0, 1]], nonConverting: [[0], [1], [1], [1]])
        let w = try await weights(ShapleyEngine(), set)
        #expect(close(w[2], [0.625 / 1.0, 0.375 / 1.0]))
        // Without non-converting paths every seen set converts: equal split among channels.
        #expect(close(try await weights(ShapleyEngine(), journeys([[0, 1, 1]]))[0], [0.5, 0.25, 0.25]))
    }

    @Test func phaseModel() async throws {
        let engine = PhaseEngine()
        #expect(try await weights(engine, journeys([[0]]))[0] == [1])
        #expect(close(try await weights(engine, journeys([[0, 1]]))[0], [0.5, 0.5]))
        // Five sessions without flags, equal budgets: symmetric (initializer and closer mirror each other).
        // By hand: w0 = (1/1.875 + 0.1/3) / 3, w2 = (0.25/1.875 + 1.1/3 + 0.25/1.875) / 3.
        let five = try await weights(engine, journeys([[0, 1, 2, 3, 0]]))[0]
        #expect(abs(five.reduce(0, +) - 1) < 1e-12)
        #expect(abs(five[0] - five[4]) < 1e-12 && abs(five[1] - five[3]) < 1e-12)
        #expect(abs(five[0] - (1 / 1.875 + 0.1 / 3) / 3) < 1e-12 && abs(five[2] - (0.5 / 1.875 + 1.1 / 3) / 3) < 1e-12)
        // Holder engagement raises a middle session; an impression lowers it; closer engagement raises the last.
        func with(_ change: (inout JourneySet) -> Void) async throws -> [Double] {
            var set = journeys([[0, 1, 2, 3, 0]])
            change(&set)
            return try await weights(engine, set)[0]
        }
        #expect(try await with { $0.holderEngagement[2] = true }[2] > five[2])
        #expect(try await with { $0.impressionInteraction[2] = true }[2] < five[2])
        #expect(try await with { $0.closerEngagement[4] = true }[4] > five[4])
        // Phase weights add up to the session weights.
        var flagged = journeys([[0, 1, 2, 3, 0]])
        flagged.holderEngagement[1] = true
        flagged.impressionInteraction[0] = true
        let phases = engine.phaseWeights(journey: 0, of: flagged)
        #expect(close(phases.map { $0.initializer + $0.holder + $0.closer }, try await weights(engine, flagged)[0]))
        // Budgets: all to the closer phase makes the last session the big winner.
        #expect(try await weights(PhaseEngine(initializer: 0, holder: 0, closer: 1), journeys([[0, 1, 2]]))[0][2] > 0.7)
    }

    @Test func everyEngineSumsToOneOnGeneratedData() async throws {
        let db = try generatedDatabase(users: 800)
        _ = try JourneyStep.run(db, range: .all, lookbackDays: nil)
        let set = try AttributeStep.journeys(db, range: .all)
        #expect(set.count > 200 && !set.nonConverting.isEmpty)
        for engine in EngineCatalog.comparisonSet() {
            let result = try await engine.attribute(set)
            #expect(try AttributeStep.validate(result, set) <= 1e-9, "\(engine.name)")
            #expect(result.weights.allSatisfy { $0 >= 0 && $0 <= 1 + 1e-12 })
            // Deterministic: the same weights twice.
            #expect(try await engine.attribute(set).weights == result.weights, "\(engine.name)")
        }
    }

    @Test func emptyJourneysGiveNoWeights() async throws {
        let empty = JourneySet(channels: ["A"])
        for engine in EngineCatalog.comparisonSet() {
            #expect(try await engine.attribute(empty).weights.isEmpty)
        }
    }
}
