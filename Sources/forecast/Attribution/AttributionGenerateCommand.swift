import ArgumentParser
import Attribution
import ForecastKit
import Foundation

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
        if FileManager.default.fileExists(atPath: database.db) {
            guard overwrite else { throw ValidationError("\(database.db) exists; pass --overwrite to replace it") }
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: database.db + suffix) }
        }
        let db = try AttributionDatabase(path: database.db)
        let generator = AttributionGenerator(users: users, seed: seed, start: CivilDate(iso: start)!, days: days)
        let progress = progressLine(quiet: quiet)
        let s = try generator.write(to: db) { progress?($0) }
        print("wrote \(database.db): \(s.users) users, \(s.sessions) sessions (\(s.sessionsWithCost) with a cost, total \(money(s.cost))), "
              + "\(s.conversions) conversions (revenue \(money(s.revenue)); \(s.conversionsWithoutSession) without any earlier session)")
    }
}
