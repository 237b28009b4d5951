import Core
import Foundation
import SyntheticShop
import Testing
@testable import Features
@testable import Ingestion
@testable import Models
@testable import ModelStore

/// A small generated shop as events, shared by the tests (generated once).
enum SmallShop {
    static let events: EventLog = {
        var config = ShopGeneratorConfig()
        config.customers = 600
        config.products = 60
        config.clean = true
        let dir = NSTemporaryDirectory() + "modelstore-shop-\(UUID().uuidString.prefix(8))"
        _ = try! ShopGenerator(config: config).write(to: dir)
        let log = try! TransactionIngest.flat(path: dir + "/transactions.csv", mapping: KnownLayout.transactions.mapping!).log
        return EventLog(log)
    }()
    static let cutoff = CivilDate(year: 2019, month: 10, day: 1).dayNumber
    static let panel = TrainingPanel(events: events, origins: TrainingPanel.origins(from: CivilDate(year: 2017, month: 2, day: 1),
                                                                                    cutoff: CivilDate(dayNumber: cutoff)))
    static let features = events.features(asOf: cutoff)

    static func fitted(_ kind: String) throws -> any Forecaster {
        var model = try ModelCatalog.make(kind)
        try model.fit(panel: model.needsTrainingPanel ? panel : nil, events: events, cutoff: cutoff)
        return model
    }

    static func saved(_ model: any Forecaster, name: String = "m", version: Int = 1) -> SavedModel {
        SavedModel(name: name, version: version, kind: model.name, createdAt: "2026-01-01T00:00:00Z",
                   featureSchema: FeatureSchema(names: features.names),
                   training: TrainingWindow(asOf: "2019-09-30", cutoff: "2019-10-01", origins: [], rows: panel.rowCount),
                   data: DataFingerprint(rows: 0, events: events), metrics: ["last_month_deviance": 0.5],
                   summary: model.describe(), model: model)
    }
}

func temporaryStore(_ caller: String = #function) -> ModelStore {
    ModelStore(root: NSTemporaryDirectory() + "store-\(caller.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
}

@Suite("Model store")
struct ModelStoreTests {
    @Test(arguments: ["zero", "last30", "hist_rate", "ols", "glm", "gbm", "bgnbd", "paretonbd", "mbgnbd", "blend", "auto"])
    func savedModelsPredictExactlyAsBefore(kind: String) throws {
        let model = try SmallShop.fitted(kind)
        let store = temporaryStore()
        try store.save(SmallShop.saved(model), trainingLog: model.trainingLog)
        let loaded = try store.load(ModelReference(name: "m"))
        #expect(loaded.kind == kind && loaded.version == 1 && loaded.featureSchema.version == FeatureSet.version)
        let before = try model.predict(SmallShop.features, horizonDays: 31)
        let after = try loaded.model.predict(SmallShop.features, horizonDays: 31)
        #expect(before == after)
        #expect(before.allSatisfy { $0.isFinite && $0 >= 0 })
        // Saving again gives the same bytes.
        #expect(try ModelFile.encode(SmallShop.saved(model)) == ModelFile.encode(SmallShop.saved(loaded.model)))
    }

    @Test func damagedFilesAreRefusedWithClearErrors() throws {
        let store = temporaryStore()
        let path = try store.save(SmallShop.saved(try SmallShop.fitted("glm")))
        let good = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        // A changed digit inside the payload: checksum mismatch.
        var tampered = good
        let digit = tampered.lastIndex { $0 == UInt8(ascii: "7") }!
        tampered[digit] = UInt8(ascii: "8")
        #expect(throws: ModelStoreError.self) { try ModelFile.decode(tampered, path: path) }
        do { _ = try ModelFile.decode(tampered, path: path) } catch let e as ModelStoreError {
            guard case .checksumMismatch = e else { Issue.record("expected a checksum mismatch, got \(e)"); return }
            #expect(e.description.contains("SHA-256"))
        }
        // Truncated, empty, garbage, a newer format.
        for (bytes, expected) in [(Array(good.prefix(good.count / 2)), "truncated"), ([], "empty"),
                                  (Array("hello\n}\n".utf8), "payload")] {
            do {
                _ = try ModelFile.decode(bytes, path: path)
                Issue.record("decoded a damaged file")
            } catch let e as ModelStoreError {
                #expect(e.description.contains(expected), "\(e)")
            }
        }
        let future = Array(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 2").utf8)
        #expect(throws: ModelStoreError.futureFormat(path: path, found: 2, supported: 1)) { try ModelFile.decode(future, path: path) }
    }

    @Test func versionsAndTheLatestPointer() throws {
        let store = temporaryStore()
        let glm = try SmallShop.fitted("glm"), zero = try SmallShop.fitted("zero")
        try store.save(SmallShop.saved(glm, name: "shop", version: 1))
        try store.save(SmallShop.saved(zero, name: "shop", version: 2))
        #expect(store.versions(of: "shop") == [1, 2] && store.latestVersion(of: "shop") == 2 && store.nextVersion(of: "shop") == 3)
        #expect(try store.load(ModelReference(parsing: "shop")).kind == "zero")
        #expect(try store.load(ModelReference(parsing: "shop@1")).kind == "glm")
        #expect(throws: ModelStoreError.alreadyExists(path: store.directory(name: "shop", version: 1) + "/model.json")) {
            try store.save(SmallShop.saved(glm, name: "shop", version: 1))
        }
        #expect(throws: ModelStoreError.self) { try store.load(ModelReference(parsing: "shop@7")) }
        #expect(throws: ModelStoreError.self) { try store.load(ModelReference(parsing: "other")) }
        #expect(store.names() == ["shop"])
        for bad in ["", "a@b", "a@0", "../x", "a@1@2", "-x"] { #expect(throws: ModelStoreError.self) { try ModelReference(parsing: bad) } }
        // No temporary files are left behind.
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory(name: "shop", version: 1))
        #expect(Set(files) == ["model.json", "training-log.jsonl"])
    }

    @Test func trainingLogIsJSONLines() throws {
        let text = try TrainingLogFile.jsonLines([TrainingLogEntry(iteration: 1, metrics: ["b": 2, "a": 0.5]),
                                                  TrainingLogEntry(iteration: 2, metrics: ["a": .nan])])
        #expect(text == "{\"iteration\":1,\"a\":0.5,\"b\":2.0}\n{\"iteration\":2,\"a\":null}\n")
    }

    @Test func fingerprintDependsOnTheEvents() throws {
        let a = DataFingerprint(rows: 10, events: SmallShop.events)
        let b = DataFingerprint(rows: 10, events: SmallShop.events)
        #expect(a == b && a.sha256.count == 64 && a.customers == SmallShop.events.customerCount)
        #expect(a.events == SmallShop.events.eventCount)
    }
}
