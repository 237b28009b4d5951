import ArgumentParser
import ForecastKit
import Foundation

struct AttributionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribution",
        abstract: "Multi-touch marketing attribution: journeys, engines, channel reporting with CPO and ROAS.",
        discussion: """
            Steps, each idempotent for a range of conversion dates (--from, --to):
              journeys   each conversion's earlier sessions of its user
              attribute  split each conversion among its sessions (engine)
              report     channel_reporting per channel and session date
              export     channel_reporting as CSV, with cpo and roas
              run        the four steps in order
            Examples:
              forecast attribution generate --db a.sqlite --users 10000
              forecast attribution run --db a.sqlite --engine markov \\
                --out channels.csv
              forecast attribution attribute --db a.sqlite \\
                --engine time-decay --half-life-days 3 \\
                --from 2024-03-01 --to 2024-03-31
              IHC_API_KEY=... forecast attribution attribute \\
                --db a.sqlite --engine ihc-api --api-url URL
              forecast attribution compare --db a.sqlite --out reports/attribution
            The schema, the engines and the API client: docs/attribution.md.
            """,
        subcommands: [AttributionGenerateCommand.self, AttributionJourneysCommand.self, AttributionAttributeCommand.self,
                      AttributionReportCommand.self, AttributionExportCommand.self, AttributionRunCommand.self,
                      AttributionCheckCommand.self, AttributionCompareCommand.self, AttributionBenchCommand.self]
    )
}

// MARK: - Shared options

struct AttributionDatabaseOption: ParsableArguments {
    @Option(help: "The attribution database (SQLite); missing tables are created from the shipped schema.")
    var db = "attribution.sqlite"

    func open() throws -> Warehouse { try AttributionDatabase.open(path: db, create: false) }
}

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

struct LookbackOption: ParsableArguments {
    @Option(name: .customLong("lookback-days"), help: "Only sessions at most this many days before the conversion (default: all earlier sessions).")
    var lookbackDays: Int?

    func validate() throws {
        if let lookbackDays, lookbackDays <= 0 { throw ValidationError("--lookback-days must be positive, got \(lookbackDays)") }
    }
}

extension EngineName: ExpressibleByArgument {}

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

// MARK: - Commands

struct AttributionGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Create a realistic attribution database (deterministic for a seed).",
        discussion: """
            Seven channels with different costs and funnel roles (paid search, display, \
            social, email, affiliate, organic search, direct), multi-session journeys, \
            sessions without cost and about 3% of users with a conversion that has no \
            session before it.
            """
    )

    @OptionGroup var database: AttributionDatabaseOption
    @Option(help: "Users to simulate.")
    var users = 10_000
    @Option(help: "Random seed.")
    var seed: UInt64 = 42
    @Option(help: "First day of the simulated window, YYYY-MM-DD.")
    var start = "2024-01-01"
    @Option(help: "Days in the window.")
    var days = 120
    @Flag(help: "Replace the database file if it exists.")
    var overwrite = false
    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        if users < 0 { throw ValidationError("--users must not be negative") }
        if days < 1 { throw ValidationError("--days must be at least 1") }
        if CivilDate(iso: start) == nil { throw ValidationError("--start must be a date like 2024-01-01, got '\(start)'") }
    }

    func run() throws {
        try runReportingErrors {
            if FileManager.default.fileExists(atPath: database.db) {
                guard overwrite else { throw ValidationError("\(database.db) exists; pass --overwrite to replace it") }
                for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: database.db + suffix) }
            }
            let db = try AttributionDatabase.open(path: database.db)
            let generator = AttributionGenerator(users: users, seed: seed, start: CivilDate(iso: start)!, days: days)
            let progress = progressLine(quiet: quiet)
            let s = try generator.write(to: db) { progress?($0) }
            print("wrote \(database.db): \(s.users) users, \(s.sessions) sessions (\(s.sessionsWithCost) with a cost, total \(money(s.cost))), "
                  + "\(s.conversions) conversions (revenue \(money(s.revenue)); \(s.conversionsWithoutSession) without any earlier session)")
        }
    }
}

struct AttributionJourneysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journeys",
        abstract: "Step 1: each conversion's earlier sessions of the same user, in time order.",
        discussion: """
            Writes journey_conversions (every conversion of the range, with its session \
            count) and journey_sessions, replacing the range's rows in one transaction. \
            Conversions with no earlier session are counted and listed; they stay \
            unattributed.
            """
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var lookback: LookbackOption
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        try runReportingErrors {
            let summary = try JourneyStep.run(try database.open(), range: try range.range(), lookbackDays: lookback.lookbackDays)
            try printSummary(summary, format: format, text: AttributionText.journeys)
        }
    }
}

struct AttributionAttributeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Step 2: split each conversion of the range among its journey's sessions with an engine.",
        discussion: """
            Every conversion's weights must sum to 1 (within 1e-9) before anything is \
            written; then the range's rows of attribution_customer_journey are replaced \
            in one transaction. With --engine ihc-api, journeys the API fails are listed \
            by conversion id, the others are written, and the exit code is 2.
            """
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var engine: EngineOptions
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text
    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() async throws {
        try await runReportingErrors {
            let summary = try await AttributeStep.run(try database.open(), range: try range.range(),
                                                      engine: try engine.make(progress: progressLine(quiet: quiet)))
            try printSummary(summary, format: format, text: AttributionText.attribute)
            if !summary.failures.isEmpty { throw ExitCode(2) }
        }
    }
}

struct AttributionReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Step 3: fill channel_reporting (cost, ihc, ihc_revenue per channel and session date).",
        discussion: "Refreshes the range's dates and every session date of the range's journeys, in one transaction."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        try runReportingErrors {
            let summary = try ReportStep.run(try database.open(), range: try range.range())
            try printSummary(summary, format: format, text: AttributionText.report)
        }
    }
}

struct AttributionExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Step 4: channel_reporting as CSV, with cpo = cost / ihc and roas = ihc_revenue / cost.",
        discussion: "A zero denominator leaves the field empty (undefined). --from/--to select session dates."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @Option(help: "The CSV file to write.")
    var out: String

    func run() throws {
        try runReportingErrors {
            let rows = try ChannelExport.rows(try database.open(), dates: try range.range())
            try ChannelExport.write(rows, to: out)
            print(AttributionText.export(rows, path: out))
        }
    }
}

struct AttributionRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "All four steps: journeys, attribute, report, export.",
        discussion: "Each step is one transaction; a re-run of the same range and engine changes nothing."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var lookback: LookbackOption
    @OptionGroup var engine: EngineOptions
    @Option(help: "The CSV file to write.")
    var out: String
    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() async throws {
        try await runReportingErrors {
            let db = try database.open(), range = try range.range()
            let progress = progressLine(quiet: quiet)
            progress?("journeys")
            print(AttributionText.journeys(try JourneyStep.run(db, range: range, lookbackDays: lookback.lookbackDays)))
            progress?("attribute (\(engine.engine.rawValue))")
            let attribution = try await AttributeStep.run(db, range: range, engine: try engine.make(progress: progress))
            print(AttributionText.attribute(attribution))
            progress?("report")
            print(AttributionText.report(try ReportStep.run(db, range: range)))
            progress?("export")
            let rows = try ChannelExport.rows(db, dates: range)
            try ChannelExport.write(rows, to: out)
            print(AttributionText.export(rows, path: out))
            if !attribution.failures.isEmpty { throw ExitCode(2) }
        }
    }
}

struct AttributionCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the attribution database's data tests (keys, weights sum to 1, reconciliation).",
        discussion: "Exit code 2 when a check fails, 1 when the database cannot be read."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        try runReportingErrors {
            try printChecks(try DataCheck.run(AttributionChecks.all, in: try database.open()), format: format)
        }
    }
}

struct AttributionCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run every in-process engine on the same journeys and compare the channels they credit.",
        discussion: "Writes OUT/engines.md (shares, CPO, ROAS per channel and engine) and OUT/engines.svg (a heatmap). Changes nothing in the database."
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var engine: EngineOptions
    @Option(help: "Folder for engines.md and engines.svg.")
    var out = "reports/attribution"
    @Flag(name: .customLong("no-timings"), help: "Leave the engines' times out of the report (for a reproducible file).")
    var noTimings = false

    func run() async throws {
        try await runReportingErrors {
            let comparison = try await EngineComparison.run(try database.open(), range: try range.range(),
                                                            engines: EngineCatalog.comparisonSet(engine.settings))
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try comparison.markdown(timings: !noTimings).write(toFile: "\(out)/engines.md", atomically: true, encoding: .utf8)
            try comparison.heatmap().svg().write(toFile: "\(out)/engines.svg", atomically: true, encoding: .utf8)
            print("compared \(comparison.engines.count) engines on \(comparison.journeys) journeys (\(comparison.sessions) sessions)")
            print("wrote \(out)/engines.md and \(out)/engines.svg")
        }
    }
}

struct AttributionBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the attribute step of each in-process engine (read journeys, engine, write).",
        discussion: """
            Overwrites attribution_customer_journey for the range (the last engine's \
            weights stay). make attribution-bench generates a database with about \
            1,000,000 journey sessions and runs it.
            """
    )

    @OptionGroup var database: AttributionDatabaseOption
    @OptionGroup var range: ConversionRangeOptions
    @OptionGroup var engine: EngineOptions

    func run() async throws {
        try await runReportingErrors {
            let db = try database.open(), range = try range.range()
            print("engine          journeys   sessions   read s  engine s   write s   sessions/s (engine)")
            for e in EngineCatalog.comparisonSet(engine.settings) {
                let s = try await AttributeStep.run(db, range: range, engine: e)
                print(e.name.padding(toLength: 14, withPad: " ", startingAt: 0)
                      + String(format: " %9d %10d %8.2f %9.3f %9.2f %12.0f", s.journeys, s.sessions, s.readSeconds, s.engineSeconds,
                               s.writeSeconds, Double(s.sessions) / max(s.engineSeconds, 1e-9)))
            }
        }
    }
}

// MARK: - Output

func printSummary<T: Encodable>(_ summary: T, format: TextOrJSON, text: (T) -> String) throws {
    switch format {
    case .json: print(try IngestOutput.jsonText(summary, pretty: true), terminator: "")
    case .text: print(text(summary))
    }
}

func money(_ v: Double) -> String { String(format: "%.2f", v) }

enum AttributionText {
    static func journeys(_ s: JourneyStep.Summary) -> String {
        var out = "journeys (\(s.range)\(s.lookbackDays.map { ", lookback \($0) days" } ?? "")): \(s.conversions) conversions = "
        out += "\(s.conversionsWithSessions) with sessions + \(s.conversionsWithoutSessions) without; \(s.journeySessions) journey sessions"
        out += "\n  revenue: \(money(s.attributableRevenue)) attributable, \(money(s.unattributableRevenue)) without a session"
        if !s.withoutSessionExamples.isEmpty {
            out += "\n  without a session (not attributed): " + s.withoutSessionExamples.joined(separator: ", ")
            if s.conversionsWithoutSessions > s.withoutSessionExamples.count { out += ", ... (\(s.conversionsWithoutSessions) in all)" }
        }
        return out
    }

    static func attribute(_ s: AttributeStep.Summary) -> String {
        var out = "attribute (\(s.range), engine \(s.engine)): \(s.attributed) of \(s.journeys) conversions, \(s.rowsWritten) rows; "
        out += String(format: "weights sum to 1 within %.1e; read %.2f s, engine %.3f s, write %.2f s",
                      s.largestDeviation, s.readSeconds, s.engineSeconds, s.writeSeconds)
        if !s.failures.isEmpty {
            out += "\n  \(s.failures.count) conversions failed (not written):"
            for f in s.failures.prefix(50) { out += "\n    \(f.conversionID): \(f.reason)" }
            if s.failures.count > 50 { out += "\n    ... (\(s.failures.count) in all; --format json lists every one)" }
        }
        return out
    }

    static func report(_ s: ReportStep.Summary) -> String {
        "report (\(s.range)): \(s.datesRefreshed) dates refreshed, \(s.rowsWritten) channel-day rows; totals cost \(money(s.cost)), "
            + String(format: "ihc %.6f, ihc_revenue %@", s.ihc, money(s.ihcRevenue))
    }

    static func export(_ rows: [ChannelExport.Row], path: String) -> String {
        let cost = rows.reduce(0) { $0 + $1.cost }, ihc = rows.reduce(0) { $0 + $1.ihc }, revenue = rows.reduce(0) { $0 + $1.ihcRevenue }
        return "export: wrote \(path): \(rows.count) rows; cost \(money(cost)), ihc " + String(format: "%.3f", ihc)
            + ", ihc_revenue \(money(revenue))" + (cost > 0 ? String(format: ", ROAS %.3f", revenue / cost) : "")
    }
}
