import ArgumentParser
import ForecastKit
import ForecastServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the models of a store over HTTP: forecasts for feature rows, customer histories or known customers.",
        discussion: """
            Routes: GET /health, GET /models, GET /models/{name} (metadata, metrics, feature schema; ?version=N), \
            POST /predict (a batch of feature rows or purchase histories; docs/serving.md has the bodies), \
            GET /customers/{id}/forecast (with --data; ?model=, ?version=, ?as_of=) and GET /metrics (Prometheus text).

            Every model in the store is served at the version `latest` points at. The store is checked every \
            --reload-interval seconds: a new version replaces the old one in one step (a request is answered by one \
            version), and a version that does not load is refused and logged while the old one keeps serving.

            Bad requests get a 4xx with a JSON error (status, code, message, the member's path, the request id). \
            Logs are JSON lines on standard error with the request id. SIGTERM or SIGINT stops the server after \
            the requests under way.

            Example: forecast serve --store models --port 8080 --data data/shop/transactions.csv --layout transactions
            """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The address to listen on (127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port, logged at start).")
    var port = 8080

    @Option(name: .customLong("model"), help: "The model a request uses when it names none.")
    var defaultModel = "default"

    @Option(help: "A transaction file (or shop folder) kept in memory to answer GET /customers/{id}/forecast.")
    var data: String?

    @Option(help: "The layout of --data (as for `forecast predict`).")
    var layout: String?

    @Option(help: "A JSON column mapping for --data.")
    var mapping: String?

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted (413 beyond).")
    var maxBodyBytes = 16 << 20

    @Option(name: .customLong("max-batch"), help: "Most customers in one /predict request (413 beyond).")
    var maxBatch = 10_000

    @Option(name: .customLong("reload-interval"), help: "Seconds between checks of the store for new model versions.")
    var reloadInterval = 2.0

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535, got \(port)") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024, got \(maxBodyBytes)") }
        guard maxBatch >= 1 else { throw ValidationError("--max-batch must be at least 1, got \(maxBatch)") }
        guard reloadInterval > 0, reloadInterval.isFinite else { throw ValidationError("--reload-interval must be positive, got \(reloadInterval)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
        if data == nil, layout != nil || mapping != nil { throw ValidationError("--layout and --mapping describe --data, which is not given") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel)!
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = {
            var logger = Logger(label: "forecast.serve")
            logger.logLevel = level
            return logger
        }()
        var settings = ForecastServerConfiguration(store: storeOptions.store)
        settings.host = host
        settings.port = port
        settings.defaultModel = defaultModel
        settings.maxBodyBytes = maxBodyBytes
        settings.maxBatch = maxBatch
        settings.reloadInterval = .milliseconds(Int(reloadInterval * 1000))
        let customers = try loadCustomerData()
        let server = try ForecastServer(configuration: settings, data: customers, logger: logger)
        let (host, store) = (settings.host, settings.store)
        try await server.run { port in
            logger.info("listening", metadata: ["url": "http://\(host):\(port)", "store": "\(store)",
                                                "models": "\(server.servedModels().joined(separator: ","))"])
        }
    }

    /// The data set for per-customer forecasts, read with the ingestion rules' defaults.
    func loadCustomerData() throws -> CustomerData? {
        guard let data else { return nil }
        var arguments = ["--data", data]
        if let layout { arguments += ["--layout", layout] }
        if let mapping { arguments += ["--mapping", mapping] }
        let source = try MappingOptions.parse(arguments)
        let result = try readData(source, try QualityOptions.parse([]), command: "serve")
        return CustomerData(log: result.log, source: data)
    }
}
