import Foundation
import Testing

@Suite("forecast warehouse, export and pipeline")
struct WarehouseCLITests {
    /// A generated shop of 300 customers (with defects) in a new folder.
    func shop(_ name: String = #function) throws -> String {
        let dir = scratch(name)
        let r = try forecast(["generate", "--out", dir + "/shop", "--customers", "300", "--products", "40", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    @Test func loadCheckMartsExportAndCharts() throws {
        let dir = try shop()
        let db = dir + "/w.sqlite"
        let load = try forecast(["warehouse", "load", "--source", dir + "/shop", "--db", db, "--as-of", "2019-12-31", "--format", "json", "--quiet"])
        #expect(load.status == 0, "\(load.stderr)")
        let loaded = json(load.stdout)
        let tables = (loaded["load"] as? [String: Any])?["tables"] as? [[String: Any]] ?? []
        #expect(tables.map { $0["table"] as? String } == ["dim_customer", "dim_product", "fct_orders", "fct_order_lines"])
        for t in loaded["quality"] as? [[String: Any]] ?? [] {
            #expect(t["rows_read"] as? Int == (t["rows_accepted"] as? Int ?? -1) + (t["rows_rejected"] as? Int ?? -1))
        }
        let again = try forecast(["warehouse", "load", "--source", dir + "/shop", "--db", db, "--as-of", "2019-12-31", "--quiet"])
        #expect(again.status == 0 && again.stdout.contains("nothing changed"))

        let marts = try forecast(["warehouse", "marts", "--db", db, "--clusters", "3", "--quiet"])
        #expect(marts.status == 0, "\(marts.stderr)")
        #expect(marts.stdout.contains("not built (personal data; pass --include-pii)") && marts.stdout.contains("k = 3 (--clusters)"))
        let check = try forecast(["warehouse", "check", "--db", db])
        #expect(check.status == 0 && check.stdout.contains("checks passed"), "\(check.stdout)")

        // Exports: CSV with a header and as many rows as the table; JSON Lines parse one by one.
        let csv = try forecast(["export", "sales-by-category", "--db", db, "--format", "csv", "--out", dir + "/sales.csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let csvLines = try String(contentsOfFile: dir + "/sales.csv", encoding: .utf8).split(separator: "\n")
        #expect(csvLines.first == "grain,period,period_start,category,orders,units,revenue,customers")
        #expect(csv.stdout.contains("\(csvLines.count - 1) rows"))
        let jsonl = try forecast(["export", "customer-daily", "--db", db, "--format", "jsonl", "--out", dir + "/daily.jsonl"])
        #expect(jsonl.status == 0)
        let objects = try String(contentsOfFile: dir + "/daily.jsonl", encoding: .utf8).split(separator: "\n").map { json(String($0)) }
        #expect(objects.count > 100 && objects.allSatisfy { $0["customer_id"] is String && $0["spend"] is NSNumber })

        // The audience is personal data: refused without --include-pii, and not built yet.
        let refused = try forecast(["export", "marketing-audience", "--db", db, "--out", dir + "/a.csv"])
        #expect(refused.status == 1 && refused.stderr.contains("contains personal data") && refused.stderr.contains("--include-pii"))
        let notBuilt = try forecast(["export", "marketing-audience", "--db", db, "--include-pii", "--out", dir + "/a.csv"])
        #expect(notBuilt.status == 1 && notBuilt.stderr.contains("has not been built"))
        #expect(try forecast(["warehouse", "marts", "--db", db, "--include-pii", "--quiet"]).status == 0)
        let all = try forecast(["export", "all", "--db", db, "--include-pii", "--format", "jsonl", "--out", dir + "/all"])
        #expect(all.status == 0 && all.stdout.contains("(PERSONAL DATA)"))
        let manifest = json(try String(contentsOfFile: dir + "/all/manifest.json", encoding: .utf8))
        #expect(manifest["contains_personal_data"] as? Bool == true)
        let files = manifest["files"] as? [[String: Any]] ?? []
        #expect(files.count == 6 && files.filter { $0["contains_personal_data"] as? Bool == true }.map { $0["file"] as? String } == ["marketing-audience.jsonl"])

        let charts = try forecast(["warehouse", "charts", "--db", db, "--out", dir + "/charts"])
        #expect(charts.status == 0)
        for name in ["revenue-over-time", "revenue-by-category", "customers-by-state", "cluster-profiles"] {
            let svg = try String(contentsOfFile: "\(dir)/charts/\(name).svg", encoding: .utf8)
            #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"), "\(name)")
        }
    }

    @Test func checkFailsWithExitCodeTwoAndErrorsNameTheProblem() throws {
        let dir = try shop()
        let db = dir + "/w.sqlite"
        #expect(try forecast(["warehouse", "load", "--source", dir + "/shop", "--db", db, "--as-of", "2019-12-31", "--quiet"]).status == 0)
        // Break an order total behind the warehouse's back.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE fct_orders SET order_total = order_total + 1 WHERE order_key = 3'); c.commit()", db]
        try sqlite.run()
        sqlite.waitUntilExit()
        let check = try forecast(["warehouse", "check", "--db", db])
        #expect(check.status == 2 && check.stdout.contains("FAIL  consistency    order totals = sum of their lines"))
        let missing = try forecast(["warehouse", "check", "--db", dir + "/nope.sqlite"])
        #expect(missing.status == 1 && missing.stderr.contains("no such database"))
        let badMapping = try forecast(["warehouse", "load", "--source", dir + "/shop", "--db", db, "--mapping", dir + "/none.json"])
        #expect(badMapping.status == 1 && badMapping.stderr.contains("none.json: cannot open"))
        let badMart = try forecast(["export", "sales", "--db", db])
        #expect(badMart.status != 0 && badMart.stderr.contains("unknown mart 'sales'"))
    }

    @Test func pipelineRunsEveryStepAndIsSafeToRerun() throws {
        let dir = try shop()
        let arguments = ["pipeline", "run", "--date", "2019-12-31", "--source", dir + "/shop", "--db", dir + "/w.sqlite",
                         "--out", dir + "/exports", "--clusters", "2", "--quiet"]
        let first = try forecast(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        for step in ["ingest", "load", "check", "marts", "check-marts", "export"] {
            #expect(first.stdout.contains("\n" + step + " ") || first.stdout.hasPrefix(step + " "), "\(step)")
        }
        let out = dir + "/exports/2019-12-31"
        for file in ["sales-by-product.csv", "customer-daily.csv", "manifest.json", "quality/quality.json", "quality/rejects.csv"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/marketing-audience.csv"))
        let exported = try String(contentsOfFile: out + "/sales-by-product.csv", encoding: .utf8)
        let second = try forecast(arguments)
        #expect(second.status == 0)
        #expect(second.stdout.contains("load") && second.stdout.contains("dim_customer +0 ~0, dim_product +0 ~0, fct_orders +0 ~0, fct_order_lines +0 ~0"))
        #expect(try String(contentsOfFile: out + "/sales-by-product.csv", encoding: .utf8) == exported)
        let log = try String(contentsOfFile: out + "/pipeline-log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(log.count == 12 && log.allSatisfy { json(String($0))["rows_in"] is Int })
    }
}
