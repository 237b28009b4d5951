import Foundation
import Testing
@testable import Models

@Suite("Poisson deviance")
struct PoissonDevianceTests {
    @Test func conventionsOfTheUnitDeviance() {
        // 0·log 0 = 0: a zero count costs 2μ.
        #expect(PoissonDeviance.unit(actual: 0, predicted: 0.5, floor: 1e-9) == 1)
        #expect(PoissonDeviance.unit(actual: 2, predicted: 2, floor: 1e-9) == 0)
        // The floor stands in for smaller predictions.
        #expect(PoissonDeviance.unit(actual: 1, predicted: 0, floor: 1e-9) == PoissonDeviance.unit(actual: 1, predicted: 1e-9, floor: 1e-9))
        // The log-link form is the same quantity.
        let mu = 1.7
        #expect(abs(PoissonDeviance.unit(actual: 3, logMean: log(mu), mean: mu) - PoissonDeviance.unit(actual: 3, predicted: mu, floor: 0)) < 1e-12)
    }

    @Test func meanOverRows() {
        let d = PoissonDeviance.mean(actual: [0, 1, 3, 0], predicted: [0.5, 1, 2, 0], floor: 1e-9)
        #expect(abs(d - (1.0 + 2 * (3 * log(1.5) - 1) + 2e-9) / 4) < 1e-12)
        #expect(PoissonDeviance.mean(actual: [], predicted: [], floor: 1e-9) == 0)
    }
}
