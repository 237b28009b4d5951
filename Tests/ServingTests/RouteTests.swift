import ForecastKit
@testable import ForecastServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A server over the fixture's store, not listening: tests drive its application in process.
func inProcessServer(data: CustomerData? = nil, store: String = ServingFixture.storeRoot) throws -> ForecastServer {
    var configuration = ForecastServerConfiguration(store: store)
    configuration.defaultModel = "glm"
    configuration.reloadInterval = .seconds(3600)
    var logger = Logger(label: "test.routes")
    logger.logLevel = .critical
    return try ForecastServer(configuration: configuration, data: data, logger: logger)
}

extension TestClientProtocol {
    /// One request, its answer in the shape the live-socket tests read (``RunningServer/Answer``).
    func answer(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil) async throws -> RunningServer.Answer {
        let response = try await execute(uri: uri, method: method, body: body.map { ByteBuffer(string: $0) })
        var headers: [String: String] = [:]
        for field in response.headers { headers[field.name.canonicalName] = field.value }
        return RunningServer.Answer(status: Int(response.status.code), headers: headers,
                                    text: String(decoding: response.body.readableBytesView, as: UTF8.self))
    }
}

/// The shortest decimal of `v` as the answers write it (JSON has no use for a trailing `.0`).
func shortestText(_ v: Double) -> String {
    let text = "\(v)"
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}

/// The routes through HummingbirdTesting's router client: the same application as
/// `forecast serve`, without a socket, so the bodies' exact text can be checked quickly.
@Suite("forecast serve: routes in process")
struct RouteTests {
    @Test func healthAndModels() async throws {
        let server = try inProcessServer()
        try await server.application().test(.router) { client in
            let health = try await client.answer(.get, "/health")
            #expect(health.status == 200 && health.headers["content-type"] == "application/json")
            #expect(health.headers["x-request-id"]?.isEmpty == false && health.text.hasSuffix("}\n"))
            #expect(Set(health.json.keys) == ["status", "models", "uptime_seconds", "requests"])
            #expect(health.json["status"] as? String == "ok" && health.json["models"] as? Int == 2 && health.json["requests"] as? Int == 0)
            #expect((health.json["uptime_seconds"] as? Double).map { $0 >= 0 } == true)

            let models = try await client.answer(.get, "/models")
            #expect(models.status == 200 && models.json["default"] as? String == "glm" && models.json["refused"] == nil)
            let list = models.json["models"] as? [[String: Any]] ?? []
            #expect(list.map { $0["name"] as? String } == ["gbm", "glm"])
            for entry in list {
                #expect(Set(entry.keys) == ["name", "version", "kind", "created_at", "as_of", "features", "versions"])
                #expect(entry["as_of"] as? String == "2019-09-30" && entry["created_at"] as? String == "2026-01-01T00:00:00Z")
                #expect(entry["features"] as? Int == 16 && entry["versions"] as? [Int] == [1])
            }

            let detail = try await client.answer(.get, "/models/glm")
            #expect(Set(detail.json.keys) == ["name", "version", "kind", "toolkit_version", "created_at", "feature_schema", "training",
                                              "data", "metrics", "summary", "versions", "served_version"])
            #expect(detail.json["served_version"] as? Int == 1 && detail.json["versions"] as? [Int] == [1])
            let training = detail.json["training"] as? [String: Any] ?? [:]
            #expect(training["as_of"] as? String == "2019-09-30" && training["cutoff"] as? String == "2019-10-01")
            let data = detail.json["data"] as? [String: Any] ?? [:]
            #expect(Set(data.keys) == ["rows", "customers", "events", "first_day", "last_day", "sha256"])
            #expect(data["customers"] as? Int == ServingFixture.log.customerCount)
            #expect((detail.json["summary"] as? [String: Any])?["kind"] as? String == "glm")
            #expect(try await client.answer(.get, "/health").json["requests"] as? Int == 3)
        }
        // With a data set, /health counts its customers.
        let withData = try inProcessServer(data: CustomerData(log: ServingFixture.log, source: "fixture"))
        try await withData.application().test(.router) { client in
            let health = try await client.answer(.get, "/health")
            #expect(health.json["data_customers"] as? Int == ServingFixture.log.customerCount)
        }
    }

    @Test func predictHistoriesAndRows() async throws {
        let server = try inProcessServer()
        let model = try ModelStore(root: ServingFixture.storeRoot).forecastModel("gbm")
        let customers = Array(0..<12)
        let expected = try model.forecast(histories: customers.map { ServingFixture.history($0) })
        let matrix = ServingFixture.events.features(asOf: ServingFixture.cutoff)
        let rows = (0..<5).map { r -> String in
            let values = matrix.names.enumerated().map { f, name in "\"\(name)\":" + (matrix.columns[f][r].isNaN ? "null" : "\(matrix.columns[f][r])") }
            return "{\"customer_id\":\"r\(r)\",\"features\":{\(values.joined(separator: ","))}}"
        }
        let direct = try model.predict(matrix, horizonDays: 30)
        try await server.application().test(.router) { client in
            let answer = try await client.answer(.post, "/predict", body: historiesBody(customers, extra: "\"model\":\"gbm\","))
            #expect(answer.status == 200, "\(answer.text)")
            #expect(Set(answer.json.keys) == ["model", "version", "kind", "as_of", "horizon_days", "predictions"])
            #expect(answer.json["kind"] as? String == "gbm" && answer.json["as_of"] as? String == "2019-09-30")
            #expect(answer.exact.count == customers.count)
            for (p, e) in zip(answer.exact, expected) {
                #expect(p.customer_id == e.customerID)
                guard let e = e.prediction else { continue }
                #expect(p.expected == e.expected && p.p_zero == e.probabilityOfZero)
                #expect(p.lower_80 == e.interval80.lowerBound && p.upper_80 == e.interval80.upperBound)
                // The text is the shortest decimal of each double, members in name order.
                let (low, high) = (e.interval80.lowerBound, e.interval80.upperBound)
                let (expected, pZero) = (shortestText(e.expected), shortestText(e.probabilityOfZero))
                let item = [#"{"customer_id":"\#(p.customer_id)""#, #""expected":\#(expected)"#, #""lower_80":\#(low)"#,
                            #""p_zero":\#(pZero)"#, #""upper_80":\#(high)}"#].joined(separator: ",")
                #expect(answer.text.contains(item), "\(item)")
            }

            // A customer whose purchases all come after as_of: explicit nulls and a note.
            let late = try await client.answer(.post, "/predict", body: """
                {"as_of": "2019-01-31", "histories": [{"customer_id": "late", "purchases": [
                    {"timestamp": "2019-06-01", "quantity": 1, "amount": 3, "product": "P1"}]}]}
                """)
            #expect(late.status == 200, "\(late.text)")
            let nulls: String = "{\"customer_id\":\"late\",\"expected\":null,\"lower_80\":null,"
                + "\"note\":\"no purchase before 2019-02-01: the model forecasts customers it knows\","
                + "\"p_zero\":null,\"upper_80\":null}"
            #expect(late.text.contains(nulls), "\(late.text)")

            let byRows = try await client.answer(.post, "/predict", body: "{\"model\":\"gbm\",\"horizon_days\":30,\"rows\":[\(rows.joined(separator: ","))]}")
            #expect(byRows.status == 200, "\(byRows.text)")
            #expect(byRows.exact.map(\.expected) == direct.prefix(5).map { $0.expected })
            #expect(byRows.json["horizon_days"] as? Int == 30 && byRows.json["warnings"] == nil)

            // Without products the answer carries a warning.
            let plain = try await client.answer(.post, "/predict", body: """
                {"histories": [{"customer_id": "x", "purchases": [{"timestamp": "2019-05-01", "quantity": 1, "amount": 3}]}]}
                """)
            #expect((plain.json["warnings"] as? [String])?.first?.contains("product_breadth") == true)
        }
    }

    /// A repeat-buying model's answers add `p_alive`, the same number `ForecastKit` gives; the
    /// GLM's have none.
    @Test func repeatBuyingModelsAnswerWithPAlive() async throws {
        let root = ServingFixture.storeCopy()
        var model = try ModelCatalog.make("mbgnbd")
        try model.fit(panel: nil, events: ServingFixture.events, cutoff: ServingFixture.cutoff)
        try ModelStore(root: root).save(ServingFixture.saved(model, name: "mbg", version: 1))
        let expected = try ModelStore(root: root).forecastModel("mbg").forecast(histories: (0..<6).map { ServingFixture.history($0) })
        let server = try inProcessServer(store: root)
        try await server.application().test(.router) { client in
            let answer = try await client.answer(.post, "/predict", body: historiesBody(Array(0..<6), extra: "\"model\":\"mbg\","))
            #expect(answer.status == 200, "\(answer.text)")
            let items = answer.json["predictions"] as? [[String: Any]] ?? []
            #expect(items.count == 6)
            for (item, e) in zip(items, expected) {
                guard let alive = e.prediction?.probabilityAlive else { Issue.record("no P(alive) for \(e.customerID)"); continue }
                // Exact through the text (JSONSerialization rounds some doubles on Linux).
                #expect(answer.text.contains("\"p_alive\":\(shortestText(alive))"), "\(alive)")
                #expect(item["p_alive"] is NSNumber && alive >= 0 && alive <= 1)
            }
            let glm = try await client.answer(.post, "/predict", body: historiesBody([0], extra: "\"model\":\"glm\","))
            #expect(glm.status == 200 && !glm.text.contains("p_alive"))
        }
    }

    @Test func errorBodiesNameTheMember() async throws {
        let server = try inProcessServer()
        try await server.application().test(.router) { client in
            let negative = try await client.answer(.post, "/predict", body: """
                {"histories": [{"customer_id": "a", "purchases": [{"timestamp": "2019-05-01", "quantity": -1, "amount": 1}]}]}
                """)
            #expect(negative.status == 422 && negative.headers["content-type"] == "application/json")
            #expect(Set(negative.json.keys) == ["error"])
            #expect(Set(negative.error.keys) == ["status", "code", "message", "path", "request_id"])
            #expect(negative.error["status"] as? Int == 422 && negative.error["code"] as? String == "invalid_value")
            #expect(negative.error["path"] as? String == "histories[0].purchases[0].quantity")
            #expect((negative.error["message"] as? String)?.contains("0 or more") == true)
            #expect(negative.error["request_id"] as? String == negative.headers["x-request-id"])
            // About the whole body: no path member at all.
            let malformed = try await client.answer(.post, "/predict", body: "{\"histories\": [")
            #expect(malformed.status == 400 && Set(malformed.error.keys) == ["status", "code", "message", "request_id"])
            #expect(malformed.error["code"] as? String == "malformed_json")
            let route = try await client.answer(.get, "/no/such/route")
            #expect(route.status == 404 && route.error["code"] as? String == "not_found")
            #expect(route.text.contains("\"message\":\"no route for GET /no/such/route\""))  // slashes unescaped
            let query = try await client.answer(.get, "/models/glm?version=0")
            #expect(query.status == 422 && query.error["path"] as? String == "version")
        }
    }

    @Test func metricsAreOneServersOwn() async throws {
        let server = try inProcessServer()
        let other = try inProcessServer()
        try await server.application().test(.router) { client in
            for _ in 0..<3 { _ = try await client.answer(.get, "/health") }
            _ = try await client.answer(.post, "/predict", body: historiesBody([0, 1]))
            _ = try await client.answer(.post, "/predict", body: "{")
            let metrics = try await client.answer(.get, "/metrics")
            #expect(metrics.status == 200 && metrics.headers["content-type"] == "text/plain; version=0.0.4")
            let text = metrics.text
            #expect(text.contains("# TYPE forecast_http_requests_total counter\n"))
            #expect(text.contains("# TYPE forecast_http_request_duration_seconds histogram\n"))
            #expect(text.contains("forecast_http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 3\n"))
            #expect(text.contains("forecast_http_requests_total{route=\"/predict\",method=\"POST\",status=\"200\"} 1\n"))
            #expect(text.contains("forecast_http_requests_total{route=\"/predict\",method=\"POST\",status=\"400\"} 1\n"))
            #expect(text.contains("forecast_http_request_duration_seconds_bucket{route=\"/health\",method=\"GET\",status=\"200\",le=\"0.0005\"} "))
            #expect(text.contains("forecast_http_request_duration_seconds_bucket{route=\"/health\",method=\"GET\",status=\"200\",le=\"5.0\"} 3\n"))
            #expect(text.contains("forecast_http_request_duration_seconds_bucket{route=\"/health\",method=\"GET\",status=\"200\",le=\"+Inf\"} 3\n"))
            #expect(text.contains("forecast_http_request_duration_seconds_count{route=\"/health\",method=\"GET\",status=\"200\"} 3\n"))
            #expect(text.contains("forecast_customers_forecast_total{model=\"glm@1\"} 2\n"))
            #expect(text.contains("forecast_model_reloads_total 0\n") && text.contains("forecast_model_refusals_total 0\n"))
            #expect(text.contains("forecast_models_served 2.0\n") && text.contains("forecast_uptime_seconds "))
        }
        // A second server in the same process counts only its own requests.
        try await other.application().test(.router) { client in
            let text = try await client.answer(.get, "/metrics").text
            #expect(!text.contains("route=\"/health\"") && !text.contains("forecast_customers_forecast_total{"))
            #expect(text.contains("forecast_models_served 2.0\n"))
        }
    }
}

@Suite("forecast serve: start-up errors")
struct StartupTests {
    @Test func aTakenPortIsToldByItsErrno() async throws {
        let running = try await RunningServer.start(store: ServingFixture.storeRoot)
        defer { Task { await running.stop() } }
        var configuration = ForecastServerConfiguration(store: ServingFixture.storeRoot)
        configuration.port = running.port
        var logger = Logger(label: "test.port")
        logger.logLevel = .critical
        let second = try ForecastServer(configuration: configuration, logger: logger)
        do {
            try await second.run(gracefulShutdownSignals: [])
            Issue.record("a second server started on the taken port \(running.port)")
        } catch let error as ServerStartError {
            #expect(error.reason == .portInUse)
            #expect(error.description.contains("cannot listen on 127.0.0.1:\(running.port): the port is in use"), "\(error)")
        }
        #expect(try await running.request("GET", "/health").status == 200)
    }
}
