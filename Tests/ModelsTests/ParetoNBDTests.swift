import Core
import Foundation
import TestSupport
import Testing
@testable import Features
@testable import Ingestion
@testable import Models

@Suite("Pareto/NBD")
struct ParetoNBDTests {
    static func sampleWeeks() throws -> [RepeatHistory] {
        let log = try TransactionIngest.flat(path: SharedData.cdnowSample, mapping: KnownLayout.cdnowSample.mapping!).log
        let cutoff = CivilDate(year: 1997, month: 10, day: 1).dayNumber
        return RepeatHistory.histories(EventLog(log), cutoff: cutoff).map { RepeatHistory(x: $0.x, tx: $0.tx / 7, T: $0.T / 7) }
    }

    /// docs/evaluation.md (Fader & Hardie; lifetimes): r = 0.553, alpha = 10.578, s = 0.606,
    /// beta = 11.669, LL = -9595.0 on the CDNOW sample in weeks; holdout forecast 1,665.5.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: SharedData.cdnowSample)))
    func reproducesThePublishedFit() throws {
        let weeks = try Self.sampleWeeks()
        var model = ParetoNBD()
        try model.fit(histories: weeks)
        let p = try #require(model.parameters)
        #expect(abs(p.r - 0.553) < 0.0005 && abs(p.alpha - 10.578) < 0.0005 && abs(p.s - 0.606) < 0.0005 && abs(p.beta - 11.669) < 0.0005,
                "\(p)")
        #expect(abs(model.logLikelihood - -9595.0) < 0.05, "\(model.logLikelihood)")
        let expected = weeks.reduce(0) { $0 + ParetoNBD.conditionalExpectation(p, $1, horizon: 39) }
        #expect(abs(expected - 1665.5) < 0.5, "\(expected)")
    }

    @Test func gradientMatchesFiniteDifferences() {
        // Both branches (alpha >= beta and alpha < beta), no repeats, and t_x = T.
        for p in [ParetoNBD.Parameters(r: 0.6, alpha: 11, s: 0.7, beta: 9), ParetoNBD.Parameters(r: 1.4, alpha: 8, s: 1.3, beta: 12)] {
            for h in [RepeatHistory(x: 0, tx: 0, T: 20), RepeatHistory(x: 5, tx: 12, T: 30), RepeatHistory(x: 2, tx: 30, T: 30)] {
                let analytic = ParetoNBD.logLikelihood(p, h).gradient  // with respect to log parameters
                let step = 1e-6
                for k in 0..<4 {
                    func ll(_ d: Double) -> Double {
                        var v = [p.r, p.alpha, p.s, p.beta]
                        v[k] *= exp(d)
                        return ParetoNBD.logLikelihood(.init(r: v[0], alpha: v[1], s: v[2], beta: v[3]), h).value
                    }
                    let numeric = (ll(step) - ll(-step)) / (2 * step)
                    #expect(abs(analytic[k] - numeric) < 1e-6 * max(1, abs(numeric)), "\(p) \(h) \(k): \(analytic[k]) vs \(numeric)")
                }
            }
        }
    }

    @Test func hypergeometricAgreesWithThePlainSeries() {
        // Euler's transformation must not change the value: compare with the direct series where both converge.
        for (a, b, c, z) in [(2.5, 1.6, 3.5, 0.3), (1.2, 0.4, 2.2, 0.7), (3.0, 2.0, 4.0, 0.9)] {
            let direct = SpecialFunctions.hypergeometric2F1(a, b, c, z)
            let viaDual = exp(SpecialFunctions.logHypergeometric2F1(Dual(a), Dual(b), Dual(c), Dual(z))!.value)
            #expect(abs(direct - viaDual) < 1e-11 * direct, "\(a) \(b) \(c) \(z): \(direct) vs \(viaDual)")
        }
    }

    @Test func quadratureAgreesWithTheSeries() {
        // The fallback for z near 1 must give the same term (value and gradient) where both work.
        for p in [ParetoNBD.Parameters(r: 0.6, alpha: 11, s: 0.7, beta: 9), ParetoNBD.Parameters(r: 1.4, alpha: 8, s: 1.3, beta: 12)] {
            for h in [RepeatHistory(x: 0, tx: 0, T: 20), RepeatHistory(x: 5, tx: 12, T: 30)] {
                let r = Dual(p.r, SIMD4(p.r, 0, 0, 0)), alpha = Dual(p.alpha, SIMD4(0, p.alpha, 0, 0))
                let s = Dual(p.s, SIMD4(0, 0, p.s, 0)), beta = Dual(p.beta, SIMD4(0, 0, 0, p.beta))
                let series = ParetoNBD.logTerms(r, alpha, s, beta, h).1!
                let quadrature = s.log() + ParetoNBD.logDeathIntegral(r + h.x, alpha, s, beta, from: h.tx, to: h.T)
                #expect(abs(series.value - quadrature.value) < 1e-9, "\(series.value) vs \(quadrature.value)")
                for k in 0..<4 { #expect(abs(series.gradient[k] - quadrature.gradient[k]) < 1e-7, "\(k)") }
            }
        }
    }

    @Test func degenerateDataFinishQuickly() throws {
        // Customers who never stop buying push beta to infinity (z -> 1); the fit must end.
        let steady = (0..<200).map { i in RepeatHistory(x: Double(3 + i % 5), tx: 100 - Double(i % 3), T: 100) }
        var model = ParetoNBD()
        let began = Date()
        try model.fit(histories: steady)
        #expect(Date().timeIntervalSince(began) < 30)
        let p = try #require(model.parameters)
        #expect([p.r, p.alpha, p.s, p.beta].allSatisfy { $0.isFinite && $0 > 0 })
        #expect(model.logLikelihood.isFinite)
    }

    @Test func edgeCasesStayFinite() throws {
        var model = ParetoNBD(penalty: 0.001)
        try model.fit(histories: (0..<50).map { RepeatHistory(x: 0, tx: 0, T: Double(10 + $0)) })
        #expect(model.parameters.map { [$0.r, $0.alpha, $0.s, $0.beta].allSatisfy { $0.isFinite && $0 > 0 } } == true)
        let p = ParetoNBD.Parameters(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669)
        for h in [RepeatHistory(x: 3000, tx: 38, T: 39), RepeatHistory(x: 3000, tx: 1, T: 39), RepeatHistory(x: 0, tx: 0, T: 0.5)] {
            #expect(ParetoNBD.logLikelihood(p, h).value.isFinite)
            let e = ParetoNBD.conditionalExpectation(p, h, horizon: 4)
            #expect(e.isFinite && e >= 0)
        }
        #expect(ParetoNBD.conditionalExpectation(p, RepeatHistory(x: 3000, tx: 1, T: 39), horizon: 4) < 1e-6)
        let sOne = ParetoNBD.Parameters(r: 0.5, alpha: 10, s: 1, beta: 10)
        #expect(ParetoNBD.conditionalExpectation(sOne, RepeatHistory(x: 2, tx: 5, T: 10), horizon: 4).isFinite)
    }

    @Test func predictiveDistributionsSumToOneAndMatchTheMean() {
        let pareto = ParetoNBD.Parameters(r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669)
        let bg = BGNBD.Parameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        for h in [RepeatHistory(x: 0, tx: 0, T: 30), RepeatHistory(x: 4, tx: 30, T: 38), RepeatHistory(x: 10, tx: 10, T: 38)] {
            let pmf = (0...400).map { ParetoNBD.probability(pareto, h, horizon: 39, count: $0) }
            let mean = pmf.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
            #expect(abs(pmf.reduce(0, +) - 1) < 1e-6)
            #expect(abs(mean - ParetoNBD.conditionalExpectation(pareto, h, horizon: 39)) < 1e-4 * max(1, mean), "\(h)")
            let bgPmf = BGNBD.probabilities(bg, h, horizon: 39, upTo: 400)
            let bgMean = bgPmf.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
            #expect(abs(bgPmf.reduce(0, +) - 1) < 1e-6)
            #expect(abs(bgMean - BGNBD.conditionalExpectation(bg, h, horizon: 39)) < 1e-6 * max(1, bgMean), "\(h)")
        }
    }
}
