import Core
import Foundation
import TestSupport
import Testing
@testable import Features
@testable import Ingestion
@testable import Models

@Suite("MBG/NBD")
struct MBGNBDTests {
    /// lifetimes' `ModifiedBetaGeoFitter` on the CDNOW sample in weeks (its test
    /// `test_params_out_is_close_to_BTYDplus`, the figures of BTYDplus): r = 0.525,
    /// alpha = 6.183, a = 0.891, b = 1.614 to three decimals; and its conditional expectation
    /// for (x = 2, t_x = 30.43, T = 38.86) over 39 weeks within 0.05 of 1.226.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: SharedData.cdnowSample)))
    func reproducesLifetimesFit() throws {
        let weeks = try ParetoNBDTests.sampleWeeks()
        var model = MBGNBD()
        try model.fit(histories: weeks)
        let p = try #require(model.parameters)
        #expect(abs(p.r - 0.525) < 0.0005 && abs(p.alpha - 6.183) < 0.0005 && abs(p.a - 0.891) < 0.0005 && abs(p.b - 1.614) < 0.0005,
                "\(p)")
        let e = MBGNBD.conditionalExpectation(p, RepeatHistory(x: 2, tx: 30.43, T: 38.86), horizon: 39)
        #expect(abs(e - 1.226) < 0.05, "\(e)")
    }

    @Test func gradientMatchesFiniteDifferences() {
        let p = MBGNBD.Parameters(r: 0.7, alpha: 3.1, a: 0.9, b: 2.2)
        for h in [RepeatHistory(x: 0, tx: 0, T: 20), RepeatHistory(x: 5, tx: 12, T: 30), RepeatHistory(x: 3, tx: 30, T: 30)] {
            let analytic = MBGNBD.logLikelihood(p, h).gradient
            let step = 1e-6
            let numeric: [Double] = (0..<4).map { k in
                var up = [p.r, p.alpha, p.a, p.b], down = up
                up[k] += step; down[k] -= step
                func ll(_ v: [Double]) -> Double { MBGNBD.logLikelihood(.init(r: v[0], alpha: v[1], a: v[2], b: v[3]), h).value }
                return (ll(up) - ll(down)) / (2 * step)
            }
            for k in 0..<4 { #expect(abs(analytic[k] - numeric[k]) < 1e-6 * max(1, abs(numeric[k])), "\(k): \(analytic[k]) vs \(numeric[k])") }
        }
    }

    /// The likelihood is a probability: over every (x, t_x) a customer observed for T time
    /// units can show... checked here through its parts: with a → 0 (nobody drops out) it is
    /// BG/NBD's likelihood of someone alive throughout, the NBD term alone.
    @Test func withoutDropOutItIsTheNBDLikelihood() {
        let p = MBGNBD.Parameters(r: 0.8, alpha: 4, a: 1e-12, b: 1)
        let h = RepeatHistory(x: 3, tx: 10, T: 20)
        let nbd = lgamma(p.r + h.x) - lgamma(p.r) + p.r * log(p.alpha) - (p.r + h.x) * log(p.alpha + h.T)
        #expect(abs(MBGNBD.logLikelihood(p, h).value - nbd) < 1e-9)
    }

    /// The predictive distribution sums to 1, its mean is the conditional expectation, and
    /// P(alive) is a probability that falls with time since the last purchase. Unlike BG/NBD,
    /// someone who never came back is not surely alive.
    @Test func distributionMatchesTheExpectationAndPAlive() {
        let p = MBGNBD.Parameters(r: 0.525, alpha: 6.183, a: 0.891, b: 1.614)
        for h in [RepeatHistory(x: 0, tx: 0, T: 30), RepeatHistory(x: 2, tx: 30.43, T: 38.86), RepeatHistory(x: 8, tx: 5, T: 40)] {
            let probabilities = MBGNBD.probabilities(p, h, horizon: 8, upTo: 400)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-6)
            let mean = probabilities.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
            let expected = MBGNBD.conditionalExpectation(p, h, horizon: 8)
            #expect(abs(mean - expected) < 1e-6 * max(1, expected), "\(h): \(mean) vs \(expected)")
        }
        let recent = MBGNBD.probabilityAlive(p, RepeatHistory(x: 4, tx: 38, T: 40))
        let lapsed = MBGNBD.probabilityAlive(p, RepeatHistory(x: 4, tx: 5, T: 40))
        #expect(recent > lapsed && lapsed > 0 && recent < 1)
        #expect(MBGNBD.probabilityAlive(p, RepeatHistory(x: 0, tx: 0, T: 10)) < 1)
        #expect(BGNBD.probabilityAlive(.init(r: 0.5, alpha: 6, a: 0.9, b: 1.6), RepeatHistory(x: 0, tx: 0, T: 10)) == 1)
    }

    @Test func edgeCasesStayFinite() throws {
        let p = MBGNBD.Parameters(r: 0.525, alpha: 6.183, a: 0.891, b: 1.614)
        for h in [RepeatHistory(x: 3000, tx: 38, T: 39), RepeatHistory(x: 3000, tx: 1, T: 39), RepeatHistory(x: 0, tx: 0, T: 0)] {
            let e = MBGNBD.conditionalExpectation(p, h, horizon: 4)
            #expect(e.isFinite && e >= 0)
            #expect(MBGNBD.logLikelihood(p, h).value.isFinite)
            let alive = MBGNBD.probabilityAlive(p, h)
            #expect(alive >= 0 && alive <= 1)
        }
        var model = MBGNBD(penalty: 0.001)
        try model.fit(histories: (0..<50).map { RepeatHistory(x: 0, tx: 0, T: Double(10 + $0)) })
        #expect(model.parameters.map { [$0.r, $0.alpha, $0.a, $0.b].allSatisfy { $0.isFinite && $0 > 0 } } == true)
    }
}
