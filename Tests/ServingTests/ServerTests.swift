import Core
import ForecastKit
@testable import ForecastServer
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing

/// A `ForecastServer` on 127.0.0.1 (a free port) in this process, and a small HTTP client.
final class RunningServer: Sendable {
    let server: ForecastServer
    let port: Int
    private let task: Task<Void, any Error>

    private init(server: ForecastServer, port: Int, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.task = task
    }

    static func start(store: String, data: CustomerData? = nil, configure: (inout ForecastServerConfiguration) -> Void = { _ in }) async throws -> RunningServer {
        var configuration = ForecastServerConfiguration(store: store)
        configuration.port = 0
        configuration.defaultModel = "glm"
        configuration.reloadInterval = .seconds(3600)  // tests reload by hand
        configure(&configuration)
        var logger = Logger(label: "test.serve")
        logger.logLevel = .critical
        let server = try ForecastServer(configuration: configuration, data: data, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run(gracefulShutdownSignals: []) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        return RunningServer(server: server, port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
        var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
        var predictions: [[String: Any]] { json["predictions"] as? [[String: Any]] ?? [] }
        /// The predictions read with JSONDecoder, which reads doubles exactly (on Linux,
        /// JSONSerialization is off by an ulp or more for about half of them).
        var exact: [Prediction] { (try? JSONDecoder().decode(Body.self, from: Data(text.utf8)))?.predictions ?? [] }

        struct Body: Decodable { var predictions: [Prediction] }
        struct Prediction: Decodable, Equatable {
            var customer_id: String
            var expected: Double?
            var p_zero: Double?
            var lower_80: Int?
            var upper_80: Int?
        }
    }

    func request(_ method: String, _ path: String, body: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
        return Answer(status: http.statusCode, headers: headers, text: String(decoding: data, as: UTF8.self))
    }

    func predict(_ body: String) async throws -> Answer { try await request("POST", "/predict", body: body) }
}

/// The JSON body of a history request for customers of the fixture's log.
func historiesBody(_ customers: [Int], extra: String = "") -> String {
    let items = customers.map { c -> String in
        let h = ServingFixture.history(c)
        let purchases = h.purchases.map {
            "{\"timestamp\":\"\(ServingFixture.iso($0.seconds))\",\"quantity\":\($0.quantity),\"amount\":\($0.amount),\"product\":\"\($0.product!)\"}"
        }
        return "{\"customer_id\":\"\(h.customerID)\",\"purchases\":[\(purchases.joined(separator: ","))]}"
    }
    return "{\(extra)\"histories\":[\(items.joined(separator: ","))]}"
}

@Suite("forecast serve: HTTP API", .serialized)
struct ServerTests {
    @Test func healthModelsAndModelDetail() async throws {
        let running = try await RunningServer.start(store: ServingFixture.storeRoot)
        defer { Task { await running.stop() } }
        let health = try await running.request("GET", "/health")
        #expect(health.status == 200 && health.json["status"] as? String == "ok" && health.json["models"] as? Int == 2)
        #expect(health.headers["x-request-id"]?.isEmpty == false && health.headers["content-type"] == "application/json")
        let models = try await running.request("GET", "/models")
        let list = models.json["models"] as? [[String: Any]] ?? []
        #expect(list.map { $0["name"] as? String } == ["gbm", "glm"] && list.allSatisfy { $0["version"] as? Int == 1 })
        #expect(list.first?["features"] as? Int == 16)
        let detail = try await running.request("GET", "/models/gbm")
        #expect(detail.status == 200 && detail.json["kind"] as? String == "gbm")
        let schema = detail.json["feature_schema"] as? [String: Any]
        #expect(schema?["names"] as? [String] == FeatureSet.names(withProducts: true) && schema?["version"] as? Int == FeatureSet.version)
        #expect((detail.json["metrics"] as? [String: Any])?["last_month_deviance"] as? Double == 0.5)
        #expect((detail.json["training"] as? [String: Any])?["cutoff"] as? String == "2019-10-01")
        #expect((detail.json["data"] as? [String: Any])?["first_day"] is String)
        let missing = try await running.request("GET", "/models/nope")
        #expect(missing.status == 404 && missing.error["code"] as? String == "unknown_model")
        let badVersion = try await running.request("GET", "/models/glm?version=x")
        #expect(badVersion.status == 422 && badVersion.error["path"] as? String == "version")
    }

    @Test func predictAnswersAsTheLibraryForHistoriesAndRows() async throws {
        let running = try await RunningServer.start(store: ServingFixture.storeRoot)
        defer { Task { await running.stop() } }
        let model = try ModelStore(root: ServingFixture.storeRoot).forecastModel("gbm")
        let customers = Array(0..<25)
        let expected = try model.forecast(histories: customers.map { ServingFixture.history($0) })
        let answer = try await running.predict(historiesBody(customers, extra: "\"model\":\"gbm\","))
        #expect(answer.status == 200, "\(answer.text)")
        #expect(answer.json["model"] as? String == "gbm" && answer.json["version"] as? Int == 1)
        #expect(answer.json["as_of"] as? String == "2019-09-30" && answer.json["horizon_days"] as? Int == 31)
        #expect(answer.json["warnings"] == nil)
        #expect(answer.exact.count == customers.count)
        for (k, (p, e)) in zip(answer.exact, expected).enumerated() {
            #expect(p.customer_id == e.customerID)
            if let e = e.prediction {
                // The answer's text is the shortest decimal of the double: it reads back exactly.
                #expect(p.expected == e.expected && p.p_zero == e.probabilityOfZero)
                #expect(p.lower_80 == e.interval80.lowerBound && p.upper_80 == e.interval80.upperBound)
            } else {
                #expect(p.expected == nil && (answer.predictions[k]["note"] as? String)?.contains("no purchase before") == true)
            }
        }
        // Feature rows, null for a missing value; as_of and horizon_days apply.
        let matrix = ServingFixture.events.features(asOf: ServingFixture.cutoff)
        let rows = (0..<10).map { r -> String in
            let values = matrix.names.enumerated().map { f, name in
                let v = matrix.columns[f][r]
                return "\"\(name)\":" + (v.isNaN ? "null" : "\(v)")
            }
            return "{\"customer_id\":\"r\(r)\",\"features\":{\(values.joined(separator: ","))}}"
        }
        let byRows = try await running.predict("{\"model\":\"gbm\",\"horizon_days\":30,\"rows\":[\(rows.joined(separator: ","))]}")
        #expect(byRows.status == 200, "\(byRows.text)")
        let direct = try model.predict(matrix, horizonDays: 30)
        #expect(byRows.exact.map(\.expected) == direct.prefix(10).map { $0.expected })
        #expect(byRows.json["horizon_days"] as? Int == 30)
        // Without products, the answer says the feature is missing.
        let plain = try await running.predict("{\"histories\":[{\"customer_id\":\"x\",\"purchases\":[{\"timestamp\":\"2019-05-01\",\"quantity\":1,\"amount\":3}]}]}")
        #expect(plain.status == 200 && (plain.json["warnings"] as? [String])?.first?.contains("product_breadth") == true)
        #expect(plain.json["model"] as? String == "glm")  // the server's default model
    }

    @Test func badRequestsGetA4xxThatSaysWhatIsWrong() async throws {
        let running = try await RunningServer.start(store: ServingFixture.storeRoot) { $0.maxBatch = 5; $0.maxBodyBytes = 4096 }
        defer { Task { await running.stop() } }
        let purchase = "{\"timestamp\":\"2019-05-01\",\"quantity\":1,\"amount\":3}"
        let cases: [(body: String, status: Int, code: String, path: String?, says: String)] = [
            ("{\"histories\": [", 400, "malformed_json", nil, "line 1, column 16: expected a value"),
            ("{\"histories\": [{\"customer_id\": \"a\"\n \"purchases\": []}]}", 400, "malformed_json", nil, "line 2, column 2: expected ',' or '}'"),
            ("", 400, "malformed_json", nil, "expected a value"),
            ("[1, 2]", 400, "invalid_request", nil, "expected an object"),
            ("{}", 400, "invalid_request", nil, "either \"rows\""),
            ("{\"rows\": [], \"histories\": []}", 400, "invalid_request", nil, "not both"),
            ("{\"histories\": []}", 422, "invalid_value", "histories", "empty"),
            ("{\"histories\": [{\"purchases\": []}]}", 400, "invalid_request", "histories[0].customer_id", "missing member"),
            ("{\"histories\": [{\"customer_id\": \"a\", \"purchases\": [{\"timestamp\": \"2019-05-01\", \"quantity\": \"one\", \"amount\": 1}]}]}",
             400, "invalid_request", "histories[0].purchases[0].quantity", "expected a number"),
            ("{\"histories\": [{\"customer_id\": 7, \"purchases\": []}]}", 400, "invalid_request", "histories[0].customer_id", "expected a string"),
            ("{\"histories\": [{\"customer_id\": \"a\", \"purchases\": [{\"timestamp\": \"2019-05-01\", \"quantity\": -1, \"amount\": 1}]}]}",
             422, "invalid_value", "histories[0].purchases[0].quantity", "0 or more"),
            ("{\"histories\": [{\"customer_id\": \"a\", \"purchases\": [{\"timestamp\": \"01/05/2019\", \"quantity\": 1, \"amount\": 1}]}]}",
             422, "invalid_value", "histories[0].purchases[0].timestamp", "ISO 8601"),
            ("{\"as_of\": \"2019-02-30\", \"histories\": [{\"customer_id\": \"a\", \"purchases\": [\(purchase)]}]}", 422, "invalid_value", "as_of", "not a date"),
            ("{\"horizon_days\": 0, \"histories\": [{\"customer_id\": \"a\", \"purchases\": [\(purchase)]}]}", 422, "invalid_value", "horizon_days", "1 to 366"),
            ("{\"model\": \"nope\", \"histories\": [{\"customer_id\": \"a\", \"purchases\": [\(purchase)]}]}", 404, "unknown_model", nil, "no model named 'nope'"),
            ("{\"model\": \"glm\", \"version\": 9, \"histories\": [{\"customer_id\": \"a\", \"purchases\": [\(purchase)]}]}", 404, "unknown_model", nil, "no version 9"),
            ("{\"rows\": [{\"customer_id\": \"a\", \"features\": {\"freq_30\": 1}}]}", 422, "invalid_value", "rows[0].features.recency_days", "missing"),
            ("{\"rows\": [{\"customer_id\": \"a\", \"features\": {\"freq_30\": \"x\"}}]}", 400, "invalid_request", "rows[0].features.freq_30", "expected a number"),
            ("{\"histories\": [" + Array(repeating: "{\"customer_id\": \"a\", \"purchases\": []}", count: 6).joined(separator: ",") + "]}",
             413, "batch_too_large", nil, "limit is 5"),
            ("{\"histories\": [{\"customer_id\": \"" + String(repeating: "a", count: 5000) + "\", \"purchases\": []}]}", 413, "payload_too_large", nil, "4096 bytes"),
        ]
        for c in cases {
            let answer = try await running.predict(c.body)
            #expect(answer.status == c.status, "\(c.body.prefix(80)): \(answer.text)")
            #expect(answer.error["code"] as? String == c.code, "\(c.body.prefix(80)): \(answer.text)")
            #expect(answer.error["path"] as? String == c.path, "\(c.body.prefix(80)): \(answer.text)")
            #expect((answer.error["message"] as? String)?.contains(c.says) == true, "\(c.body.prefix(80)): \(answer.text)")
            #expect(answer.error["request_id"] as? String == answer.headers["x-request-id"])
        }
        let route = try await running.request("GET", "/nothing/here")
        #expect(route.status == 404 && route.error["code"] as? String == "not_found")
        let noData = try await running.request("GET", "/customers/1/forecast")
        #expect(noData.status == 404 && noData.error["code"] as? String == "no_data")
        // Still up and answering.
        #expect(try await running.request("GET", "/health").status == 200)
    }

    @Test func randomDamageToABodyNeverCrashesTheServer() async throws {
        let running = try await RunningServer.start(store: ServingFixture.storeRoot)
        defer { Task { await running.stop() } }
        let valid = Array(historiesBody([0, 1, 2]).utf8)
        var generator = SplitMix(seed: 7)
        var statuses: [Int: Int] = [:]
        for _ in 0..<300 {
            var bytes = valid
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let at = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.remove(at: at)
                default: bytes.insert(Array("{}[]\",:-1e9 ".utf8)[Int(generator.next() % 12)], at: at)
                }
            }
            let answer = try await running.predict(String(decoding: bytes, as: UTF8.self))
            statuses[answer.status, default: 0] += 1
            #expect(answer.status == 200 || (400..<500).contains(answer.status), "\(answer.text)")
            if answer.status != 200 { #expect(answer.error["message"] is String) }
        }
        #expect(statuses.keys.contains { $0 >= 400 })
        #expect(try await running.request("GET", "/health").status == 200)
    }

    @Test func customerForecastsFromTheDataSet() async throws {
        let data = CustomerData(log: ServingFixture.log, source: "fixture")
        let running = try await RunningServer.start(store: ServingFixture.storeRoot, data: data)
        defer { Task { await running.stop() } }
        let model = try ModelStore(root: ServingFixture.storeRoot).forecastModel("glm")
        // By default as of the data's last day, as `forecast predict` does.
        let cutoff = ServingFixture.events.lastDay + 1
        let all = try model.forecast(ServingFixture.log, cutoff: cutoff)
        for c in [0, 5, 99] {
            let id = ServingFixture.log.customerIDs[c]
            let answer = try await running.request("GET", "/customers/\(id)/forecast")
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["as_of"] as? String == CivilDate(dayNumber: cutoff - 1).description)
            #expect(answer.exact.first?.expected == all[c].prediction?.expected)
        }
        let id = ServingFixture.log.customerIDs[3]
        let asOf = try await running.request("GET", "/customers/\(id)/forecast?model=gbm&as_of=2019-09-30")
        let gbm = try ModelStore(root: ServingFixture.storeRoot).forecastModel("gbm").forecast(ServingFixture.log)
        #expect(asOf.json["model"] as? String == "gbm" && asOf.exact.first?.expected == gbm[3].prediction?.expected)
        #expect(try await running.request("GET", "/customers/nobody/forecast").error["code"] as? String == "unknown_customer")
        #expect(try await running.request("GET", "/customers/\(id)/forecast?as_of=yesterday").status == 422)
        #expect(try await running.request("GET", "/health").json["data_customers"] as? Int == ServingFixture.log.customerCount)
    }

    @Test func newVersionsAreServedAtomicallyAndBadOnesRefused() async throws {
        let root = ServingFixture.storeCopy()
        let store = ModelStore(root: root)
        let running = try await RunningServer.start(store: root)
        defer { Task { await running.stop() } }
        let body = historiesBody([0, 1, 2, 3], extra: "\"model\":\"glm\",")
        let v1 = try await running.predict(body)
        #expect(v1.json["version"] as? Int == 1)

        // Version 2: the boosted model saved under this name, so its answers differ.
        var second = try store.load(ModelReference(name: "gbm"))
        second.name = "glm"
        second.version = 2
        try store.save(second)
        #expect(try await running.predict(body).json["version"] as? Int == 1)  // not reloaded yet
        #expect(running.server.reload() == ["glm"])
        let v2 = try await running.predict(body)
        #expect(v2.json["version"] as? Int == 2)
        let e1 = v1.exact.compactMap(\.expected), e2 = v2.exact.compactMap(\.expected)
        #expect(e1.count == e2.count && e1 != e2)

        // While requests run, versions 2 and 3 alternate: each answer is wholly one version's.
        // Version 3 is version 1's GLM again: it answers e1.
        var good3 = try store.load(ModelReference(name: "glm", version: 1))
        good3.version = 3
        let expectedByVersion = [2: e2, 3: e1]
        try store.save(good3)
        running.server.reload()
        async let flips: Void = {
            for k in 0..<20 {
                try? FileManager.default.removeItem(atPath: root + "/glm/3")
                if k % 2 == 0 { _ = try? store.save(good3) } else { try? "2\n".write(toFile: root + "/glm/latest", atomically: true, encoding: .utf8) }
                running.server.reload()
                try? await Task.sleep(for: .milliseconds(5))
            }
        }()
        for _ in 0..<30 {
            let answer = try await running.predict(body)
            let version = answer.json["version"] as? Int ?? 0
            #expect(expectedByVersion[version] == answer.exact.compactMap(\.expected), "version \(version)")
        }
        await flips

        // A damaged version 4 is refused; the last good version keeps serving and /models says why.
        try? FileManager.default.removeItem(atPath: root + "/glm/3")
        try "2\n".write(toFile: root + "/glm/latest", atomically: true, encoding: .utf8)
        running.server.reload()
        try FileManager.default.createDirectory(atPath: root + "/glm/4", withIntermediateDirectories: true)
        var bytes = try ModelFile.encode({ var m = second; m.version = 4; return m }())
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/glm/4/model.json"))
        try "4\n".write(toFile: root + "/glm/latest", atomically: true, encoding: .utf8)
        #expect(running.server.reload().isEmpty)
        let still = try await running.predict(body)
        #expect(still.json["version"] as? Int == 2 && still.exact.compactMap(\.expected) == e2)
        let models = try await running.request("GET", "/models")
        let glmEntry = (models.json["models"] as? [[String: Any]])?.first { $0["name"] as? String == "glm" }
        let refused = glmEntry?["refused"] as? [String: Any]
        #expect(refused?["version"] as? Int == 4 && (refused?["reason"] as? String)?.contains("SHA-256") == true)
        #expect(try await running.request("GET", "/metrics").text.contains("forecast_model_refusals_total 1"))
        // Asking for version 1 by number still works; the damaged one is a clear 422.
        #expect(try await running.predict(historiesBody([0], extra: "\"model\":\"glm\",\"version\":1,")).json["version"] as? Int == 1)
        let damaged = try await running.predict(historiesBody([0], extra: "\"model\":\"glm\",\"version\":4,"))
        #expect(damaged.status == 422 && damaged.error["code"] as? String == "model_unusable")
        // Repaired, it is picked up.
        try ModelStore(root: root).save({ var m = second; m.version = 4; return m }(), overwrite: true)
        #expect(running.server.reload() == ["glm"])
        #expect(try await running.predict(body).json["version"] as? Int == 4)
    }

    @Test func metricsCountRequestsAndLatencies() async throws {
        let running = try await RunningServer.start(store: ServingFixture.storeRoot)
        defer { Task { await running.stop() } }
        for _ in 0..<3 { _ = try await running.request("GET", "/health") }
        _ = try await running.predict(historiesBody([0, 1]))
        _ = try await running.predict("{")
        let text = try await running.request("GET", "/metrics").text
        #expect(text.contains("forecast_http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 3"))
        #expect(text.contains("forecast_http_requests_total{route=\"/predict\",method=\"POST\",status=\"200\"} 1"))
        #expect(text.contains("forecast_http_requests_total{route=\"/predict\",method=\"POST\",status=\"400\"} 1"))
        #expect(text.contains("forecast_http_request_duration_seconds_bucket{route=\"/health\",method=\"GET\",status=\"200\",le=\"+Inf\"} 3"))
        #expect(text.contains("forecast_customers_forecast_total{model=\"glm@1\"} 2"))
        #expect(text.contains("forecast_models_served 2"))
    }
}

@Suite("JSON scanner")
struct JSONScannerTests {
    @Test func pointsAtTheFirstError() {
        #expect(JSONScanner.firstError(in: Array("{\"a\": [1, 2.5e-3, true, null, \"x\\u00e9\"]}".utf8)) == nil)
        #expect(JSONScanner.firstError(in: Array("{\"a\" 1}".utf8)) == "line 1, column 6: expected ':' after the member name, found '1'")
        #expect(JSONScanner.firstError(in: Array("{\n\"a\": tru}".utf8)) == "line 2, column 9: expected 'true', found '}'")
        #expect(JSONScanner.firstError(in: Array("[1.]".utf8)) == "line 1, column 4: expected a digit after the decimal point, found ']'")
        #expect(JSONScanner.firstError(in: Array("{} x".utf8)) == "line 1, column 4: expected the end of the body after the top-level value, found 'x'")
        #expect(JSONScanner.firstError(in: Array("\"abc".utf8)) == "line 1, column 5: expected a closing '\"', found the end of the body")
        #expect(JSONScanner.firstError(in: Array(repeating: UInt8(ascii: "["), count: 2000))?.contains("less nesting") == true)
        #expect(JSONScanner.firstError(in: Array("[1, 2,]".utf8)) == "line 1, column 7: expected a value (object, array, string, number, true, false or null), found ']'")
        #expect(JSONScanner.firstError(in: Array("{\"a\": 01}".utf8)) == "line 1, column 8: expected ',' or '}' in an object, found '1'")
        #expect(JSONScanner.firstError(in: Array("\"\\x\"".utf8))?.contains("expected an escape") == true)
    }

    @Test func readsStringsAndNumbersExactly() throws {
        let text = #"{"s": "a\"b\\c\u00e9\ud83d\ude00/", "n": -12.5e-3, "t": true, "z": null, "a": [1, {}], "plain": "café", "ts": "2019-05-01"}"#
        var seen: [String: String] = [:]
        try JSONScanner.scanning(Array(text.utf8)) { scanner in
            try scanner.expect(.object, at: "")
            try scanner.readObject { scanner, name in
                switch try scanner.peek() {
                case .string where name == "ts":
                    seen[name] = try scanner.readStringBytes { String(decoding: $0, as: UTF8.self) + " (bytes)" }
                case .string: seen[name] = try scanner.readString()
                case .number: seen[name] = "\(try scanner.readNumber())"
                case .bool: seen[name] = "\(try scanner.readBool())"
                case .null: try scanner.readNull(); seen[name] = "null"
                default: try scanner.skipValue(); seen[name] = "skipped"
                }
            }
            try scanner.finish()
        }
        #expect(seen == ["s": "a\"b\\cé😀/", "n": "-0.0125", "t": "true", "z": "null", "a": "skipped", "plain": "café", "ts": "2019-05-01 (bytes)"])
        // Escaped text given as bytes is unescaped first.
        let escaped = try JSONScanner.scanning(Array(#""2019\u002d05-01""#.utf8)) { try $0.readStringBytes { String(decoding: $0, as: UTF8.self) } }
        #expect(escaped == "2019-05-01")
        // Every double reads back from its shortest decimal exactly (strtod rounds correctly).
        var generator = SplitMix(seed: 3)
        var checked = 0
        for _ in 0..<5000 {
            let v = Double(bitPattern: generator.next())
            guard v.isFinite else { continue }
            let read = try JSONScanner.scanning(Array("\(v)".utf8)) { try $0.readNumber() }
            #expect(read == v, "\(v)")
            checked += 1
        }
        #expect(checked > 4000)
    }
}

/// A small deterministic random source for the damage test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
