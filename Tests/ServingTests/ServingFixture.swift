import Core
import ForecastKit
import Foundation
import SyntheticShop

/// A small generated shop (600 customers) and a store holding a GLM (`glm@1`) and a
/// gradient-boosted model (`gbm@1`) trained on it up to 2019-09-30; built once.
enum ServingFixture {
    static let log: TransactionLog = {
        var config = ShopGeneratorConfig()
        config.customers = 600
        config.products = 60
        config.clean = true
        let dir = NSTemporaryDirectory() + "serving-shop-\(UUID().uuidString.prefix(8))"
        _ = try! ShopGenerator(config: config).write(to: dir)
        return try! TransactionIngest.flat(path: dir + "/transactions.csv", mapping: KnownLayout.transactions.mapping!).log
    }()
    static let events = EventLog(log)
    static let cutoff = CivilDate(year: 2019, month: 10, day: 1).dayNumber

    static let storeRoot: String = {
        let root = NSTemporaryDirectory() + "serving-store-\(UUID().uuidString.prefix(8))"
        let store = ModelStore(root: root)
        let panel = TrainingPanel(events: events, origins: TrainingPanel.origins(from: CivilDate(year: 2017, month: 2, day: 1),
                                                                                 cutoff: CivilDate(dayNumber: cutoff)))
        for kind in ["glm", "gbm"] {
            var model = try! ModelCatalog.make(kind)
            try! model.fit(panel: panel, events: events, cutoff: cutoff)
            try! store.save(saved(model, name: kind, version: 1))
        }
        return root
    }()

    static func saved(_ model: any Forecaster, name: String, version: Int) -> SavedModel {
        SavedModel(name: name, version: version, kind: model.name, createdAt: "2026-01-01T00:00:00Z",
                   featureSchema: FeatureSchema(names: FeatureSet.names(withProducts: true)),
                   training: TrainingWindow(asOf: "2019-09-30", cutoff: "2019-10-01", origins: [], rows: 0),
                   data: DataFingerprint(rows: log.rowCount, events: events), metrics: ["last_month_deviance": 0.5],
                   summary: model.describe(), model: model)
    }

    /// A copy of the store that a test may change.
    static func storeCopy(_ caller: String = #function) -> String {
        let copy = NSTemporaryDirectory() + "serving-\(caller.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.copyItem(atPath: storeRoot, toPath: copy)
        return copy
    }

    /// The purchases of customer `c` of the log, as a service would send them.
    static func history(_ c: Int, withProducts: Bool = true) -> CustomerHistory {
        CustomerHistory(customerID: log.customerIDs[c], purchases: log.rows(ofCustomer: c).map { r in
            Purchase(seconds: log.seconds[r], quantity: log.quantity[r], amount: log.amount[r],
                     product: withProducts ? log.productIDs[Int(log.product[r])] : nil)
        })
    }

    /// ISO 8601 text of a time in seconds.
    static func iso(_ seconds: Int64) -> String {
        let day = CivilDate(dayNumber: Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400))
        let s = Int(((seconds % 86_400) + 86_400) % 86_400)
        return "\(day)T" + String(format: "%02d:%02d:%02dZ", s / 3600, s / 60 % 60, s % 60)
    }
}

/// Equal, counting two NaNs as equal (a missing feature in both).
func sameValues(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}
