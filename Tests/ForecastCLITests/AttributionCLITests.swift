import Foundation
import IHCTestServer
import Testing

@Suite("forecast attribution")
struct AttributionCLITests {
    /// A generated database in a new folder.
    func generated(users: Int = 800) throws -> String {
        let db = scratch() + "/a.sqlite"
        let r = try forecast(["attribution", "generate", "--db", db, "--users", "\(users)", "--seed", "5", "--quiet"])
        #expect(r.status == 0 && r.stdout.contains("conversions"), "\(r.stderr)")
        return db
    }

    @Test func runWritesTheCSVAndAReRunChangesNothing() throws {
        let db = try generated()
        let csv = scratch() + "/channels.csv"
        let first = try forecast(["attribution", "run", "--db", db, "--engine", "markov", "--out", csv, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("journeys (all conversions)") && first.stdout.contains("without"))
        #expect(first.stdout.contains("weights sum to 1 within"))
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "channel_name,date,cost,ihc,ihc_revenue,cpo,roas")
        #expect(lines.count > 50 && lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 7 })
        // Organic and direct sessions cost nothing: their ROAS is empty.
        #expect(lines.contains { $0.hasPrefix("Organic Search,") && $0.hasSuffix(",") })
        let check = try forecast(["attribution", "check", "--db", db])
        #expect(check.status == 0 && check.stdout.contains("checks passed"), "\(check.stdout)")

        let again = try forecast(["attribution", "run", "--db", db, "--engine", "markov", "--out", csv, "--quiet"])
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == text)
    }

    @Test func stepsOneByOneWithARangeAndJSON() throws {
        let db = try generated()
        let range = ["--from", "2024-02-01", "--to", "2024-02-29"]
        let journeys = try forecast(["attribution", "journeys", "--db", db, "--lookback-days", "30", "--format", "json"] + range)
        #expect(journeys.status == 0)
        let j = json(journeys.stdout)
        let total = j["conversions"] as? Int ?? -1
        #expect(total > 0 && total == (j["conversions_with_sessions"] as? Int ?? 0) + (j["conversions_without_sessions"] as? Int ?? 0))
        let attribute = try forecast(["attribution", "attribute", "--db", db, "--engine", "time-decay", "--half-life-days", "3", "--format", "json"] + range)
        #expect(attribute.status == 0 && json(attribute.stdout)["engine"] as? String == "time-decay")
        #expect(try forecast(["attribution", "report", "--db", db] + range).status == 0)
        let csv = scratch() + "/feb.csv"
        let export = try forecast(["attribution", "export", "--db", db, "--out", csv] + range)
        #expect(export.status == 0 && export.stdout.contains("wrote \(csv)"))
        let dates = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
        #expect(!dates.isEmpty && dates.allSatisfy { $0.hasPrefix("2024-02") })
        // attribute before journeys for another range is refused with the way out.
        let march = try forecast(["attribution", "attribute", "--db", db, "--from", "2024-03-01"])
        #expect(march.status == 1 && march.stderr.contains("run `forecast attribution journeys`"))
    }

    @Test func badInputGetsUsefulErrors() throws {
        let missing = try forecast(["attribution", "journeys", "--db", "/nonexistent/a.sqlite"])
        #expect(missing.status == 1 && missing.stderr.contains("no such database"))
        let date = try forecast(["attribution", "journeys", "--db", "x.sqlite", "--from", "2024-13-01"])
        #expect(date.status == 64 && date.stderr.contains("--from must be a date"))
        let order = try forecast(["attribution", "report", "--from", "2024-03-01", "--to", "2024-02-01"])
        #expect(order.status == 64 && order.stderr.contains("before --from"))
        let engine = try forecast(["attribution", "attribute", "--engine", "magic"])
        #expect(engine.status == 64)
        let shares = try forecast(["attribution", "attribute", "--engine", "phase", "--phase-shares", "1,2"])
        #expect(shares.status == 64 && shares.stderr.contains("three non-negative numbers"))
        let db = try generated(users: 50)
        let again = try forecast(["attribution", "generate", "--db", db])
        #expect(again.status == 64 && again.stderr.contains("--overwrite"))
        let noURL = try forecast(["attribution", "attribute", "--db", db, "--engine", "ihc-api"])
        #expect(noURL.status == 64 && noURL.stderr.contains("--api-url"))
    }

    @Test func compareWritesTheReportAndTheHeatmap() throws {
        let db = try generated()
        let out = scratch()
        #expect(try forecast(["attribution", "journeys", "--db", db, "--lookback-days", "60"]).status == 0)
        let r = try forecast(["attribution", "compare", "--db", db, "--out", out, "--no-timings"])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOfFile: out + "/engines.md", encoding: .utf8)
        for engine in ["first-touch", "last-touch", "linear", "time-decay", "position-based", "markov", "markov-2", "shapley", "phase"] {
            #expect(md.contains("| \(engine)") || md.contains(" \(engine) |"), "\(engine)")
        }
        #expect(!md.contains("Time per engine"))
        #expect(try String(contentsOfFile: out + "/engines.svg", encoding: .utf8).contains("<svg"))
    }

    /// The remote engine end to end: the key comes from the environment and never shows in the output.
    @Test func remoteEngineFromTheCommandLine() async throws {
        var behaviour = MockIHCServer.Behaviour()
        behaviour.apiKey = "sk-live-9f8e7d6c"
        behaviour.maxSessions = 100
        behaviour.maxConversions = 20
        behaviour.script = [429]
        let server = try await MockIHCServer.start(behaviour)
        let db = try generated(users: 300)
        #expect(try forecast(["attribution", "journeys", "--db", db]).status == 0)
        let r = try await forecastAsync(["attribution", "attribute", "--db", db, "--engine", "ihc-api", "--api-url", server.endpoint.absoluteString,
                                         "--max-sessions-per-request", "100", "--max-conversions-per-request", "20", "--backoff", "0.01"],
                                        environment: ["IHC_API_KEY": "sk-live-9f8e7d6c"])
        let log = server.log
        await server.stop()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("engine ihc-api") && r.stderr.contains("HTTP 429; retrying"))
        #expect(!r.stdout.contains("sk-live") && !r.stderr.contains("sk-live"))
        #expect(log.keysSeen == ["sk-live-9f8e7d6c"] && log.violations.isEmpty && log.requests > 3)

        // Without the variable: refused before any request.
        let noKey = try forecast(["attribution", "attribute", "--db", db, "--engine", "ihc-api", "--api-url", "http://127.0.0.1:9/x",
                                  "--api-key-env", "NO_SUCH_VARIABLE_SET"])
        #expect(noKey.status == 64 && noKey.stderr.contains("NO_SUCH_VARIABLE_SET"))
    }
}
