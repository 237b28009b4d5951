import Foundation
import TestSupport
import Testing

/// `--db postgresql://...` end to end: the daily pipeline into PostgreSQL writes the exports the
/// SQLite pipeline writes; roles from the CLI; bad URLs, passwords and servers say what is wrong
/// without printing a password.
@Suite("forecast with PostgreSQL", .serialized, .enabled(if: PostgresTestServer.available, Comment(rawValue: PostgresTestServer.absent)))
struct PostgresCLITests {
    var environment: [String: String] { ["PGPASSWORD": PostgresTestServer.password ?? ""] }

    @Test func pipelineIntoPostgresExportsWhatSQLiteExports() async throws {
        let dir = scratch()
        let generated = try forecast(["generate", "--out", dir + "/shop", "--customers", "300", "--products", "40", "-q"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let database = try PostgresTestServer.createDatabase()
        defer { PostgresTestServer.dropDatabase(database) }
        let url = PostgresTestServer.url(database: database)
        let roles = try await forecastAsync(["warehouse", "roles", "--db", url], environment: environment)
        #expect(roles.status == 0, "\(roles.stderr)")
        #expect(roles.stdout.contains("sales_analyst: reads") && roles.stdout.contains("and of dim_customer only customer_key, customer_id, city, state, signup_date"))

        let arguments = ["pipeline", "run", "--date", "2019-12-31", "--source", dir + "/shop", "--include-pii", "--quiet"]
        let intoPostgres = try await forecastAsync(arguments + ["--db", url, "--out", dir + "/pg"], environment: environment)
        #expect(intoPostgres.status == 0, "\(intoPostgres.stdout)\n\(intoPostgres.stderr)")
        let intoSQLite = try await forecastAsync(arguments + ["--db", dir + "/w.sqlite", "--out", dir + "/sqlite"])
        #expect(intoSQLite.status == 0, "\(intoSQLite.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/sqlite/2019-12-31").filter { $0.hasSuffix(".csv") }.sorted()
        #expect(files.count == 6)
        for file in files {
            let a = try String(contentsOfFile: dir + "/sqlite/2019-12-31/" + file, encoding: .utf8)
            let b = try String(contentsOfFile: dir + "/pg/2019-12-31/" + file, encoding: .utf8)
            #expect(Self.sameCSV(a, b), "\(file) differs between SQLite and PostgreSQL")
        }
        let manifest = json(try String(contentsOfFile: dir + "/pg/2019-12-31/manifest.json", encoding: .utf8))
        #expect(manifest["database"] as? String == url)

        let check = try await forecastAsync(["warehouse", "check", "--db", url], environment: environment)
        #expect(check.status == 0 && check.stdout.contains("checks passed"), "\(check.stdout)")
        let log = try PostgresTestServer.psql("SELECT string_agg(step, ',' ORDER BY run_id) FROM etl_log", database: database)
        #expect(log == "ingest,load,check,marts,check-marts,export")
        let again = try await forecastAsync(["warehouse", "load", "--source", dir + "/shop", "--db", url, "--as-of", "2019-12-31", "--quiet"],
                                            environment: environment)
        #expect(again.status == 0 && again.stdout.contains("nothing changed"), "\(again.stdout)")
        let charts = try await forecastAsync(["warehouse", "charts", "--db", url, "--out", dir + "/charts"], environment: environment)
        #expect(charts.status == 0, "\(charts.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/charts/revenue-by-category.svg"))
        let bench = try await forecastAsync(["warehouse", "bench", "--db", url, "--repeats", "1"], environment: environment)
        #expect(bench.status == 0 && bench.stdout.contains("from the roll-up: ") && bench.stdout.contains("from the facts: "), "\(bench.stderr)")
        let rows = bench.stdout.split(separator: "\n").compactMap { $0.split(separator: ":").last?.split(separator: " ").first.flatMap { Int($0) } }
        #expect(rows.count == 2 && rows[0] == rows[1] && rows[0] > 0, "\(bench.stdout)")
    }

    @Test func badURLsPasswordsAndServersSayWhatIsWrong() async throws {
        let database = try PostgresTestServer.createDatabase()
        defer { PostgresTestServer.dropDatabase(database) }
        let url = PostgresTestServer.url(database: database)

        let wrong = try await forecastAsync(["warehouse", "check", "--db", url], environment: ["PGPASSWORD": "s3cret-but-wrong"])
        #expect(wrong.status == 1 && wrong.stderr.contains("login refused"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("s3cret-but-wrong") && !wrong.stdout.contains("s3cret-but-wrong"))

        let inURL = try await forecastAsync(["warehouse", "check", "--db", url.replacingOccurrences(of: "postgres@", with: "postgres:hunter2@")])
        #expect(inURL.status == 1 && inURL.stderr.contains("password in the URL"), "\(inURL.stderr)")
        #expect(!inURL.stderr.contains("hunter2"))

        let named = try await forecastAsync(["warehouse", "check", "--db", url, "--password-env", "FORECAST_TEST_NO_SUCH_VARIABLE"])
        #expect(named.status == 1 && named.stderr.contains("FORECAST_TEST_NO_SUCH_VARIABLE, which is not set"), "\(named.stderr)")

        let empty = try await forecastAsync(["warehouse", "check", "--db", url, "--password-env", "MY_PG_SECRET"],
                                            environment: ["MY_PG_SECRET": PostgresTestServer.password ?? "", "PGPASSWORD": "wrong"])
        #expect(empty.status == 1 && empty.stderr.contains("the warehouse schema is missing"), "\(empty.stderr)")

        let noDatabase = try await forecastAsync(["warehouse", "marts", "--db", PostgresTestServer.url(database: "no_such_db_x")],
                                                 environment: environment)
        #expect(noDatabase.status == 1 && noDatabase.stderr.contains("the database does not exist"), "\(noDatabase.stderr)")

        let refused = try await forecastAsync(["warehouse", "check", "--db", "postgresql://postgres@127.0.0.1:1/shop"], environment: environment)
        #expect(refused.status == 1 && refused.stderr.contains("cannot connect"), "\(refused.stderr)")

        let sqliteRoles = try await forecastAsync(["warehouse", "roles", "--db", scratch() + "/w.sqlite"])
        #expect(sqliteRoles.status == 64 && sqliteRoles.stderr.contains("roles are PostgreSQL's"), "\(sqliteRoles.stderr)")
    }

    /// `forecast sql features --dialect postgres` run by psql over the generated log gives what
    /// `forecast features` writes, for every customer and feature (within 1e-9; missing as missing).
    @Test func sqlFeaturesInPostgresEqualForecastFeatures() async throws {
        let dir = scratch()
        let generated = try forecast(["generate", "--out", dir + "/shop", "--customers", "300", "--products", "40", "--clean", "-q"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let features = try forecast(["features", "--data", dir + "/shop/transactions.csv", "--layout", "transactions", "--cutoff", "2019-07-01",
                                     "--out", dir + "/f.csv"])
        #expect(features.status == 0, "\(features.stderr)")
        let sql = try forecast(["sql", "features", "--dialect", "postgres", "--cutoff", "2019-07-01", "--with-products"])
        #expect(sql.status == 0 && sql.stdout.contains("SELECT"), "\(sql.stderr)")

        let database = try PostgresTestServer.createDatabase()
        defer { PostgresTestServer.dropDatabase(database) }
        try Self.loadTransactions(dir + "/shop/transactions.csv", into: database)
        let fromSQL = Self.table(try PostgresTestServer.psql(sql.stdout, database: database, csv: true))
        let fromSwift = Self.table(try String(contentsOfFile: dir + "/f.csv", encoding: .utf8))
        #expect(fromSQL.rows.count == fromSwift.rows.count && fromSQL.rows.count > 200)
        let names = fromSQL.header.dropFirst()
        #expect(names.allSatisfy(fromSwift.header.contains), "\(fromSQL.header) vs \(fromSwift.header)")
        var compared = 0
        for (id, row) in fromSQL.rows {
            guard let other = fromSwift.rows[id] else { Issue.record("customer \(id) only in the SQL's result"); continue }
            for name in names {
                let a = row[fromSQL.header.firstIndex(of: name)!], b = other[fromSwift.header.firstIndex(of: name)!]
                if a.isEmpty || b.isEmpty {
                    #expect(a.isEmpty && b.isEmpty, "\(id) \(name): '\(a)' vs '\(b)'")
                } else {
                    let x = Double(a) ?? .nan, y = Double(b) ?? .nan
                    #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(id) \(name): \(a) vs \(b)")
                }
                compared += 1
            }
        }
        #expect(compared == fromSQL.rows.count * names.count)
    }

    /// `forecast sql score --dialect postgres` run by psql gives what `forecast predict` writes, for the GLM and
    /// the booster: over the features `forecast features` wrote (loaded as the table `features`), and over the
    /// features the script computes itself from the transaction rows (--with-features).
    @Test func sqlScoreInPostgresEqualsForecastPredict() async throws {
        let dir = scratch()
        let generated = try forecast(["generate", "--out", dir + "/shop", "--customers", "500", "--products", "40", "--clean", "-q"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let data = ["--data", dir + "/shop/transactions.csv", "--layout", "transactions"]
        let store = ["--store", dir + "/models"]
        let features = try forecast(["features"] + data + ["--cutoff", "2019-07-01", "--out", dir + "/f.csv"])
        #expect(features.status == 0, "\(features.stderr)")

        let database = try PostgresTestServer.createDatabase()
        defer { PostgresTestServer.dropDatabase(database) }
        let header = try #require(try String(contentsOfFile: dir + "/f.csv", encoding: .utf8).split(separator: "\n").first)
        let columns = header.split(separator: ",").map { $0 == "customer_id" ? "customer_id text" : "\($0) double precision" }
        try PostgresTestServer.psql("CREATE TABLE features (\(columns.joined(separator: ", ")))", database: database)
        try PostgresTestServer.psql("\\copy features FROM '\(dir)/f.csv' WITH (FORMAT csv, HEADER true)", database: database)
        try Self.loadTransactions(dir + "/shop/transactions.csv", into: database)

        for (kind, options) in [("glm", [String]()), ("gbm", ["--trees", "40", "--min-data-in-leaf", "20", "--no-early-stopping"])] {
            let trained = try forecast(["train"] + data + store + ["--as-of", "2019-06-30", "--model", kind, "--name", kind] + options)
            #expect(trained.status == 0, "\(trained.stderr)")
            let predicted = try forecast(["predict"] + data + store + ["--as-of", "2019-06-30", "--model", kind, "--out", dir + "/\(kind).csv"])
            #expect(predicted.status == 0, "\(predicted.stderr)")
            let want = Self.table(try String(contentsOfFile: dir + "/\(kind).csv", encoding: .utf8))
            #expect(want.rows.count > 300)
            for withFeatures in [false, true] {
                let sql = try forecast(["sql", "score", "--model", kind, "--dialect", "postgres", "--cutoff", "2019-07-01"] + store
                                       + (withFeatures ? ["--with-features"] : []))
                #expect(sql.status == 0 && sql.stdout.contains("expected_events"), "\(sql.stderr)")
                let got = Self.table(try PostgresTestServer.psql(sql.stdout, database: database, csv: true))
                #expect(got.header == ["customer_id", "expected_events", "p_zero"])
                #expect(got.rows.count == want.rows.count, "\(kind) with features \(withFeatures)")
                var mismatches: [String] = []
                for (id, row) in got.rows {
                    guard let other = want.rows[id] else { mismatches.append("\(id) only in SQL"); continue }
                    for k in [1, 2] {
                        let x = Double(row[k]) ?? .nan, y = Double(other[k]) ?? .nan
                        if !(abs(x - y) <= 1e-9 * max(1e-12, abs(y))) { mismatches.append("\(id) \(got.header[k]): \(row[k]) vs \(other[k])") }
                    }
                }
                #expect(mismatches.isEmpty, "\(kind) with features \(withFeatures): \(mismatches.count) differ: \(mismatches.prefix(5))")
            }
        }
    }

    /// The generated shop's transaction rows as the table `raw` and the view `transactions(customer_id, timestamp,
    /// quantity, amount, product_id)` the SQL reads.
    static func loadTransactions(_ csv: String, into database: String) throws {
        try PostgresTestServer.psql("""
            CREATE TABLE raw (customer_id text, product_id text, timestamp timestamp, quantity double precision, unit_price double precision)
            """, database: database)
        try PostgresTestServer.psql("\\copy raw FROM '\(csv)' WITH (FORMAT csv, HEADER true)", database: database)
        try PostgresTestServer.psql("""
            CREATE VIEW transactions AS SELECT customer_id, timestamp, quantity, quantity * unit_price AS amount, product_id FROM raw
            """, database: database)
    }

    /// `forecast sql panel` run in PostgreSQL, written as CSV, trains with `forecast train --panel` a GLM that forecasts
    /// as the GLM `forecast train --data` fits on the same origins; a sampled panel has the customers asked for, the
    /// same ones for the same seed.
    @Test func aPanelFromPostgresTrainsTheModelTheLogTrains() async throws {
        let dir = scratch()
        let generated = try forecast(["generate", "--out", dir + "/shop", "--customers", "500", "--products", "40", "--clean", "-q"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let database = try PostgresTestServer.createDatabase()
        defer { PostgresTestServer.dropDatabase(database) }
        try Self.loadTransactions(dir + "/shop/transactions.csv", into: database)
        let sql = try forecast(["sql", "panel", "--dialect", "postgres", "--origins", "2018-07-01..2019-05-01", "--with-products"])
        #expect(sql.status == 0, "\(sql.stderr)")
        try PostgresTestServer.psql(sql.stdout, database: database, csv: true).write(toFile: dir + "/panel.csv", atomically: true, encoding: .utf8)

        let data = ["--data", dir + "/shop/transactions.csv", "--layout", "transactions"], store = ["--store", dir + "/models"]
        let fromPanel = try forecast(["train", "--panel", dir + "/panel.csv", "--model", "glm", "--name", "panel"] + store)
        #expect(fromPanel.status == 0 && fromPanel.stdout.contains("cutoff 2019-06-01"), "\(fromPanel.stdout)\n\(fromPanel.stderr)")
        #expect(fromPanel.stderr.contains("rows read = ") && fromPanel.stderr.contains("+ 0 rejected") && fromPanel.stderr.contains("11 origins"),
                "\(fromPanel.stderr)")
        let fromLog = try forecast(["train"] + data + store + ["--as-of", "2019-05-31", "--first-origin", "2018-07-01", "--model", "glm", "--name", "log"])
        #expect(fromLog.status == 0, "\(fromLog.stderr)")
        for name in ["panel", "log"] {
            let predicted = try forecast(["predict"] + data + store + ["--as-of", "2019-06-30", "--model", name, "--out", dir + "/predict-\(name).csv"])
            #expect(predicted.status == 0, "\(predicted.stderr)")
        }
        let viaPanel = Self.table(try String(contentsOfFile: dir + "/predict-panel.csv", encoding: .utf8))
        let viaLog = Self.table(try String(contentsOfFile: dir + "/predict-log.csv", encoding: .utf8))
        #expect(viaPanel.rows.count == viaLog.rows.count && viaLog.rows.count > 300)
        let differing = viaLog.rows.filter { id, row in
            guard let other = viaPanel.rows[id], let x = Double(row[1]), let y = Double(other[1]) else { return true }
            return abs(x - y) > 1e-6 * max(1e-9, abs(x))
        }
        #expect(differing.isEmpty, "\(differing.count) forecasts differ, e.g. \(differing.first.map { "\($0.key): \($0.value[1]) vs \(viaPanel.rows[$0.key]?[1] ?? "-")" } ?? "")")

        var customers: [[String]] = []
        for seed in ["3", "3", "4"] {
            let sampled = try forecast(["sql", "panel", "--dialect", "postgres", "--origins", "2019-01-01..2019-02-01", "--sample-customers", "100",
                                        "--seed", seed])
            #expect(sampled.status == 0, "\(sampled.stderr)")
            let panel = try PostgresTestServer.psql(sampled.stdout, database: database, csv: true)
            customers.append(Set(panel.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }).sorted())
            // The view keeps 100 customers; the panel has those of them with an event before an origin.
            let view = try #require(sampled.stdout.components(separatedBy: ";\n").first)
            #expect(try PostgresTestServer.psql(view + "; SELECT count(DISTINCT customer_id) FROM panel_transactions", database: database) == "100")
        }
        #expect((50...100).contains(customers[0].count) && customers[0] == customers[1] && customers[0] != customers[2], "\(customers.map(\.count))")
    }

    /// `forecast sql marts --dialect postgres` run by psql over a warehouse the pipeline loaded gives the marts the
    /// pipeline built (which the PostgreSQL warehouse tests hold to SQLite's), every row, numbers within 1e-9.
    @Test func sqlMartsInPostgresEqualTheWarehouseMarts() async throws {
        let dir = scratch()
        let generated = try forecast(["generate", "--out", dir + "/shop", "--customers", "300", "--products", "40", "-q"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let database = try PostgresTestServer.createDatabase()
        defer { PostgresTestServer.dropDatabase(database) }
        let url = PostgresTestServer.url(database: database)
        let run = try await forecastAsync(["pipeline", "run", "--date", "2019-12-31", "--source", dir + "/shop", "--db", url, "--out", dir + "/out",
                                           "--quiet"], environment: environment)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        for (mart, table, order) in [("daily", "mart_customer_daily", "1, 2"), ("products", "mart_sales_by_product", "1, 3, 4"),
                                     ("categories", "mart_sales_by_category", "1, 3, 4")] {
            let sql = try forecast(["sql", "marts", "--dialect", "postgres", "--mart", mart])
            #expect(sql.status == 0, "\(sql.stderr)")
            let select = sql.stdout.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
            let fromSQL = try PostgresTestServer.psql("SELECT * FROM (\(select)) m ORDER BY \(order)", database: database, csv: true)
            let built = try PostgresTestServer.psql("SELECT * FROM \(table) ORDER BY \(order)", database: database, csv: true)
            #expect(fromSQL.split(separator: "\n").count == built.split(separator: "\n").count && fromSQL.split(separator: "\n").count > 100, "\(mart)")
            #expect(fromSQL.split(separator: "\n").first == built.split(separator: "\n").first, "\(mart): column names")
            #expect(Self.sameCSV(fromSQL, built), "\(mart) differs from \(table)")
        }
        let all = try forecast(["sql", "marts", "--dialect", "postgres", "--mart", "all", "--spine-through", "2019-12-31"])
        try PostgresTestServer.psql(all.stdout + "\nSELECT 1", database: database)
        let bad = try forecast(["sql", "marts", "--dialect", "postgres", "--spine-through", "soon"])
        #expect(bad.status == 64 && bad.stderr.contains("--spine-through must be a date"), "\(bad.stderr)")
    }

    /// A CSV text (no quoted fields) as its header and its rows by first column.
    static func table(_ text: String) -> (header: [String], rows: [String: [String]]) {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return ([], [:]) }
        var rows: [String: [String]] = [:]
        for line in lines.dropFirst() where !line.isEmpty { rows[line[0]] = line }
        return (header, rows)
    }

    /// Two CSV texts with the same cells, numbers within 1e-9 relative (the engines add in different orders).
    static func sameCSV(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "\n"), y = b.split(separator: "\n")
        guard x.count == y.count else { return false }
        for (l, m) in zip(x, y) where l != m {
            let u = l.split(separator: ",", omittingEmptySubsequences: false), v = m.split(separator: ",", omittingEmptySubsequences: false)
            guard u.count == v.count else { return false }
            for (p, q) in zip(u, v) where p != q {
                guard let d = Double(p), let e = Double(q), abs(d - e) <= 1e-9 * max(1, abs(d), abs(e)) else { return false }
            }
        }
        return true
    }
}

@Suite("forecast with PostgreSQL, no server needed")
struct PostgresURLCLITests {
    @Test func passwordEnvNeedsAURL() throws {
        let r = try forecast(["warehouse", "check", "--db", scratch() + "/w.sqlite", "--password-env", "X"])
        #expect(r.status == 64 && r.stderr.contains("--password-env is for a postgresql:// --db"), "\(r.stderr)")
    }

    @Test func aMalformedURLIsRefused() throws {
        let r = try forecast(["warehouse", "check", "--db", "postgresql://127.0.0.1/shop"])
        #expect(r.status == 1 && r.stderr.contains("no user"), "\(r.stderr)")
    }
}
