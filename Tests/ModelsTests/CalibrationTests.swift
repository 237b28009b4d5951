import Core
import Foundation
import Testing
@testable import Features
@testable import Models

@Suite("Seasonal calibration and dispersion")
struct CalibrationTests {
    static func months(from year: Int, count: Int, ratio: (Int, Int) -> Double) -> [SeasonalCalibration.Month] {
        (0..<count).map { k in
            let date = CivilDate(year: year, month: 1, day: 1).firstOfMonth(adding: k)
            return SeasonalCalibration.Month(month: String(date.description.prefix(7)), actual: 1000 * ratio(k, date.month), forecast: 1000)
        }
    }

    /// A model that misses November by 1.6x and December by 2x, every year, and is right
    /// otherwise: the factors learned from two years say so, and the validation keeps them.
    @Test func learnsTheSeasonOfAStationaryModel() {
        let months = Self.months(from: 2017, count: 30) { _, m in m == 11 ? 1.6 : m == 12 ? 2.0 : 1 }
        let factors = SeasonalCalibration.validatedFactors(months)
        let normal = factors[6]
        #expect(abs(factors[10] / normal - 1.6) < 0.01 && abs(factors[11] / normal - 2.0) < 0.01, "\(factors)")
        #expect(abs(normal - 1) < 0.15, "\(factors)")
    }

    /// No season, only noise: the calibration would not have helped, so every factor is 1.
    @Test func leavesANonSeasonalShopAlone() {
        var random = RandomSource(seed: 7)
        let months = Self.months(from: 2017, count: 30) { _, _ in exp(0.05 * random.normal()) }
        #expect(SeasonalCalibration.validatedFactors(months) == Array(repeating: 1, count: 12))
    }

    /// Months with too few events, and histories shorter than a year, give finite factors.
    @Test func shortAndEmptyHistories() {
        for count in [0, 1, 5, 11, 12, 13] {
            let months = Self.months(from: 2019, count: count) { k, _ in k == 2 ? 0 : 1.2 }
            let factors = SeasonalCalibration.validatedFactors(months)
            #expect(factors.count == 12 && factors.allSatisfy { $0.isFinite && $0 > 0 })
        }
        #expect(SeasonalCalibration.identity.factor(cutoff: 18000, horizonDays: 30) == 1)
    }

    /// The factor of a forecast is its horizon's middle month's.
    @Test func factorOfTheHorizonsMonth() {
        var factors = Array(repeating: 1.0, count: 12)
        factors[10] = 1.5
        let calibration = SeasonalCalibration(months: [], factors: factors)
        let november = CivilDate(year: 2019, month: 11, day: 1).dayNumber
        #expect(calibration.factor(cutoff: november, horizonDays: 30) == 1.5)
        #expect(calibration.factor(cutoff: november - 10, horizonDays: 30) == 1.5)  // Oct 22 to Nov 20
        #expect(calibration.factor(cutoff: november - 25, horizonDays: 30) == 1)
    }

    /// The negative binomial law sums to 1 with mean μ; its size is recovered from counts
    /// drawn from it; Poisson counts give no size (Poisson).
    @Test func negativeBinomialSizeIsRecovered() {
        let total = (0...400).reduce(0.0) { $0 + CountDispersion.probability($1, mean: 2.5, size: 0.7) }
        let mean = (0...400).reduce(0.0) { $0 + Double($1) * CountDispersion.probability($1, mean: 2.5, size: 0.7) }
        #expect(abs(total - 1) < 1e-9 && abs(mean - 2.5) < 1e-6)
        var random = RandomSource(seed: 11)
        let mus = (0..<20_000).map { _ in 0.2 + 3 * random.uniform() }
        func poisson(_ lambda: Double) -> Double {
            var k = 0.0, p = exp(-lambda), s = p
            let u = random.uniform()
            while u > s { k += 1; p *= lambda / k; s += p }
            return k
        }
        let overdispersed = mus.map { poisson(random.gamma(shape: 0.8, scale: $0 / 0.8)) }
        let size = CountDispersion.fitSize(actual: overdispersed, mean: mus)
        #expect(size.map { abs($0 - 0.8) < 0.08 } == true, "\(String(describing: size))")
        // The fit drops the terms that do not depend on θ and groups rows by count: it must
        // still sit at the maximum of the full likelihood (counts up to 64 and beyond).
        let heavy = mus.map { poisson(min(500, random.gamma(shape: 0.3, scale: 10 * $0 / 0.3))) }
        #expect(heavy.contains { $0 > 64 })
        for counts in [overdispersed, heavy] {
            guard let theta = CountDispersion.fitSize(actual: counts, mean: mus) else { Issue.record("no size"); continue }
            func full(_ t: Double) -> Double {
                zip(counts, mus).reduce(0.0) { $0 + CountDispersion.logProbability(Int($1.0), mean: $1.1, size: t) }
            }
            #expect(full(theta) >= full(theta * 1.002) && full(theta) >= full(theta / 1.002), "\(theta)")
        }
        let poissonSize = CountDispersion.fitSize(actual: mus.map { poisson($0) }, mean: mus)
        #expect(poissonSize.map { $0 > 50 } ?? true, "\(String(describing: poissonSize))")
        #expect(CountDispersion.fitSize(actual: [], mean: []) == nil)
        // The interval of the wider law is at least as wide; both hold at least 80%.
        let narrow = CountDispersion.summary(mean: 4, size: nil), wide = CountDispersion.summary(mean: 4, size: 0.7)
        #expect(wide.interval80.upperBound > narrow.interval80.upperBound)
        #expect((narrow.interval80Probability ?? 0) >= 0.8 && (wide.interval80Probability ?? 0) >= 0.8)
    }
}
