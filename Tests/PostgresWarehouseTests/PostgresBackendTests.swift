import Foundation
import GRDB
import Testing
@testable import Analytics
import Core
@testable import Ingestion
@testable import PostgresWarehouse
import SyntheticShop
import TestSupport
@testable import Warehouse

/// The PostgreSQL backend against the SQLite one: the same shop loaded into both gives the same
/// counts, facts and marts; loads are one transaction, also when the server goes away.
@Suite("PostgreSQL warehouse", .serialized, .enabled(if: PostgresTestServer.available, Comment(rawValue: PostgresTestServer.absent)))
struct PostgresBackendTests {
    /// A fresh database for one test: its location (superuser) and name.
    static func freshDatabase() throws -> (PostgresLocation, String) {
        let name = try PostgresTestServer.createDatabase()
        let location = try PostgresLocation(url: PostgresTestServer.url(database: name),
                                            environment: ["PGPASSWORD": PostgresTestServer.password ?? ""])
        return (location, name)
    }

    static func withDatabase<T>(_ body: (PostgresLocation) async throws -> T) async throws -> T {
        let (location, name) = try freshDatabase()
        defer { PostgresTestServer.dropDatabase(name) }
        return try await body(location)
    }

    @Test func sameCountsFactsAndMartsAsSQLite() async throws {
        let shop = try TestShop.make()
        try await Self.withDatabase { location in
            let sqlite = try ShopWarehouse(path: temporaryDirectory() + "/w.sqlite")
            for folder in [shop.history, shop.changed] {
                let tables = try TestShop.read(folder)
                let expected = try WarehouseLoader(warehouse: sqlite).load(tables)
                let got = try await PostgresSession.with(location) { try await PostgresLoader(session: $0).load(tables) }
                #expect(got.tables == expected.tables, "load of \(folder)")
                #expect(got.datesAdded == expected.datesAdded)
                #expect(got.excludedOrders == expected.excludedOrders)
                #expect(got.stagedRevenue == expected.stagedRevenue)
            }
            var options = Marts.Options()
            options.audience.includePII = true
            options.incremental = false
            let sqliteMarts = try Marts.build(sqlite, options: options)
            let pgMarts = try await PostgresSession.with(location) { try await PostgresMarts.build($0, options: options) }
            #expect(pgMarts.customerDailyRows == sqliteMarts.customerDailyRows)
            #expect(pgMarts.productRollupRows == sqliteMarts.productRollupRows)
            #expect(pgMarts.categoryRollupRows == sqliteMarts.categoryRollupRows)
            #expect(pgMarts.audience.k == sqliteMarts.audience.k)
            #expect(pgMarts.audience.audienceRows == sqliteMarts.audience.audienceRows)

            let checks = try await PostgresSession.with(location) { try await PostgresChecks.all($0) }
            #expect(checks.count > 40)
            #expect(checks.allSatisfy { $0.passed }, "\(checks.filter { !$0.passed })")

            let tables = WarehouseSchema.starTables + Marts.all.map(\.table)
            let mirror = try ShopWarehouse(path: temporaryDirectory() + "/mirror.sqlite")
            try await PostgresSession.with(location) { session in
                _ = try await PostgresMirror.copy(tables.map { PostgresMirror.Table($0) }, from: session, into: mirror)
            }
            for table in tables {
                let compared = try TableComparison.compare(table, sqlite, mirror)
                #expect(compared.differences.isEmpty, "\(table): \(compared.differences.prefix(3))")
                #expect(compared.rows > 0, "\(table) is empty")
            }

            // The daily summary on the date spine: the same SQL definition in both engines.
            options.dailySpine = true
            let spineRows = try Marts.build(sqlite, options: options).customerDailyRows
            #expect(try await PostgresSession.with(location) { try await PostgresMarts.build($0, options: options) }.customerDailyRows == spineRows)
            try await PostgresSession.with(location) { session in
                _ = try await PostgresMirror.copy([PostgresMirror.Table(CustomerDailySummary.table)], from: session, into: mirror)
            }
            let spine = try TableComparison.compare(CustomerDailySummary.table, sqlite, mirror)
            #expect(spine.differences.isEmpty && spine.rows == spineRows && spineRows > pgMarts.customerDailyRows)
        }
    }

    @Test func theComparisonSeesAWrongValue() throws {
        let a = try ShopWarehouse(path: temporaryDirectory() + "/a.sqlite"), b = try ShopWarehouse(path: temporaryDirectory() + "/b.sqlite")
        for (w, spend) in [(a, 10.0), (b, 10.000001)] {
            try w.queue.write { db in
                try db.execute(sql: "CREATE TABLE m (id TEXT PRIMARY KEY, spend REAL, n INTEGER)")
                try db.execute(sql: "INSERT INTO m VALUES ('x', ?, 3), ('y', 1.0, 4)", arguments: [spend])
            }
        }
        #expect(try TableComparison.compare("m", a, b).differences.count == 1)
        #expect(try TableComparison.compare("m", a, a).differences.isEmpty)
    }

    @Test func reloadingChangesNothing() async throws {
        let shop = try TestShop.make()
        try await Self.withDatabase { location in
            let tables = try TestShop.read(shop.changed)
            _ = try await PostgresSession.with(location) { try await PostgresLoader(session: $0).load(tables) }
            let again = try await PostgresSession.with(location) { try await PostgresLoader(session: $0).load(tables) }
            #expect(again.changedNothing)
            #expect(again.tables.allSatisfy { $0.unchanged == $0.staged })
        }
    }

    @Test func aFailedLoadLeavesNothingAndARerunCompletes() async throws {
        let shop = try TestShop.make()
        try await Self.withDatabase { location in
            let history = try TestShop.read(shop.history), changed = try TestShop.read(shop.changed)
            _ = try await PostgresSession.with(location) { try await PostgresLoader(session: $0).load(history) }
            let before = try await Self.counts(location)
            await #expect(throws: WarehouseError.self) {
                try await PostgresSession.with(location) { session in
                    var loader = PostgresLoader(session: session)
                    loader.failAfterStep = "fct_orders"
                    return try await loader.load(changed)
                }
            }
            #expect(try await Self.counts(location) == before)
            let rerun = try await PostgresSession.with(location) { try await PostgresLoader(session: $0).load(changed) }
            #expect(rerun.tables.first { $0.table == "fct_orders" }!.inserted > 0)
        }
    }

    /// The server ends the loading connection between two steps (as a restart or an operator
    /// would): the load fails with a message that says so, nothing of it is in the database,
    /// and the same load run again completes. With no pause the next statement is usually in
    /// flight when the goodbye arrives; with a pause the client has seen the connection close
    /// before it sends the next one.
    @Test(arguments: [UInt32(0), 500_000])
    func aServerThatGoesAwayMidLoadRollsBack(pauseMicroseconds: UInt32) async throws {
        let shop = try TestShop.make()
        try await Self.withDatabase { location in
            let history = try TestShop.read(shop.history), changed = try TestShop.read(shop.changed)
            _ = try await PostgresSession.with(location) { try await PostgresLoader(session: $0).load(history) }
            let before = try await Self.counts(location)
            let database = location.database
            let error = await #expect(throws: PostgresWarehouseError.self) {
                try await PostgresSession.with(location) { session in
                    let loader = PostgresLoader(session: session, progress: { message in
                        guard message.hasPrefix("upserting fct_orders") else { return }
                        _ = try? PostgresTestServer.psql("""
                            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()
                            """)
                        usleep(pauseMicroseconds)
                    })
                    return try await loader.load(changed)
                }
            }
            if case .connectionLost = error {} else { Issue.record("expected connectionLost, got \(String(describing: error))") }
            #expect(error.map { "\($0)" }?.contains("rolled back") == true)
            #expect(try await Self.counts(location) == before)
            let rerun = try await PostgresSession.with(location) { try await PostgresLoader(session: $0).load(changed) }
            #expect(rerun.tables.first { $0.table == "fct_orders" }!.inserted > 0)
        }
    }

    @Test func badConnectionsSayWhatIsWrong() async throws {
        let (location, name) = try Self.freshDatabase()
        defer { PostgresTestServer.dropDatabase(name) }
        var wrong = location
        wrong.password = "not-the-password"
        await #expect {
            _ = try await PostgresSession.connect(wrong)
        } throws: { error in
            if case PostgresWarehouseError.authenticationFailed = error { return !"\(error)".contains("not-the-password") }
            return false
        }
        var missing = location
        missing.database = "no_such_database_here"
        await #expect {
            _ = try await PostgresSession.connect(missing)
        } throws: { error in
            if case PostgresWarehouseError.noDatabase = error { return true }
            return false
        }
        var refused = location
        refused.port = Self.closedPort()
        await #expect {
            _ = try await PostgresSession.connect(refused)
        } throws: { error in
            if case PostgresWarehouseError.connectionFailed = error { return true }
            return false
        }
        // An empty database: the checks say the schema is missing rather than failing on a table.
        await #expect {
            _ = try await PostgresWarehouseBackend(location: location).allChecks()
        } throws: { error in
            if case PostgresWarehouseError.noSchema = error { return "\(error)".contains("warehouse load") }
            return false
        }
    }

    /// The roles: the sales login is refused every personal column (in dim_customer, the staging
    /// table and the audience) and the segments, while it reads its marts; the marketing login
    /// reads the audience; the writer's login loads and builds marts that the others can read.
    @Test func rolesKeepPersonalDataFromSales() async throws {
        let shop = try TestShop.make()
        try await Self.withDatabase { admin in
            let outcome = try await PostgresSession.with(admin) { try await PostgresRoles.create($0) }
            let again = try await PostgresSession.with(admin) { try await PostgresRoles.create($0) }
            #expect(again.rolesCreated.isEmpty)
            #expect(outcome.salesColumns["dim_customer"]?.contains("email") == false)
            #expect(outcome.salesColumns["dim_customer"]?.contains("customer_id") == true)
            let suffix = admin.database
            let logins = ["writer": PostgresRoles.writer, "sales": PostgresRoles.sales, "marketing": PostgresRoles.marketing]
            for (login, role) in logins {
                try PostgresTestServer.psql("DROP ROLE IF EXISTS \(login)_\(suffix)")
                try PostgresTestServer.psql("CREATE ROLE \(login)_\(suffix) LOGIN PASSWORD 'pw-\(login)' IN ROLE \(role)")
            }
            defer { for login in logins.keys { _ = try? PostgresTestServer.psql("DROP ROLE IF EXISTS \(login)_\(suffix)") } }
            func location(_ login: String) throws -> PostgresLocation {
                var l = admin
                l.user = "\(login)_\(suffix)"
                l.password = "pw-\(login)"
                return l
            }
            // The writer loads and builds the marts.
            let writer = PostgresWarehouseBackend(location: try location("writer"))
            _ = try await writer.load(try TestShop.read(shop.changed), progress: nil)
            var options = Marts.Options()
            options.audience.includePII = true
            _ = try await writer.buildMarts(options, progress: nil)
            let owners = try PostgresTestServer.psql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'", database: admin.database)
            #expect(owners == PostgresRoles.writer)

            func read(_ sql: String, as login: String) -> Result<String, PostgresTestServer.PSQLFailure> {
                Result { try PostgresTestServer.psql(sql, database: admin.database, user: "\(login)_\(suffix)", password: "pw-\(login)") }
                    .mapError { $0 as? PostgresTestServer.PSQLFailure ?? .init(message: "\($0)") }
            }
            func denied(_ result: Result<String, PostgresTestServer.PSQLFailure>) -> Bool {
                if case .failure(let f) = result { return f.message.contains("permission denied") }
                return false
            }
            for table in ["dim_customer", "stg_customers", MarketingAudience.audienceTable] {
                for column in ["name", "email", "phone"] + (table == MarketingAudience.audienceTable ? [] : ["street", "zip"]) {
                    #expect(denied(read("SELECT \(column) FROM \(table) LIMIT 1", as: "sales")), "sales reads \(table).\(column)")
                }
            }
            #expect(denied(read("SELECT * FROM dim_customer LIMIT 1", as: "sales")))
            #expect(denied(read("SELECT customer_id FROM \(MarketingAudience.segmentsTable) LIMIT 1", as: "sales")))
            for table in [CustomerDailySummary.table, SalesRollups.productTable, SalesRollups.categoryTable, "fct_orders", "fct_order_lines",
                          "dim_product", "dim_date"] {
                let rows = read("SELECT count(*) FROM \(table)", as: "sales")
                #expect((try? rows.get()).flatMap { Int($0) }.map { $0 > 0 } == true, "sales cannot read \(table): \(rows)")
            }
            #expect((try? read("SELECT count(DISTINCT state) FROM dim_customer", as: "sales").get()).flatMap { Int($0) }.map { $0 > 0 } == true)
            let audience = read("SELECT count(email) FROM \(MarketingAudience.audienceTable)", as: "marketing")
            #expect((try? audience.get()).flatMap { Int($0) }.map { $0 > 0 } == true, "marketing cannot read the audience: \(audience)")
            #expect(!denied(read("SELECT count(*) FROM \(MarketingAudience.segmentsTable)", as: "marketing")))
            // Nothing for PUBLIC: a login in no group role cannot even connect.
            try PostgresTestServer.psql("DROP ROLE IF EXISTS nobody_\(suffix)")
            try PostgresTestServer.psql("CREATE ROLE nobody_\(suffix) LOGIN PASSWORD 'pw-nobody'")
            defer { _ = try? PostgresTestServer.psql("DROP ROLE IF EXISTS nobody_\(suffix)") }
            #expect(denied(read("SELECT 1", as: "nobody")))
            // The sales login cannot write: the toolkit says so, and nothing is half-written.
            #expect(denied(read("DELETE FROM fct_order_lines", as: "sales")))
            let before = try await Self.counts(admin)
            let sales = PostgresWarehouseBackend(location: try location("sales"))
            for attempt in ["load", "marts"] {
                await #expect {
                    if attempt == "load" { _ = try await sales.load(try TestShop.read(shop.history), progress: nil) }
                    else { _ = try await sales.buildMarts(options, progress: nil) }
                } throws: { error in
                    if case PostgresWarehouseError.permissionDenied = error { return "\(error)".contains("warehouse roles") }
                    return false
                }
            }
            #expect(try await Self.counts(admin) == before)

            // The roles are the server's: a database `warehouse roles` never set up is still
            // loaded by a superuser (who then acts as itself, not as pipeline_writer).
            let (other, otherName) = try Self.freshDatabase()
            defer { PostgresTestServer.dropDatabase(otherName) }
            let loaded = try await PostgresWarehouseBackend(location: other).load(try TestShop.read(shop.history), progress: nil)
            #expect(loaded.tables.allSatisfy { $0.inserted == $0.staged })
        }
    }

    static func counts(_ location: PostgresLocation) async throws -> [Int] {
        try await PostgresSession.with(location) { session in
            var counts: [Int] = []
            for table in WarehouseSchema.starTables { counts.append(try await session.int("SELECT count(*) FROM \(table)")) }
            counts.append(try await session.int("SELECT count(*) FROM fct_orders WHERE NOT is_revenue"))
            return counts
        }
    }

    /// A port nothing listens on (bound, read, released).
    static func closedPort() -> Int {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite("PostgreSQL test server")
struct PostgresTestServerPresence {
    /// `make test` and CI require the server: a missing one fails here instead of skipping silently.
    @Test func presentWhenRequired() {
        #expect(PostgresTestServer.available || !PostgresTestServer.required, Comment(rawValue: PostgresTestServer.absent))
    }
}
