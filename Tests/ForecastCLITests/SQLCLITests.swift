import Foundation
import Testing

/// `forecast sql`'s refusals: an unknown dialect, a relation name that is not one, a model kind with no SQL form
/// (named, with the reason), a model that is not in the store. (The SQL itself is run in SQLite by the Features
/// and Models tests and in PostgreSQL by PostgresCLITests.)
@Suite("forecast sql: bad cases")
struct SQLCLITests {
    @Test func anUnknownDialectIsRefusedWithTheKnownOnes() throws {
        let r = try forecast(["sql", "features", "--dialect", "oracle", "--cutoff", "2019-07-01"])
        #expect(r.status == 64 && r.stderr.contains("oracle") && r.stderr.contains("postgres") && r.stderr.contains("spark"), "\(r.stderr)")
    }

    @Test func aRelationNameMustBeAnIdentifier() throws {
        let r = try forecast(["sql", "features", "--dialect", "postgres", "--cutoff", "2019-07-01", "--from", "t; DROP TABLE x"])
        #expect(r.status == 64 && r.stderr.contains("--from must be a relation name"), "\(r.stderr)")
        let s = try forecast(["sql", "score", "--model", "default", "--dialect", "spark", "--cutoff", "2019-07-01", "--features", "a..b"])
        #expect(s.status == 64 && s.stderr.contains("--features must be a relation name"), "\(s.stderr)")
        let c = try forecast(["sql", "score", "--model", "default", "--dialect", "spark", "--cutoff", "July"])
        #expect(c.status == 64 && c.stderr.contains("--cutoff must be a date"), "\(c.stderr)")
    }

    @Test func aProbabilisticModelIsRefusedByKind() throws {
        let dir = scratch()
        let generated = try forecast(["generate", "--out", dir + "/shop", "--customers", "200", "--products", "20", "--clean", "-q"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let trained = try forecast(["train", "--data", dir + "/shop/transactions.csv", "--layout", "transactions", "--as-of", "2019-06-30",
                                    "--model", "bgnbd", "--name", "b", "--store", dir + "/models"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let r = try forecast(["sql", "score", "--model", "b", "--dialect", "postgres", "--cutoff", "2019-07-01", "--store", dir + "/models"])
        #expect(r.status == 1 && r.stdout.isEmpty, "\(r.stdout)")
        #expect(r.stderr.contains("a bgnbd model cannot be compiled to SQL") && r.stderr.contains("forecast predict"), "\(r.stderr)")
        let missing = try forecast(["sql", "score", "--model", "nosuch", "--dialect", "postgres", "--cutoff", "2019-07-01", "--store", dir + "/models"])
        #expect(missing.status == 1 && missing.stderr.contains("nosuch"), "\(missing.stderr)")
    }

    @Test func theDefaultModelCompilesForEveryDialect() throws {
        for dialect in ["postgres", "spark", "sqlite"] {
            let r = try forecast(["sql", "score", "--model", "default", "--dialect", dialect, "--cutoff", "2020-01-01", "--with-features",
                                  "--store", ModelReaderTests.root + "/models"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("VIEW features AS") && r.stdout.contains("AS expected_events") && r.stdout.contains("AS p_zero"))
            #expect(r.stdout.hasPrefix("-- default@1 (glm)"), "\(r.stdout.prefix(80))")
        }
    }

    @Test func trainPanelRefusesWhatItCannotDo() throws {
        let dir = scratch()
        let path = dir + "/panel.csv"
        try "customer_id,origin,recency_days,freq_total,next_month_events\na,2019-01-01,3,2,1\nb,2019-01-01,40,1,0\nc,2019-01-15,4,1,0\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let kind = try forecast(["train", "--panel", path, "--model", "bgnbd", "--name", "x", "--store", dir + "/models"])
        #expect(kind.status == 64 && kind.stderr.contains("--panel trains glm, ols, gbm; bgnbd learns from each customer's purchase history"), "\(kind.stderr)")
        let both = try forecast(["train", "--panel", path, "--data", path, "--model", "glm", "--name", "x", "--store", dir + "/models"])
        #expect(both.status == 64 && both.stderr.contains("leave out --data"), "\(both.stderr)")
        let neither = try forecast(["train", "--model", "glm", "--name", "x", "--store", dir + "/models"])
        #expect(neither.status == 64 && neither.stderr.contains("Missing expected argument '--data <data>'"), "\(neither.stderr)")
        let missing = try forecast(["train", "--panel", dir + "/none.csv", "--model", "glm", "--name", "x", "--store", dir + "/models"])
        #expect(missing.status == 1 && missing.stderr.contains("none.csv: no such file"), "\(missing.stderr)")
        // Three rows, one rejected (an origin that is not a month start) and said so; two customers are too few to fit well but
        // enough to fit: the model is saved.
        let trained = try forecast(["train", "--panel", path, "--model", "glm", "--name", "x", "--store", dir + "/models"])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("3 rows read = 2 accepted + 1 rejected") && trained.stderr.contains("line 4: origin 2019-01-15 is not a month start"),
                "\(trained.stderr)")
        let failing = try forecast(["train", "--panel", path, "--model", "glm", "--name", "y", "--store", dir + "/models", "--on-bad-row", "fail"])
        #expect(failing.status == 64 && failing.stderr.contains("line 4"), "\(failing.stderr)")
        let sample = try forecast(["sql", "panel", "--dialect", "sqlite", "--origins", "2019-01-01..2019-03-01", "--sample-customers", "5"])
        #expect(sample.status == 64 && sample.stderr.contains("SQLite has no hash function"), "\(sample.stderr)")
        let origins = try forecast(["sql", "panel", "--dialect", "spark", "--origins", "2019-01-05..2019-03-01"])
        #expect(origins.status == 64 && origins.stderr.contains("two month starts"), "\(origins.stderr)")
    }
}
