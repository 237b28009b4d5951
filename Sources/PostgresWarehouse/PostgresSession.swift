import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A value read back from PostgreSQL, typed the way the toolkit compares and exports tables.
public enum PostgresValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .int(let v): return String(v)
        case .double(let v): return String(v)
        case .text(let v): return v
        }
    }

    public var int: Int64? {
        switch self {
        case .int(let v): return v
        case .double(let v): return Int64(exactly: v)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }

    public var text: String? {
        if case .text(let v) = self { return v }
        return nil
    }
}

/// One connection to a PostgreSQL warehouse, with the few operations the toolkit needs: run a
/// statement, read rows as ``PostgresValue``s, stream rows into a table with `COPY ... FROM
/// STDIN`, and run a block in a transaction. Every error comes out as a
/// ``PostgresWarehouseError`` that names the step it happened in.
///
/// The client's own logging is off: its messages would repeat the server's errors, which the
/// toolkit reports itself, and nothing it logs could then carry a credential.
public final class PostgresSession: @unchecked Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger = Logger(label: "forecast.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(location: PostgresLocation, connection: PostgresConnection) {
        self.location = location
        self.connection = connection
    }

    /// Connects to `location`; the caller closes the session (``close()``).
    public static func connect(_ location: PostgresLocation) async throws(PostgresWarehouseError) -> PostgresSession {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw .connectionFailed(location: location.description, message: "cannot set up TLS: \(error)")
        }
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1,
                                                                  logger: Logger(label: "forecast.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
            return PostgresSession(location: location, connection: connection)
        } catch {
            throw PostgresWarehouseError.from(error, location: location, step: "connecting")
        }
    }

    /// Opens a session for the length of `body` and closes it after, even when `body` throws.
    public static func with<T>(_ location: PostgresLocation, _ body: (PostgresSession) async throws -> T) async throws -> T {
        let session = try await connect(location)
        do {
            let value = try await body(session)
            await session.close()
            return value
        } catch {
            await session.close()
            throw error
        }
    }

    public func close() async {
        if !connection.isClosed { try? await connection.close() }
    }

    /// Throws ``PostgresWarehouseError/connectionLost(location:step:)`` when the server has
    /// closed the connection. Checked before every statement: the client writes a statement to a
    /// connection closed while it was idle without ever answering it (postgres-nio 1.33 drops
    /// the write), so a server that went away between two statements would hang the load.
    /// A statement in flight when the server goes away fails by itself.
    private func requireOpen(_ step: @autoclosure () -> String) throws(PostgresWarehouseError) {
        if connection.isClosed { throw .connectionLost(location: location.description, step: step()) }
    }

    /// Runs one statement (no parameters, no result).
    public func execute(_ sql: String, step: String? = nil) async throws(PostgresWarehouseError) {
        try requireOpen(step ?? Self.stepName(sql))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            throw PostgresWarehouseError.from(error, location: location, step: step ?? Self.stepName(sql))
        }
    }

    /// Runs statements in order.
    public func execute(_ statements: [String], step: String? = nil) async throws(PostgresWarehouseError) {
        for sql in statements { try await execute(sql, step: step) }
    }

    /// Runs a query with bound parameters and collects its rows.
    public func rows(_ query: PostgresQuery, step: String? = nil) async throws(PostgresWarehouseError) -> [[PostgresValue]] {
        try requireOpen(step ?? Self.stepName(query.sql))
        do {
            var result: [[PostgresValue]] = []
            for try await row in try await connection.query(query, logger: logger) {
                result.append(try row.map(Self.value(of:)))
            }
            return result
        } catch {
            throw PostgresWarehouseError.from(error, location: location, step: step ?? Self.stepName(query.sql))
        }
    }

    /// Runs a query and calls `body` with each row as it arrives (for results too big to collect).
    public func forEachRow(_ sql: String, step: String? = nil, _ body: ([PostgresValue]) throws -> Void) async throws(PostgresWarehouseError) {
        try requireOpen(step ?? Self.stepName(sql))
        do {
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                try body(try row.map(Self.value(of:)))
            }
        } catch {
            throw PostgresWarehouseError.from(error, location: location, step: step ?? Self.stepName(sql))
        }
    }

    public func rows(_ sql: String, step: String? = nil) async throws(PostgresWarehouseError) -> [[PostgresValue]] {
        try await rows(PostgresQuery(unsafeSQL: sql), step: step)
    }

    /// The first column of the first row.
    public func scalar(_ sql: String, step: String? = nil) async throws(PostgresWarehouseError) -> PostgresValue {
        try await rows(sql, step: step).first?.first ?? .null
    }

    public func int(_ sql: String, step: String? = nil) async throws(PostgresWarehouseError) -> Int {
        Int(try await scalar(sql, step: step).int ?? 0)
    }

    /// Streams `count` rows into `table(columns)` with `COPY ... FROM STDIN` (text format):
    /// `fill(i, &row)` writes row `i`'s fields. Sent in chunks of about 1 MiB.
    public func copy(into table: String, columns: [String], count: Int,
                     fill: (Int, inout CopyRow) -> Void) async throws(PostgresWarehouseError) {
        try requireOpen("copying rows into \(table)")
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                var row = CopyRow(columns: columns.count)
                for i in 0..<count {
                    fill(i, &row)
                    row.endRow()
                    if row.buffer.readableBytes >= 1 << 20 {
                        try await writer.write(row.buffer)
                        row.buffer.clear()
                    }
                }
                if row.buffer.readableBytes > 0 { try await writer.write(row.buffer) }
            }
        } catch {
            throw PostgresWarehouseError.from(error, location: location, step: "copying rows into \(table)")
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws
    /// (or when the server goes away, which rolls back on the server's side). `readOnlySnapshot`:
    /// a repeatable-read, read-only transaction, so every statement sees the same data.
    public func transaction<T>(step: String, readOnlySnapshot: Bool = false, _ body: () async throws -> T) async throws -> T {
        try await execute(readOnlySnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", step: step)
        do {
            let value = try await body()
            try await execute("COMMIT", step: step)
            return value
        } catch {
            if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
            throw error
        }
    }

    static func value(of cell: PostgresCell) throws -> PostgresValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .int(Int64(try cell.decode(Int.self)))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    /// The first words of a statement, to say which one failed.
    static func stepName(_ sql: String) -> String {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(4).joined(separator: " ")
        return "'\(words)...'"
    }
}

/// One row of `COPY ... FROM STDIN` in text format, written field by field: tabs between
/// fields, `\N` for NULL, and backslash, tab, newline and carriage return escaped.
public struct CopyRow {
    var buffer = ByteBuffer()
    private let columns: Int
    private var field = 0

    init(columns: Int) {
        self.columns = columns
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    private mutating func separate() {
        if field > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        field += 1
    }

    public mutating func text(_ value: String?) {
        separate()
        guard let value else { buffer.writeStaticString("\\N"); return }
        var plain = true
        for byte in value.utf8 where byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == 10 || byte == 13 {
            plain = false
            break
        }
        if plain { buffer.writeString(value); return }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case 10: buffer.writeStaticString("\\n")
            case 13: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    public mutating func int(_ value: Int64?) {
        separate()
        guard let value else { buffer.writeStaticString("\\N"); return }
        buffer.writeString(String(value))
    }

    /// Written with Swift's shortest round-trip digits, so PostgreSQL's float8 reads back the same bits.
    public mutating func double(_ value: Double?) {
        separate()
        guard let value, !value.isNaN else { buffer.writeStaticString("\\N"); return }
        if value.isInfinite { buffer.writeString(value > 0 ? "Infinity" : "-Infinity"); return }
        buffer.writeString(value.description)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        buffer.writeInteger(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    mutating func endRow() {
        precondition(field == columns, "a COPY row has \(field) fields for \(columns) columns")
        buffer.writeInteger(UInt8(ascii: "\n"))
        field = 0
    }
}

/// Builds a statement's parameters: `add` appends a value and returns its placeholder (`$1`, `$2`, ...).
public struct PostgresBindingsBuilder {
    var bindings = PostgresBindings()

    public init() {}

    public mutating func add<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    public func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}
