import Foundation
import Testing
@testable import Features
@testable import Models

@Suite("Model catalog")
struct ModelCatalogTests {
    @Test func everyEntryMakesItsOwnKind() throws {
        #expect(ModelCatalog.names == ["zero", "last30", "hist_rate", "ols", "glm", "gbm", "bgnbd", "paretonbd", "mbgnbd", "blend", "auto"])
        for entry in ModelCatalog.entries {
            let model = try ModelCatalog.make(entry.name)
            #expect(model.name == entry.name)
            #expect(type(of: model) == entry.type, "\(entry.name)")
        }
        #expect(throws: ForecasterError.unknownModel("nope", known: ModelCatalog.names)) { try ModelCatalog.make("nope") }
    }

    @Test func blendNamesItsComponentsAfterTheModels() {
        var settings = GradientBoosting.Settings()
        settings.maxTrees = 50
        let blend = Blend(components: [GradientBoosting(settings: settings), BGNBD(penalty: 0.01)])
        #expect(blend.componentNames == ["gbm", "bgnbd"])
        #expect(Blend().componentNames == ["glm", "gbm", "paretonbd", "bgnbd", "mbgnbd"])
        let empty = FeatureMatrix(names: [], cutoff: 0, customers: [], columns: [], nextMonthEvents: [])
        #expect(throws: ModelFitError.notFitted(model: "blend")) { try blend.predict(empty, horizonDays: 30) }
    }
}
