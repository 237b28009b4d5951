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
}
