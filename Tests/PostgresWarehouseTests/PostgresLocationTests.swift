import NIOCore
import Testing
@testable import PostgresWarehouse

/// The URL of `--db postgresql://...` and the COPY text format: no server needed.
@Suite("PostgreSQL location and COPY rows")
struct PostgresLocationTests {
    @Test func readsUserHostPortDatabaseAndTheEnvironmentsPassword() throws {
        let l = try PostgresLocation(url: "postgresql://etl@db.internal:6543/shop?sslmode=require", environment: ["PGPASSWORD": "pw"])
        #expect(l.user == "etl" && l.host == "db.internal" && l.port == 6543 && l.database == "shop" && l.tls == .require)
        #expect(l.password == "pw")
        #expect(l.description == "postgresql://etl@db.internal:6543/shop")
        let d = try PostgresLocation(url: "postgres://anna@localhost", environment: [:])
        #expect(d.port == 5432 && d.database == "anna" && d.tls == .prefer && d.password == nil)
        let named = try PostgresLocation(url: "postgresql://etl@h/db", passwordVariable: "SHOP_PW", environment: ["SHOP_PW": "x", "PGPASSWORD": "y"])
        #expect(named.password == "x")
    }

    @Test(arguments: [
        ("postgresql://etl:secret@h/db", "password in the URL"),
        ("postgresql://h/db", "no user"),
        ("postgresql://etl@/db", "no host"),
        ("postgresql://etl@h/db/more", "one database name"),
        ("postgresql://etl@h/db?sslmode=maybe", "sslmode must be"),
        ("postgresql://etl@h/db?timeout=3", "unknown parameter 'timeout'"),
        ("mysql://etl@h/db", "expected postgresql://"),
    ])
    func refusesWhatItCannotUse(url: String, reason: String) {
        #expect {
            _ = try PostgresLocation(url: url, environment: [:])
        } throws: { error in
            let text = "\(error)"
            return text.contains(reason) && !text.contains("secret")
        }
    }

    @Test func aMissingPasswordVariableIsNamed() {
        #expect {
            _ = try PostgresLocation(url: "postgresql://etl@h/db", passwordVariable: "SHOP_PW", environment: [:])
        } throws: { "\($0)".contains("SHOP_PW, which is not set") }
    }

    @Test func copyRowsEscapeTextAndWriteNulls() {
        var row = CopyRow(columns: 5)
        row.text("a\tb\nc\\d\re"); row.text(nil); row.int(-7); row.double(0.1); row.bool(true)
        row.endRow()
        row.text("plain"); row.text(""); row.int(nil); row.double(.nan); row.bool(false)
        row.endRow()
        let text = row.buffer.getString(at: 0, length: row.buffer.readableBytes)
        #expect(text == "a\\tb\\nc\\\\d\\re\t\\N\t-7\t0.1\tt\nplain\t\t\\N\t\\N\tf\n")
    }
}
