import Foundation
import Testing

/// The Python reader of docs/examples reproduces the Swift predictions on the default data, for
/// every kind of model: the model format is portable.
@Suite("model format: the Python reference reader")
struct ModelReaderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let reader = root + "/docs/examples/forecast_model_reader.py"

    /// Runs the reader with python3; output through files, as the other asynchronous runs.
    func python(_ arguments: [String]) async throws -> CLIRun {
        let folder = scratch("python")
        FileManager.default.createFile(atPath: folder + "/out", contents: nil)
        FileManager.default.createFile(atPath: folder + "/err", contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.reader] + arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/err"))
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return CLIRun(status: process.terminationStatus, stdout: try String(contentsOfFile: folder + "/out", encoding: .utf8),
                      stderr: try String(contentsOfFile: folder + "/err", encoding: .utf8))
    }

    /// The `model` member of a model file's payload.
    func savedModel(_ path: String) throws -> [String: Any] {
        (json(try String(contentsOfFile: path, encoding: .utf8))["payload"] as? [String: Any])?["model"] as? [String: Any] ?? [:]
    }

    /// The committed default GLM, and a booster, BG/NBD, Pareto/NBD, MBG/NBD, a blend and auto
    /// trained here on the default data: the reader gives every customer the expected count,
    /// P(0), interval and (for the repeat-buying models, directly or as auto's choice) P(alive)
    /// that `forecast predict` writes.
    @Test func pythonReaderReproducesThePredictionsOfEveryKindOfModel() async throws {
        let dir = scratch()
        // The default data (`make demo`: seed 42), with 2,000 customers rather than 10,000 so that
        // the blend and auto (five models fitted at several origins each) train in seconds.
        let generate = try await forecastAsync(["generate", "--out", dir + "/shop", "--customers", "2000", "--seed", "42", "-q"])
        #expect(generate.status == 0, "\(generate.stderr)")
        let data = ["--data", dir + "/shop/transactions.csv", "--layout", "transactions"]
        let store = dir + "/models"
        let trained = ["gbm", "bgnbd", "paretonbd", "mbgnbd", "blend", "auto"]
        for kind in trained {
            let train = try await forecastAsync(["train"] + data + ["--as-of", "2019-11-30", "--model", kind, "--name", "m-" + kind,
                                                                    "--store", store])
            #expect(train.status == 0, "\(kind): \(train.stderr)")
        }
        // The forecasts for January carry the seasonal calibration's January factor, which on
        // this seasonal shop is not 1: the reader's calibration is exercised.
        let calibration = try savedModel("\(store)/m-bgnbd/1/model.json")["calibration"] as? [String: Any]
        let factors = (calibration?["factors"] as? [Any] ?? []).compactMap { $0 as? Double }
        #expect(factors.count == 12, "\(factors)")
        #expect(factors.first.map { abs($0 - 1) > 0.01 } == true, "\(factors)")

        let features = try await forecastAsync(["features"] + data + ["--cutoff", "2020-01-01", "--out", dir + "/features.csv"])
        #expect(features.status == 0, "\(features.stderr)")
        let repeatBuying: Set<String> = ["bgnbd", "paretonbd", "mbgnbd"]
        // (name, kind, store)
        let models: [(String, String, String)] = [("default", "glm", Self.root + "/models")] + trained.map { ("m-" + $0, $0, store) }
        for (model, kind, modelStore) in models {
            let file = "\(modelStore)/\(model)/1/model.json"
            let out = "\(dir)/\(model).csv"
            let predict = try await forecastAsync(["predict", "--model", model, "--store", modelStore] + data
                                                  + ["--as-of", "2019-12-31", "--out", out])
            #expect(predict.status == 0, "\(model): \(predict.stderr)")
            let check = try await python([file, dir + "/features.csv", "--cutoff", "2020-01-01", "--compare", out])
            #expect(check.status == 0, "\(model): \(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("customers compared") && check.stdout.hasSuffix(": ok\n"), "\(model): \(check.stdout)")
            #expect(check.stdout.contains("(\(kind)"), "\(model): \(check.stdout)")
            // P(alive) is a sixth column of the predictions, and is compared, exactly when the
            // model that gives the forecasts is a repeat-buying one.
            var effective = kind
            if kind == "auto" { effective = (try savedModel(file)["chosen"] as? [String: Any])?["kind"] as? String ?? "" }
            let alive = repeatBuying.contains(effective)
            let header = try String(contentsOfFile: out, encoding: .utf8).prefix(while: { $0 != "\n" })
            #expect(header.hasSuffix(",p_alive") == alive, "\(model) (\(effective)): \(header)")
            #expect(check.stdout.contains("p_alive") == alive, "\(model) (\(effective)): \(check.stdout)")
        }
        // Without --compare the reader writes what `forecast predict` writes, P(alive) included.
        let written = try await python(["\(store)/m-bgnbd/1/model.json", dir + "/features.csv", "--cutoff", "2020-01-01"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.hasPrefix("customer_id,expected_events,p_zero,lower_80,upper_80,p_alive\n"))

        // A damaged file is refused by the reader too.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/models/default/1/model.json"))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: dir + "/damaged.json"))
        let damaged = try await python([dir + "/damaged.json", dir + "/features.csv"])
        #expect(damaged.status == 2 && damaged.stderr.contains("SHA-256"))
    }
}
