import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `forecast serve` as a user runs it: a process on a free port, answering as `forecast
/// predict` does, picking up a newly trained version, and stopping cleanly on SIGTERM.
@Suite("forecast serve command")
struct ServeCLITests {
    /// A process whose output goes to files, read while it runs.
    struct Background {
        let process: Process
        let folder: String
        var stderr: String { (try? String(contentsOfFile: folder + "/err", encoding: .utf8)) ?? "" }

        init(_ arguments: [String], executable: String = "forecast") throws {
            folder = scratch("background")
            FileManager.default.createFile(atPath: folder + "/out", contents: nil)
            FileManager.default.createFile(atPath: folder + "/err", contents: nil)
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out"))
            let err = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/err"))
            process = try launch(arguments, environment: [:], output: (out, err), executable: executable).0
        }

        /// Waits (without blocking a thread) until `condition` holds for standard error.
        func waitFor(seconds: Double, _ condition: (String) -> Bool) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition(stderr) { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return condition(stderr)
        }
    }

    static func get(_ url: String) async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    @Test func servesWhatPredictWritesReloadsAndStopsOnSIGTERM() async throws {
        let dir = scratch()
        _ = try await forecastAsync(["generate", "--out", dir, "--customers", "300", "--clean", "-q"])
        let data = ["--data", dir + "/transactions.csv", "--layout", "transactions"]
        let store = ["--store", dir + "/models"]
        let train = try await forecastAsync(["train"] + data + store + ["--as-of", "2019-10-31", "--model", "glm", "--name", "shop"])
        #expect(train.status == 0, "\(train.stderr)")
        let predict = try await forecastAsync(["predict", "--model", "shop"] + data + store + ["--as-of", "2019-12-31", "--out", dir + "/p.json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        // JSONDecoder reads doubles exactly (JSONSerialization on Linux does not).
        struct Written: Decodable { var customer_id: String; var expected_events: Double; var p_zero: Double; var upper_80: Int }
        struct Served: Decodable { var predictions: [Prediction]; var version: Int; var as_of: String }
        struct Prediction: Decodable { var expected: Double?; var p_zero: Double?; var upper_80: Int? }
        let written = try JSONDecoder().decode([Written].self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/p.json")))
        #expect(written.count > 200)

        let server = try Background(["serve", "--model", "shop", "--port", "0", "--reload-interval", "0.2"] + store + data)
        defer { if server.process.isRunning { server.process.terminate() } }
        #expect(try await server.waitFor(seconds: 60) { $0.contains("\"message\":\"listening\"") }, "\(server.stderr)")
        let line = server.stderr.split(separator: "\n").first { $0.contains("\"message\":\"listening\"") }.map(String.init) ?? ""
        let url = (json(line)["url"] as? String) ?? ""
        #expect(url.hasPrefix("http://127.0.0.1:"))

        // The same numbers as `forecast predict` (both print the shortest exact decimal).
        for row in written.prefix(8) {
            let (body, _) = try await URLSession.shared.data(from: URL(string: "\(url)/customers/\(row.customer_id)/forecast")!)
            let answer = try JSONDecoder().decode(Served.self, from: body)
            let p = answer.predictions.first
            #expect(p?.expected == row.expected_events && p?.p_zero == row.p_zero && p?.upper_80 == row.upper_80, "\(row.customer_id)")
            #expect(answer.version == 1 && answer.as_of == "2019-12-31")
        }

        // A version trained while it runs is served within a reload interval or so.
        let second = try await forecastAsync(["train"] + data + store + ["--as-of", "2019-10-31", "--model", "bgnbd", "--name", "shop"])
        #expect(second.status == 0)
        #expect(try await server.waitFor(seconds: 10) { $0.contains("\"message\":\"model loaded\"") && $0.contains("shop@2") })
        let models = try await Self.get("\(url)/models")
        #expect((models["models"] as? [[String: Any]])?.first?["version"] as? Int == 2)

        kill(server.process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while server.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.process.isRunning)
        #expect(server.process.terminationStatus == 0, "\(server.stderr)")
        let log = server.stderr
        #expect(log.contains("\"message\":\"stopped\""))
        // Every request line is JSON with its id.
        let requests = log.split(separator: "\n").filter { $0.contains("\"message\":\"request\"") }
        #expect(requests.count >= 9 && requests.allSatisfy { (json(String($0))["request_id"] as? String)?.count ?? 0 >= 16 })
    }

    @Test func theGettingStartedExampleRuns() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let example = try Background([root + "/models", "default"], executable: "forecastkit-example")
        while example.process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let out = try String(contentsOfFile: example.folder + "/out", encoding: .utf8)
        #expect(example.process.terminationStatus == 0, "\(example.stderr)")
        #expect(out.contains("default@1: a glm model trained to 2019-11-30, reading 16 features"))
        // The numbers the getting-started article shows.
        #expect(out.contains("example-customer: 0.606 purchase days expected in the month after 2019-11-30; P(none) = 0.575; 80% interval 0...2"))
        let missing = try Background(["/nonexistent-store"], executable: "forecastkit-example")
        while missing.process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(missing.process.terminationStatus == 1 && missing.stderr.contains("is not a folder"))
    }
}
