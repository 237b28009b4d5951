import Attribution
import Core
import Foundation
import GRDB
import Ingestion
import Testing
import Warehouse

/// A hand-made database: user u1 with sessions on Jan 1, Jan 20, Feb 1 12:00 (the conversion's
/// exact time, so not before it) and Feb 2; user u2 with one session; a conversion of u1 on
/// Feb 1 12:00, one of u2 before its session, one of u3 who has no session at all.
func handMadeDatabase(_ name: String = #function) throws -> AttributionDatabase {
    let db = try AttributionDatabase(path: temporaryDirectory(name) + "/a.sqlite")
    try db.queue.write { db in
        try db.execute(sql: """
            INSERT INTO session_sources VALUES
              ('s1', 'u1', '2024-01-01', '09:00:00', 'Display', 0, 0, 1),
              ('s2', 'u1', '2024-01-20', '10:00:00', 'Email', 1, 0, 0),
              ('s3', 'u1', '2024-02-01', '12:00:00', 'Paid Search', 0, 1, 0),
              ('s4', 'u1', '2024-02-02', '08:00:00', 'Direct', 0, 0, 0),
              ('s5', 'u2', '2024-02-05', '08:00:00', 'Social', 0, 0, 0);
            INSERT INTO session_costs VALUES ('s1', 0.5), ('s3', 1.25), ('s5', 0.75);
            INSERT INTO conversions VALUES
              ('c1', 'u1', '2024-02-01', '12:00:00', 100.0),
              ('c2', 'u2', '2024-02-04', '23:59:59', 40.0),
              ('c3', 'u3', '2024-02-10', '10:00:00', 10.0);
            """)
    }
    return db
}

@Suite("attribution pipeline: journeys, attribute, report, export")
struct PipelineTests {
    @Test func journeysTakeEarlierSessionsOfTheSameUser() throws {
        let db = try handMadeDatabase()
        let summary = try JourneyStep.run(db, range: .all, lookbackDays: nil)
        #expect(summary.conversions == 3 && summary.conversionsWithSessions == 1 && summary.conversionsWithoutSessions == 2)
        #expect(Set(summary.withoutSessionExamples) == ["c2", "c3"])
        #expect(summary.attributableRevenue == 100 && summary.unattributableRevenue == 50)
        let rows = try db.queue.read { try Row.fetchAll($0, sql: "SELECT conv_id, session_id, position FROM journey_sessions ORDER BY position") }
        #expect(rows.map { $0[1] as String } == ["s1", "s2"])
        #expect(rows.map { $0[2] as Int } == [1, 2])
        let counts = try db.queue.read { try Row.fetchAll($0, sql: "SELECT conv_id, sessions FROM journey_conversions ORDER BY conv_id") }
        #expect(counts.map { "\($0[0] as String):\($0[1] as Int)" } == ["c1:2", "c2:0", "c3:0"])
        // A 20-day lookback drops the Jan 1 session (31 days before).
        let recent = try JourneyStep.run(db, range: .all, lookbackDays: 20)
        #expect(recent.journeySessions == 1)
        #expect(try db.count("journey_sessions") == 1)
    }

    @Test func badTimestampNamesTheRow() throws {
        let db = try handMadeDatabase()
        try db.queue.write { try $0.execute(sql: "UPDATE conversions SET conv_time = '25:00' WHERE conv_id = 'c2'") }
        #expect(throws: AttributionError.badTimestamp(table: "conversions", key: "c2", date: "2024-02-04", time: "25:00")) {
            try JourneyStep.run(db, range: .all, lookbackDays: nil)
        }
    }

    @Test func attributeNeedsJourneysAndWritesWeights() async throws {
        let db = try handMadeDatabase()
        await #expect(throws: AttributionError.journeysMissing(conversions: 3, range: "all conversions")) {
            try await AttributeStep.run(db, range: .all, engine: LinearEngine())
        }
        _ = try JourneyStep.run(db, range: .all, lookbackDays: nil)
        let summary = try await AttributeStep.run(db, range: .all, engine: LastTouchEngine())
        #expect(summary.journeys == 1 && summary.rowsWritten == 2 && summary.failures.isEmpty)
        let weights = try rows(db, "SELECT session_id, ihc FROM attribution_customer_journey ORDER BY session_id")
        #expect(weights.map { "\($0[0] as String)=\($0[1] as Double)" } == ["s1=0.0", "s2=1.0"])
        // Report: Email on Jan 20 gets the conversion; Display on Jan 1 its cost only; Social's cost on Feb 5.
        let report = try ReportStep.run(db, range: .all)
        #expect(report.cost == 2.5 && report.ihc == 1 && report.ihcRevenue == 100)
        let rows = try ChannelExport.rows(db, dates: .all)
        #expect(rows.map(\.channel) == ["Display", "Email", "Paid Search", "Direct", "Social"])
        let csv = ChannelExport.csv(rows)
        #expect(csv.hasPrefix("channel_name,date,cost,ihc,ihc_revenue,cpo,roas\n"))
        // Display: cost 0.50, no conversion -> no CPO, ROAS 0. Email: no cost -> CPO 0, no ROAS.
        #expect(csv.contains("Display,2024-01-01,0.50,0.000000,0.00,,0.000000\n"))
        #expect(csv.contains("Email,2024-01-20,0.00,1.000000,100.00,0.000000,\n"))
        #expect(try DataCheck.run(AttributionChecks.all, in: db).allSatisfy(\.passed))
    }

    /// An engine whose weights do not sum to 1: nothing is written.
    struct BrokenEngine: AttributionEngine {
        let name = "broken"
        func attribute(_ journeys: JourneySet) async throws -> EngineResult {
            EngineResult(weights: [Double](repeating: 0.3, count: journeys.touchpointCount))
        }
    }

    @Test func weightsThatDoNotSumToOneWriteNothing() async throws {
        let db = try generatedDatabase(users: 300)
        _ = try JourneyStep.run(db, range: .all, lookbackDays: nil)
        _ = try await AttributeStep.run(db, range: .all, engine: LinearEngine())
        let before = try outputChecksums(db)
        await #expect(throws: AttributionError.self) { try await AttributeStep.run(db, range: .all, engine: BrokenEngine()) }
        #expect(try outputChecksums(db) == before)
    }

    @Test func generatedDatabaseReconcilesAndReRunsChangeNothing() async throws {
        let db = try generatedDatabase(users: 2000)
        let journeys = try JourneyStep.run(db, range: .all, lookbackDays: nil)
        #expect(journeys.conversionsWithoutSessions > 0 && journeys.conversionsWithSessions > 100)
        let attribution = try await AttributeStep.run(db, range: .all, engine: MarkovEngine())
        #expect(attribution.largestDeviation <= 1e-9)
        let report = try ReportStep.run(db, range: .all)
        let source = try rows(db, "SELECT (SELECT total(cost) FROM session_costs), (SELECT total(revenue) FROM conversions), (SELECT count(*) FROM conversions)")[0]
        // Total cost = the session costs; attributed + unattributable revenue = all revenue; ihc = attributed conversions.
        #expect(abs(report.cost - (source[0] as Double)) < 1e-6)
        #expect(abs(report.ihcRevenue + journeys.unattributableRevenue - (source[1] as Double)) < 1e-6)
        #expect(abs(report.ihc - Double(journeys.conversionsWithSessions)) < 1e-6)
        #expect(journeys.conversions == source[2] as Int)
        #expect(try DataCheck.run(AttributionChecks.all, in: db).allSatisfy(\.passed))

        // Running every step again changes nothing.
        let first = try outputChecksums(db)
        _ = try JourneyStep.run(db, range: .all, lookbackDays: nil)
        _ = try await AttributeStep.run(db, range: .all, engine: MarkovEngine())
        _ = try ReportStep.run(db, range: .all)
        #expect(try outputChecksums(db) == first)
    }

    /// Steps run month by month give the same tables as one run over everything (in-process
    /// engines that depend on each journey only).
    @Test func rangesReplaceOnlyTheirRows() async throws {
        let db = try generatedDatabase(users: 1500)
        for step in [("2024-01-01", "2024-01-31"), ("2024-02-01", "2024-02-29"), ("2024-03-01", "2024-04-30")] {
            let range = try ConversionRange(from: CivilDate(iso: step.0), to: CivilDate(iso: step.1))
            _ = try JourneyStep.run(db, range: range, lookbackDays: 30)
            _ = try await AttributeStep.run(db, range: range, engine: PositionBasedEngine())
            _ = try ReportStep.run(db, range: range)
        }
        let monthly = try outputChecksums(db)
        #expect(try DataCheck.run(AttributionChecks.all, in: db).allSatisfy(\.passed))
        // February again, with another engine: only February's conversions change.
        let february = try ConversionRange(from: CivilDate(iso: "2024-02-01"), to: CivilDate(iso: "2024-02-29"))
        let outside = "SELECT count(*) FROM attribution_runs r JOIN conversions c USING (conv_id) WHERE r.engine = ? AND c.conv_date NOT BETWEEN '2024-02-01' AND '2024-02-29'"
        _ = try await AttributeStep.run(db, range: february, engine: FirstTouchEngine())
        #expect(try scalar(db, outside, ["first-touch"]) == 0)
        #expect(try scalar(db, "SELECT count(*) FROM attribution_runs WHERE engine = 'first-touch'") > 0)
        _ = try await AttributeStep.run(db, range: february, engine: PositionBasedEngine())
        _ = try ReportStep.run(db, range: february)
        #expect(try outputChecksums(db) == monthly)

        let whole = try generatedDatabase(users: 1500, "whole")
        _ = try JourneyStep.run(whole, range: .all, lookbackDays: 30)
        _ = try await AttributeStep.run(whole, range: .all, engine: PositionBasedEngine())
        _ = try ReportStep.run(whole, range: .all)
        #expect(try outputChecksums(whole) == monthly)
    }

    @Test func generatorIsDeterministicAndRealistic() throws {
        let a = try generatedDatabase(users: 500, seed: 3, "a"), b = try generatedDatabase(users: 500, seed: 3, "b")
        let tables = AttributionDatabase.sourceTables
        #expect(try TableChecksum.all(in: a, tables: tables) == TableChecksum.all(in: b, tables: tables))
        let c = try generatedDatabase(users: 500, seed: 4, "c")
        #expect(try TableChecksum.all(in: a, tables: tables) != TableChecksum.all(in: c, tables: tables))
        let channels = try a.queue.read { try String.fetchAll($0, sql: "SELECT DISTINCT channel_name FROM session_sources ORDER BY 1") }
        #expect(channels == ["Affiliate", "Direct", "Display", "Email", "Organic Search", "Paid Search", "Social"])
        let free = try a.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM session_sources s WHERE NOT EXISTS (SELECT 1 FROM session_costs k WHERE k.session_id = s.session_id)") }!
        #expect(free > 0)
        let multi = try a.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM (SELECT user_id FROM session_sources GROUP BY user_id HAVING count(*) > 3)") }!
        #expect(multi > 50)
        // Writing into a database that has rows is refused.
        #expect(throws: AttributionError.self) { try AttributionGenerator(users: 1, seed: 1).write(to: a) }
        #expect(try DataCheck.run(AttributionChecks.all, in: a).allSatisfy(\.passed))
    }

    @Test func schemaIsShippedAndMissingTablesAreCreated() throws {
        let path = temporaryDirectory() + "/partial.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE conversions (conv_id TEXT PRIMARY KEY, user_id TEXT, conv_date TEXT, conv_time TEXT, revenue REAL); INSERT INTO conversions VALUES ('x', 'u', '2024-01-01', '10:00:00', 5)") }
        try queue.close()
        let db = try AttributionDatabase(path: path, create: false)
        let tables = try db.tableNames()
        for t in AttributionDatabase.sourceTables + AttributionDatabase.outputTables { #expect(tables.contains(t)) }
        #expect(try db.count("conversions") == 1)
        #expect(try db.database.appliedMigrations(AttributionDatabase.migrator) == ["attribution-v1"])
        #expect(AttributionDatabase.schemaSQL.contains("CREATE TABLE IF NOT EXISTS channel_reporting"))
        #expect(throws: AttributionError.noDatabase(path: "/nonexistent/a.sqlite")) { try AttributionDatabase(path: "/nonexistent/a.sqlite", create: false) }
    }
}
