import Core
import Analytics
import Warehouse

/// The warehouse's and the marts' data tests (`WarehouseChecks`, `MartChecks`) run inside
/// PostgreSQL: the same checks, written for ``SQLDialect/postgres``, in one read-only snapshot.
public enum PostgresChecks {
    /// Runs `checks` in one repeatable-read, read-only transaction (a consistent snapshot).
    public static func run(_ checks: [DataCheck], in session: PostgresSession) async throws -> [CheckResult] {
        try await session.transaction(step: "running the checks", readOnlySnapshot: true) {
            var results: [CheckResult] = []
            for check in checks {
                let n = try await session.int(check.sql, step: "check '\(check.name)'")
                results.append(CheckResult(name: check.name, kind: check.kind.rawValue, passed: n == 0, failures: n,
                                           detail: n == 0 ? "ok" : "\(n) \(check.failure)"))
            }
            return results
        }
    }

    /// The warehouse checks only.
    public static func warehouse(_ session: PostgresSession) async throws -> [CheckResult] {
        try await PostgresSchema.requireSchema(session)
        return try await run(WarehouseChecks.checks(.postgres), in: session)
    }

    /// The checks of the marts that exist.
    public static func marts(_ session: PostgresSession) async throws -> [CheckResult] {
        try await run(MartChecks.checks(existing: try await PostgresSchema.presentTables(session), dialect: .postgres), in: session)
    }

    /// The warehouse checks and, for the marts that exist, theirs.
    public static func all(_ session: PostgresSession) async throws -> [CheckResult] {
        try await PostgresSchema.requireSchema(session)
        let existing = try await PostgresSchema.presentTables(session)
        return try await run(WarehouseChecks.checks(.postgres) + MartChecks.checks(existing: existing, dialect: .postgres), in: session)
    }
}
