import ForecastKit
import Foundation
import Testing

@Suite("ForecastKit serving API")
struct ForecastKitTests {
    let store = ModelStore(root: ServingFixture.storeRoot)

    @Test(arguments: ["glm", "gbm"])
    func forecastOfALogIsTheBatchPrediction(name: String) throws {
        let model = try store.forecastModel(name)
        #expect(model.version == 1 && model.kind == name && model.cutoff == ServingFixture.cutoff)
        let forecasts = try model.forecast(ServingFixture.log)
        #expect(forecasts.count == ServingFixture.log.customerCount)
        // What `forecast predict` computes: the model on the log's features as of the cutoff.
        let matrix = ServingFixture.events.features(asOf: ServingFixture.cutoff)
        let batch = try model.saved.model.predictive(matrix, horizonDays: 31)
        for (r, c) in matrix.customers.enumerated() {
            #expect(forecasts[Int(c)].prediction == batch[r])
        }
        #expect(forecasts.filter { $0.prediction == nil }.count == ServingFixture.log.customerCount - matrix.rowCount)
    }

    @Test func historiesGiveTheFeaturesOfTheFullLog() throws {
        let model = try store.forecastModel("glm")
        let full = ServingFixture.events.features(asOf: ServingFixture.cutoff)
        let customers = Array(0..<60)
        // One request per customer: each log holds a single history, yet yoy_same_month is
        // observed as in the full log because the model's data reach back far enough.
        var compared = 0, yoyObserved = 0
        for c in customers {
            let built = try model.features(from: [ServingFixture.history(c)])
            guard let row = full.customers.firstIndex(of: Int32(c)) else {
                #expect(built.matrix.rowCount == 0)
                continue
            }
            #expect(built.matrix.rowCount == 1 && built.customerIDs == [ServingFixture.log.customerIDs[c]] && built.unavailable.isEmpty)
            #expect(sameValues(built.matrix.columns.map { $0[0] }, full.columns.map { $0[row] }), "customer \(c)")
            if !built.matrix.column("yoy_same_month")![0].isNaN { yoyObserved += 1 }
            compared += 1
        }
        #expect(compared > 30 && yoyObserved == compared)
        // A batch of histories answers in the order asked.
        let batch = try model.forecast(histories: customers.reversed().map { ServingFixture.history($0) })
        let expected = try model.forecast(ServingFixture.log)
        #expect(batch.map(\.customerID) == customers.reversed().map { ServingFixture.log.customerIDs[$0] })
        for (i, c) in customers.reversed().enumerated() { #expect(batch[i] == expected[c]) }
    }

    @Test func featureRowsPredictAsTheMatrix() throws {
        let model = try store.forecastModel("gbm")
        let matrix = ServingFixture.events.features(asOf: ServingFixture.cutoff)
        let rows = (0..<50).map { r in
            FeatureRow(customerID: "c\(r)", values: Dictionary(uniqueKeysWithValues: matrix.names.enumerated().map { ($1, matrix.columns[$0][r]) }))
        }
        let fromRows = try model.forecast(rows: rows, horizonDays: 31)
        let direct = try model.predict(matrix, horizonDays: 31)
        #expect(fromRows.map(\.customerID) == rows.map(\.customerID))
        #expect(fromRows.map { $0.prediction! } == Array(direct.prefix(50)))
    }

    @Test func badInputIsRefusedWithWhereItIs() throws {
        let model = try store.forecastModel("glm")
        func refusal(_ body: () throws -> Any) -> ForecastInputError? {
            do { _ = try body(); return nil } catch let e as ForecastInputError { return e } catch { return nil }
        }
        let good = Purchase(seconds: 1_560_000_000, quantity: 1, amount: 10)
        var negative = good
        negative.quantity = -2
        #expect(refusal { try model.forecast(histories: [CustomerHistory(customerID: "a", purchases: [good, negative])]) }?.path
                == "histories[0].purchases[1].quantity")
        let farFuture = Purchase(seconds: .max, quantity: 1, amount: 1)
        #expect(refusal { try model.forecast(histories: [CustomerHistory(customerID: "a", purchases: [farFuture])]) }?.path
                == "histories[0].purchases[0].timestamp")
        var badAmount = good
        badAmount.amount = .nan
        #expect(refusal { try model.forecast(histories: [CustomerHistory(customerID: "a", purchases: [badAmount])]) }?.path
                == "histories[0].purchases[0].amount")
        let twice = refusal { try model.forecast(histories: [CustomerHistory(customerID: "a", purchases: [good]),
                                                             CustomerHistory(customerID: "a", purchases: [good])]) }
        #expect(twice?.path == "histories[1].customer_id" && twice?.message.contains("histories[0]") == true)
        #expect(refusal { try model.forecast(histories: [CustomerHistory(customerID: "", purchases: [good])]) }?.path == "histories[0].customer_id")
        #expect(refusal { try Purchase(timestamp: "2019-02-30", quantity: 1, amount: 1) }?.message.contains("ISO 8601") == true)

        let names = model.featureNames
        var values = Dictionary(uniqueKeysWithValues: names.map { ($0, 1.0) })
        values["target_month"] = 5
        #expect(try model.forecast(rows: [FeatureRow(customerID: "ok", values: values)]).first?.prediction != nil)
        var missing = values
        missing["freq_90"] = nil
        #expect(refusal { try model.forecast(rows: [FeatureRow(customerID: "a", values: missing)]) }?.path == "rows[0].features.freq_90")
        var unknown = values
        unknown["freq_91"] = 1
        #expect(refusal { try model.forecast(rows: [FeatureRow(customerID: "a", values: unknown)]) }?.path == "rows[0].features.freq_91")
        var negativeCount = values
        negativeCount["freq_30"] = -1
        #expect(refusal { try model.forecast(rows: [FeatureRow(customerID: "a", values: negativeCount)]) }?.message.contains("negative") == true)
        var month = values
        month["target_month"] = 13
        #expect(refusal { try model.forecast(rows: [FeatureRow(customerID: "a", values: month)]) }?.path == "rows[0].features.target_month")
        var infinite = values
        infinite["monetary_total"] = .infinity
        #expect(refusal { try model.forecast(rows: [FeatureRow(customerID: "a", values: infinite)]) } != nil)
        // NaN is a missing value, which the models handle.
        var nan = values
        nan["gap_std_days"] = .nan
        #expect(try model.forecast(rows: [FeatureRow(customerID: "a", values: nan)])[0].prediction?.expected.isFinite == true)
        #expect(refusal { try model.predict(try model.features(fromRows: [FeatureRow(customerID: "a", values: values)]), horizonDays: 0) }?.path
                == "horizon_days")
    }

    @Test func customersWithoutAPurchaseBeforeTheCutoffGetNoPrediction() throws {
        let model = try store.forecastModel("glm")
        let later = Purchase(seconds: Int64(ServingFixture.cutoff) * 86_400 + 3600, quantity: 1, amount: 5)
        let answers = try model.forecast(histories: [CustomerHistory(customerID: "new", purchases: [later]),
                                                     CustomerHistory(customerID: "empty", purchases: []),
                                                     ServingFixture.history(0)])
        #expect(answers.map(\.customerID) == ["new", "empty", ServingFixture.log.customerIDs[0]])
        #expect(answers[0].prediction == nil && answers[1].prediction == nil)
        // The same purchase counts once the cutoff is after it.
        let after = try model.forecast(histories: [CustomerHistory(customerID: "new", purchases: [later])], cutoff: ServingFixture.cutoff + 10)
        #expect(after[0].prediction != nil)
        #expect(try model.forecast(histories: []).isEmpty)
    }

    @Test func withoutProductsTheBreadthIsAMissingValue() throws {
        let model = try store.forecastModel("gbm")
        let built = try model.features(from: [ServingFixture.history(1, withProducts: false)])
        #expect(built.unavailable == ["product_breadth"])
        #expect(built.matrix.names == model.featureNames && built.matrix.column("product_breadth")!.allSatisfy(\.isNaN))
        let p = try model.predict(built.matrix)
        #expect(p.count == built.matrix.rowCount && p.allSatisfy { $0.expected.isFinite && $0.expected >= 0 })
    }

    @Test func storeOpensAndLoadsByNameAndVersion() throws {
        let root = ServingFixture.storeCopy()
        let store = try ModelStore.open(root)
        var second = try store.load(ModelReference(name: "glm"))
        second.version = 2
        try store.save(second)
        #expect(try store.forecastModel("glm").version == 2)
        #expect(try store.forecastModel("glm", version: 1).version == 1)
        #expect(throws: ModelStoreError.self) { try store.forecastModel("glm", version: 7) }
        #expect(throws: ModelStoreError.self) { try store.forecastModel("nothing") }
        #expect(throws: ForecastInputError.self) { try ModelStore.open(root + "/missing") }
        // A model trained on other feature definitions is refused.
        var future = second
        future.featureSchema.version = FeatureSet.version + 1
        #expect(throws: ForecastInputError.self) { try ForecastModel(future) }
    }

    @Test func answersAreDeterministic() throws {
        let model = try store.forecastModel("gbm")
        let histories = (0..<40).map { ServingFixture.history($0) }
        #expect(try model.forecast(histories: histories) == model.forecast(histories: histories))
    }
}
