import Foundation
import Testing

/// The Python reader of docs/examples reproduces the Swift predictions on the default data:
/// the model format is portable.
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

    @Test func pythonReaderReproducesTheGLMAndGBMPredictionsOfTheDefaultData() async throws {
        let dir = scratch()
        // The default data (`make demo`): 10,000 customers, seed 42.
        let generate = try await forecastAsync(["generate", "--out", dir + "/shop", "--customers", "10000", "--seed", "42", "-q"])
        #expect(generate.status == 0, "\(generate.stderr)")
        let data = ["--data", dir + "/shop/transactions.csv", "--layout", "transactions"]
        // The committed default GLM, and a boosted model trained here on the same data.
        let train = try await forecastAsync(["train"] + data + ["--as-of", "2019-11-30", "--model", "gbm", "--name", "boosted",
                                                                "--store", dir + "/models"])
        #expect(train.status == 0, "\(train.stderr)")
        let features = try await forecastAsync(["features"] + data + ["--cutoff", "2020-01-01", "--out", dir + "/features.csv"])
        #expect(features.status == 0, "\(features.stderr)")
        for (model, store) in [("default", Self.root + "/models"), ("boosted", dir + "/models")] {
            let out = "\(dir)/\(model).csv"
            let predict = try await forecastAsync(["predict", "--model", model, "--store", store] + data + ["--as-of", "2019-12-31", "--out", out])
            #expect(predict.status == 0, "\(predict.stderr)")
            let file = "\(store)/\(model)/1/model.json"
            let check = try await python([file, dir + "/features.csv", "--cutoff", "2020-01-01", "--compare", out])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("customers compared") && check.stdout.hasSuffix(": ok\n"), "\(check.stdout)")
            #expect(check.stdout.contains(model == "default" ? "(glm)" : "(gbm)"))
        }
        // A damaged file is refused by the reader too.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/models/default/1/model.json"))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: dir + "/damaged.json"))
        let damaged = try await python([dir + "/damaged.json", dir + "/features.csv"])
        #expect(damaged.status == 2 && damaged.stderr.contains("SHA-256"))
    }
}
