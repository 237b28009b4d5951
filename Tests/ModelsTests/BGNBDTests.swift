import Core
import Foundation
import TestSupport
import Testing
@testable import Features
@testable import Ingestion
@testable import Models

@Suite("BG/NBD")
struct BGNBDTests {
    /// Fader, Hardie & Lee (2005) on the CDNOW sample, 39 calibration weeks, weekly units:
    /// r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: SharedData.cdnowSample)))
    func reproducesThePublishedFit() throws {
        let log = try TransactionIngest.flat(path: SharedData.cdnowSample, mapping: KnownLayout.cdnowSample.mapping!).log
        let cutoff = CivilDate(year: 1997, month: 10, day: 1).dayNumber
        let weeks = RepeatHistory.histories(EventLog(log), cutoff: cutoff).map { RepeatHistory(x: $0.x, tx: $0.tx / 7, T: $0.T / 7) }
        #expect(weeks.count == 2357)
        #expect(weeks.reduce(0) { $0 + $1.x } == 2457)  // repeat transactions in calibration
        var model = BGNBD()
        try model.fit(histories: weeks)
        let p = try #require(model.parameters)
        #expect(abs(p.r - 0.243) < 0.0005 && abs(p.alpha - 4.414) < 0.0005 && abs(p.a - 0.793) < 0.0005 && abs(p.b - 2.426) < 0.0005,
                "\(p)")
        #expect(abs(model.logLikelihood - -9582.4) < 0.05, "\(model.logLikelihood)")
        // The holdout forecast: sum of E[X(39) | history] = 1,653.4 in the reference run.
        let expected = weeks.reduce(0) { $0 + BGNBD.conditionalExpectation(p, $1, horizon: 39) }
        #expect(abs(expected - 1653.4) < 0.5, "\(expected)")
    }

    @Test func conditionalExpectationOfThePaper() {
        let p = BGNBD.Parameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        let e = BGNBD.conditionalExpectation(p, RepeatHistory(x: 2, tx: 30.43, T: 38.86), horizon: 39)
        #expect(abs(e - 1.226) < 0.0005, "\(e)")
    }

    @Test func gradientMatchesFiniteDifferences() {
        let p = BGNBD.Parameters(r: 0.7, alpha: 3.1, a: 0.9, b: 2.2)
        for h in [RepeatHistory(x: 0, tx: 0, T: 20), RepeatHistory(x: 5, tx: 12, T: 30)] {
            let analytic = BGNBD.logLikelihood(p, h).gradient
            let step = 1e-6
            let numeric: [Double] = (0..<4).map { k in
                var up = [p.r, p.alpha, p.a, p.b], down = up
                up[k] += step; down[k] -= step
                func ll(_ v: [Double]) -> Double { BGNBD.logLikelihood(.init(r: v[0], alpha: v[1], a: v[2], b: v[3]), h).value }
                return (ll(up) - ll(down)) / (2 * step)
            }
            for k in 0..<4 { #expect(abs(analytic[k] - numeric[k]) < 1e-6 * max(1, abs(numeric[k])), "\(k): \(analytic[k]) vs \(numeric[k])") }
        }
    }

    @Test func edgeCasesStayFinite() throws {
        // Nobody repeats; and one customer with thousands of purchases.
        var model = BGNBD(penalty: 0.001)
        try model.fit(histories: (0..<50).map { RepeatHistory(x: 0, tx: 0, T: Double(10 + $0)) })
        #expect(model.parameters.map { [$0.r, $0.alpha, $0.a, $0.b].allSatisfy { $0.isFinite && $0 > 0 } } == true)
        let p = BGNBD.Parameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        let heavy = BGNBD.conditionalExpectation(p, RepeatHistory(x: 3000, tx: 38, T: 39), horizon: 4)
        #expect(heavy.isFinite && heavy > 0)
        let gone = BGNBD.conditionalExpectation(p, RepeatHistory(x: 3000, tx: 1, T: 39), horizon: 4)
        #expect(gone.isFinite && gone >= 0 && gone < 1e-6)
        #expect(BGNBD.logLikelihood(p, RepeatHistory(x: 3000, tx: 38, T: 39)).value.isFinite)
        // a + b < 1 is allowed.
        let small = BGNBD.Parameters(r: 0.5, alpha: 2, a: 0.3, b: 0.4)
        #expect(BGNBD.conditionalExpectation(small, RepeatHistory(x: 2, tx: 5, T: 10), horizon: 4).isFinite)
    }

    @Test func digammaKnownValues() {
        #expect(abs(SpecialFunctions.digamma(1) - -0.5772156649015329) < 1e-12)
        #expect(abs(SpecialFunctions.digamma(0.5) - (-0.5772156649015329 - 2 * log(2.0))) < 1e-12)
        #expect(abs(SpecialFunctions.digamma(10) - 2.251752589066721) < 1e-12)
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        #expect(abs(SpecialFunctions.hypergeometric2F1(1, 1, 2, 0.5) - 2 * log(2.0)) < 1e-12)
    }
}
