import ForecastKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import UnixSignals

/// How `forecast serve` runs.
public struct ForecastServerConfiguration: Sendable {
    /// The model store folder.
    public var store: String
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8080
    /// The model a request uses when it names none.
    public var defaultModel = "default"
    /// Largest request body accepted (413 beyond).
    public var maxBodyBytes = 16 << 20
    /// Most customers in one `/predict` request (413 beyond).
    public var maxBatch = 10_000
    /// How often the store is checked for new versions.
    public var reloadInterval: Duration = .seconds(2)

    public init(store: String) { self.store = store }
}

/// The forecasting HTTP service: the routes, the model registry with hot reload, metrics and
/// request logging, on Hummingbird.
///
/// | route | answer |
/// | --- | --- |
/// | `GET /health` | status, models served, uptime, requests |
/// | `GET /models` | every model served: version, kind, cutoff, features; refusals |
/// | `GET /models/{name}` | metadata, metrics, feature schema, training window, data (`?version=N`) |
/// | `POST /predict` | forecasts for feature rows or customer histories (``PredictRequest``) |
/// | `GET /customers/{id}/forecast` | one customer of the data set the server was started with |
/// | `GET /metrics` | Prometheus text: requests and latencies by route, forecasts, reloads |
///
/// Every error is a JSON body with a status, a code, a message, the member path when it is
/// about one value, and the request id (also in the `x-request-id` header and the logs).
public final class ForecastServer: Sendable {
    public let configuration: ForecastServerConfiguration
    let registry: ModelRegistry
    let metrics: ServerMetrics
    let data: CustomerData?
    let logger: Logger

    /// Opens the store and loads its models (a store without models starts, and serves them
    /// once they appear).
    public init(configuration: ForecastServerConfiguration, data: CustomerData? = nil, logger: Logger) throws {
        self.configuration = configuration
        self.data = data
        self.logger = logger
        let metrics = ServerMetrics()
        self.metrics = metrics
        registry = ModelRegistry(store: try ModelStore.open(configuration.store), logger: logger, metrics: metrics)
        registry.refresh()
        if registry.names().isEmpty { logger.warning("no usable model in the store yet", metadata: ["store": "\(configuration.store)"]) }
    }

    /// Serves until one of `signals` arrives (then finishes the requests under way and
    /// returns) or the task is cancelled. `onRunning` receives the bound port.
    public func run(gracefulShutdownSignals signals: [UnixSignal] = [.sigterm, .sigint],
                    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = application(onRunning: onRunning)
        let reloader = Task { [registry, configuration] in
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.reloadInterval)
                if Task.isCancelled { break }
                registry.refresh()
            }
        }
        defer { reloader.cancel() }
        do {
            try await app.runService(gracefulShutdownSignals: signals)
        } catch let error as IOError {
            throw ServerStartError(listening: error, host: configuration.host, port: configuration.port) ?? error
        }
        logger.info("stopped", metadata: ["requests": "\(metrics.requestCount)"])
    }

    /// Checks the store now (the reload loop does it every `reloadInterval`).
    @discardableResult
    public func reload() -> [String] { registry.refresh() }

    /// The models being served, as `name@version`.
    public func servedModels() -> [String] { registry.snapshot().served.map { "\($0.model.name)@\($0.model.version)" } }

    /// The Hummingbird application: the routes on the configured address. ``run(gracefulShutdownSignals:onRunning:)``
    /// serves it; tests also drive it in process (HummingbirdTesting).
    func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "forecast"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ObservabilityMiddleware(metrics: metrics))
        router.get("health") { _, _ in try self.health() }
        router.get("models") { _, _ in try self.modelsList() }
        router.get("models/{name}") { request, context in try self.modelDetail(request, context) }
        router.post("predict") { request, context in try await self.predict(request, context) }
        router.get("customers/{id}/forecast") { request, context in try self.customerForecast(request, context) }
        router.get("metrics") { _, _ in
            let text = self.metrics.prometheusText(modelsServed: self.registry.snapshot().served.count)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    // MARK: Routes

    func health() throws -> Response {
        let s = registry.snapshot()
        return try ResponseJSON.response(HealthBody(status: s.served.isEmpty ? "no_models" : "ok", models: s.served.count,
                                                    uptimeSeconds: metrics.uptimeSeconds, requests: metrics.requestCount,
                                                    dataCustomers: data?.events.customerCount))
    }

    func modelsList() throws -> Response {
        let s = registry.snapshot()
        let models = s.served.map { served in
            let m = served.model
            return ModelsBody.Served(name: m.name, version: m.version, kind: m.kind, createdAt: m.saved.createdAt, asOf: m.saved.training.asOf,
                                     features: m.featureNames.count, versions: registry.store.versions(of: m.name),
                                     refused: s.refused[m.name].map(ModelsBody.Refusal.init))
        }
        // Names whose only version was refused are listed apart: they have nothing served.
        let refusedOnly = s.refused.keys.sorted().filter { name in !s.served.contains { $0.model.name == name } }
            .map { ModelsBody.RefusedOnly(name: $0, refused: ModelsBody.Refusal(s.refused[$0]!)) }
        return try ResponseJSON.response(ModelsBody(default: configuration.defaultModel, models: models,
                                                    refused: refusedOnly.isEmpty ? nil : refusedOnly))
    }

    func modelDetail(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let version = try Self.intQuery(request, "version")
        let model = try registry.model(name: name, version: version)
        return try ResponseJSON.response(ModelDetail(model: model, versions: registry.store.versions(of: name),
                                                     servedVersion: registry.snapshot().served.first { $0.model.name == name }?.model.version))
    }

    func predict(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "payload_too_large", "the body is over the limit of \(configuration.maxBodyBytes) bytes")
        }
        let body = try PredictRequest.decode(Array(buffer.readableBytesView))
        guard (body.rows == nil) != (body.histories == nil) else {
            throw APIError(.badRequest, "invalid_request", "give either \"rows\" (feature rows) or \"histories\" (purchase histories), not "
                           + (body.rows == nil ? "neither" : "both"))
        }
        guard body.batchSize > 0 else {
            throw APIError(.unprocessableContent, "invalid_value", "the batch is empty", path: body.rows != nil ? "rows" : "histories")
        }
        guard body.batchSize <= configuration.maxBatch else {
            throw APIError(.contentTooLarge, "batch_too_large",
                           "\(body.batchSize) customers in one request; the limit is \(configuration.maxBatch): split the batch")
        }
        // One model value for the whole request, whatever reloads meanwhile.
        let model = try registry.model(name: body.model ?? configuration.defaultModel, version: body.version)
        let cutoff = try body.cutoff() ?? model.cutoff
        let horizon = try body.horizon() ?? ForecastModel.horizonDays(from: cutoff)
        var warnings: [String] = []
        let forecasts: [CustomerForecast]
        do {
            if body.rows != nil {
                forecasts = try model.forecast(rows: body.rows ?? [], horizonDays: horizon)
            } else {
                let histories = body.histories ?? []
                forecasts = try model.forecast(histories: histories, cutoff: cutoff, horizonDays: horizon)
                for name in model.unavailableFeatures(withProducts: CustomerHistory.allNameProducts(histories)) {
                    warnings.append("\(name) is missing for every customer (give \"product\" on every purchase): "
                                    + "the model treats it as unknown")
                }
            }
        } catch let error as ForecastInputError {
            throw APIError(.unprocessableContent, "invalid_value", error.message, path: error.path.isEmpty ? nil : error.path)
        }
        metrics.recordForecasts(model: "\(model.name)@\(model.version)", customers: forecasts.count)
        return try ResponseJSON.response(ForecastAnswer(model: model, cutoff: cutoff, horizonDays: horizon, forecasts: forecasts, warnings: warnings))
    }

    func customerForecast(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let data else {
            throw APIError(.notFound, "no_data", "this server has no data set, so it cannot answer per-customer forecasts")
        }
        let id = context.parameters.get("id") ?? ""
        guard let c = data.customer(id) else { throw APIError(.notFound, "unknown_customer", "no customer '\(id)' in \(data.source)") }
        let model = try registry.model(name: request.uri.queryParameters.get("model") ?? configuration.defaultModel,
                                       version: try Self.intQuery(request, "version"))
        let cutoff = try request.uri.queryParameters.get("as_of").map(PredictRequest.cutoff(asOf:)) ?? data.defaultCutoff
        let horizon = ForecastModel.horizonDays(from: cutoff)
        let features = model.features(customer: c, of: data.events, cutoff: cutoff).matrix
        let prediction = try model.predict(features, horizonDays: horizon).first
        metrics.recordForecasts(model: "\(model.name)@\(model.version)", customers: 1)
        return try ResponseJSON.response(ForecastAnswer(model: model, cutoff: cutoff, horizonDays: horizon,
                                                        forecasts: [CustomerForecast(customerID: id, prediction: prediction)], warnings: []))
    }

    // MARK: Helpers

    static func intQuery(_ request: Request, _ name: String) throws -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text), value > 0 else {
            throw APIError(.unprocessableContent, "invalid_value", "must be a positive integer, got '\(text)'", path: name)
        }
        return value
    }
}

/// Why the server could not listen: the address, the port and what the system said, told by
/// errno (not by NIO's wording, which may change).
public struct ServerStartError: Error, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// `EADDRINUSE`: another process listens on the port.
        case portInUse
        /// `EADDRNOTAVAIL`: the host is not an address of this machine.
        case addressNotLocal
        /// `EACCES`: the port is below 1024 and the process lacks the privilege.
        case privilegedPort
    }

    public var reason: Reason
    public var host: String
    public var port: Int
    /// NIO's own description of the failure.
    public var underlying: String

    /// The error for a failure to listen; nil for an error that is not about the address.
    init?(listening error: IOError, host: String, port: Int) {
        switch error.errnoCode {
        case EADDRINUSE: reason = .portInUse
        case EADDRNOTAVAIL: reason = .addressNotLocal
        case EACCES: reason = .privilegedPort
        default: return nil
        }
        self.host = host
        self.port = port
        underlying = "\(error)"
    }

    public var description: String {
        let why: String
        switch reason {
        case .portInUse: why = "the port is in use by another process"
        case .addressNotLocal: why = "\(host) is not an address of this machine"
        case .privilegedPort: why = "ports below 1024 need privileges"
        }
        return "cannot listen on \(host):\(port): \(why) (\(underlying))"
    }
}
