import ArgumentParser
import Attribution
import ForecastKit
import Foundation
import Warehouse

/// `--db PATH`: the attribution database.
struct AttributionDatabaseOption: ParsableArguments {
    @Option(help: "The attribution database (SQLite); missing tables are created from the shipped schema.")
    var db = "attribution.sqlite"

    func open() throws -> AttributionDatabase { try AttributionDatabase(path: db, create: false) }
}

/// `--from` and `--to`: the range of conversion dates a step works on.
struct ConversionRangeOptions: ParsableArguments {
    @Option(help: "First conversion date of the range, YYYY-MM-DD (default: no lower bound).")
    var from: String?
    @Option(help: "Last conversion date of the range, YYYY-MM-DD, inclusive (default: no upper bound).")
    var to: String?

    func range() throws -> ConversionRange {
        func date(_ text: String?, _ flag: String) throws -> CivilDate? {
            guard let text else { return nil }
            guard let d = CivilDate(iso: text) else { throw ValidationError("\(flag) must be a date like 2024-03-01, got '\(text)'") }
            return d
        }
        do {
            return try ConversionRange(from: date(from, "--from"), to: date(to, "--to"))
        } catch let error as AttributionError {
            throw ValidationError(describedWithHint(error))
        }
    }

    func validate() throws { _ = try range() }
}

/// `--lookback-days`: how far back a journey reaches.
struct LookbackOption: ParsableArguments {
    @Option(name: .customLong("lookback-days"), help: "Only sessions at most this many days before the conversion (default: all earlier sessions).")
    var lookbackDays: Int?

    func validate() throws {
        if let lookbackDays, lookbackDays <= 0 { throw ValidationError("--lookback-days must be positive, got \(lookbackDays)") }
    }
}

extension EngineName: ExpressibleByArgument {}

/// The attribution engine and its settings, with the IHC API client's.
struct EngineOptions: ParsableArguments {
    @Option(help: "Attribution engine: \(EngineName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var engine: EngineName = .phase
    @Option(name: .customLong("half-life-days"), help: "time-decay: days over which a session's credit halves.")
    var halfLifeDays = 7.0
    @Option(name: .customLong("markov-order"), help: "markov: order of the chain (1 to 4; a state is the last N channels).")
    var markovOrder = 1
    @Option(name: .customLong("phase-shares"), help: "phase: initializer,holder,closer budgets (normalised), e.g. 1,1,1 or 0.3,0.4,0.3.")
    var phaseShares = "1,1,1"

    @Option(name: .customLong("api-url"), help: "ihc-api: the endpoint URL with its query (default: the IHC_API_URL variable).")
    var apiURL: String?
    @Option(name: .customLong("api-key-env"), help: "ihc-api: the environment variable that holds the API key (never printed).")
    var apiKeyEnv = "IHC_API_KEY"
    @Option(name: .customLong("max-sessions-per-request"), help: "ihc-api: the API's limit of sessions per request.")
    var maxSessionsPerRequest = 3000
    @Option(name: .customLong("max-conversions-per-request"), help: "ihc-api: the API's limit of conversions per request.")
    var maxConversionsPerRequest = 300
    @Option(name: .customLong("max-retries"), help: "ihc-api: retries of a request answered 429 or 5xx.")
    var maxRetries = 5
    @Option(help: "ihc-api: first retry delay in seconds (doubles per retry, at most 60; Retry-After wins).")
    var backoff = 1.0
    @Option(help: "ihc-api: seconds to wait for one answer.")
    var timeout = 60.0

    func validate() throws {
        if !(halfLifeDays > 0 && halfLifeDays.isFinite) { throw ValidationError("--half-life-days must be a positive number of days") }
        if !(1...4).contains(markovOrder) { throw ValidationError("--markov-order must be 1 to 4, got \(markovOrder)") }
        _ = try shares()
        if maxSessionsPerRequest < 1 || maxConversionsPerRequest < 1 { throw ValidationError("request limits must be at least 1") }
        if maxRetries < 0 || !(backoff >= 0) || !(timeout > 0) { throw ValidationError("--max-retries, --backoff and --timeout must not be negative") }
    }

    func shares() throws -> (Double, Double, Double) {
        let parts = phaseShares.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let i = parts[0], let h = parts[1], let c = parts[2], i >= 0, h >= 0, c >= 0, i + h + c > 0 else {
            throw ValidationError("--phase-shares takes three non-negative numbers, e.g. 1,1,1; got '\(phaseShares)'")
        }
        return (i, h, c)
    }

    var settings: EngineSettings {
        var s = EngineSettings()
        s.halfLifeDays = halfLifeDays
        s.markovOrder = markovOrder
        s.phaseShares = (try? shares()) ?? s.phaseShares
        return s
    }

    /// The engine; for ihc-api, the key comes from the environment.
    func make(progress: (@Sendable (String) -> Void)?) throws -> any AttributionEngine {
        if let engine = EngineCatalog.engine(engine, settings) { return engine }
        let environment = ProcessInfo.processInfo.environment
        guard let urlText = apiURL ?? environment["IHC_API_URL"], let url = URL(string: urlText), url.scheme?.hasPrefix("http") == true else {
            throw ValidationError("--engine ihc-api needs --api-url (or the IHC_API_URL variable): the endpoint, e.g. https://HOST/v1/compute_ihc?conv_type_id=NAME")
        }
        guard let key = environment[apiKeyEnv], !key.isEmpty else {
            throw ValidationError("--engine ihc-api needs the API key in the environment variable \(apiKeyEnv)")
        }
        let configuration = IHCClientConfiguration(endpoint: url, apiKey: key, maxSessionsPerRequest: maxSessionsPerRequest,
                                                   maxConversionsPerRequest: maxConversionsPerRequest, maxRetries: maxRetries,
                                                   initialBackoff: backoff, timeout: timeout)
        return RemoteIHCEngine(client: IHCClient(configuration: configuration, progress: progress))
    }
}
