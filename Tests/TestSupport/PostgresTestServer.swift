import Foundation

/// The PostgreSQL server the PostgreSQL tests run against: the throwaway cluster that `make test`
/// (and so `.ci/run`) starts with `deploy/postgres-cluster.sh`, named by
/// `FORECAST_TEST_POSTGRES_URL` (a superuser's URL) and `FORECAST_TEST_POSTGRES_PASSWORD`.
///
/// Without it the tests that need it are skipped, saying why (`swift test` alone); with
/// `FORECAST_REQUIRE_POSTGRES=1` (set by `make test`) a missing server is a failure instead.
public enum PostgresTestServer {
    public static let url = ProcessInfo.processInfo.environment["FORECAST_TEST_POSTGRES_URL"]
    public static let password = ProcessInfo.processInfo.environment["FORECAST_TEST_POSTGRES_PASSWORD"]
    public static var available: Bool { url != nil && password != nil }
    public static var required: Bool { ProcessInfo.processInfo.environment["FORECAST_REQUIRE_POSTGRES"] == "1" }
    public static let absent = "no PostgreSQL test server: run `make test` (it starts one), or set FORECAST_TEST_POSTGRES_URL and FORECAST_TEST_POSTGRES_PASSWORD"

    /// `postgresql://postgres@127.0.0.1:PORT/` + `database`.
    public static func url(database: String, user: String? = nil) -> String {
        guard let url, let slash = url.range(of: "/", options: .backwards) else { return "" }
        var base = String(url[..<slash.lowerBound])
        if let user, let at = base.range(of: "@"), let scheme = base.range(of: "://") {
            base = String(base[..<scheme.upperBound]) + user + String(base[at.lowerBound...])
        }
        return base + "/" + database
    }

    /// Runs SQL with psql as the superuser (on the server's own database unless told), returns its output
    /// (unaligned, tuples only); throws with psql's message when it fails.
    @discardableResult
    /// With `csv`, the result comes as CSV with a header row.
    public static func psql(_ sql: String, database: String? = nil, user: String? = nil, password: String? = nil, csv: Bool = false) throws -> String {
        let target = database.map { url(database: $0, user: user) } ?? (url ?? "")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A statement longer than an argument may be (128 kB: a compiled booster) goes through a file.
        var script: String?
        if sql.utf8.count > 100_000 {
            let path = NSTemporaryDirectory() + "psql-\(UUID().uuidString).sql"
            try sql.write(toFile: path, atomically: true, encoding: .utf8)
            script = path
        }
        defer { if let script { try? FileManager.default.removeItem(atPath: script) } }
        process.arguments = ["psql", target, "-X", "-q", "-v", "ON_ERROR_STOP=1"] + (csv ? ["--csv"] : ["-A", "-t"])
            + (script.map { ["-f", $0] } ?? ["-c", sql])
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password ?? Self.password
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PSQLFailure(message: String(decoding: e, as: UTF8.self))
        }
        return String(decoding: o, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public struct PSQLFailure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// A new, empty database for one test (dropped by ``dropDatabase(_:)``); returns its name.
    public static func createDatabase(_ prefix: String = "t") throws -> String {
        let name = (prefix + "_" + UUID().uuidString.prefix(8)).lowercased().replacingOccurrences(of: "-", with: "_")
        try psql("CREATE DATABASE \(name)")
        return name
    }

    public static func dropDatabase(_ name: String) {
        _ = try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
