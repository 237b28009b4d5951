import Foundation

/// Where a PostgreSQL warehouse is: a `postgresql://user@host:port/database` URL, read without
/// ever keeping a password in anything that is printed.
///
/// - The scheme is `postgresql` or `postgres`; the port defaults to 5432, the database to the
///   user's name (as `psql` does).
/// - The password comes from the environment: `PGPASSWORD`, or the variable named by
///   `passwordVariable` (`--password-env NAME`). A password written into the URL is refused, so
///   that it never lands in a shell history, a process list or a log.
/// - `?sslmode=disable|prefer|require` chooses TLS (default `prefer`: TLS when the server
///   offers it).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// Never printed: ``description`` leaves it out.
    public var password: String?

    /// Whether `text` names a PostgreSQL server rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Parses `url`; the password is read from `environment[passwordVariable ?? "PGPASSWORD"]`.
    ///
    /// - Throws: ``PostgresWarehouseError/invalidURL(_:reason:)`` saying what is wrong.
    public init(url: String, passwordVariable: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresWarehouseError) {
        let shown = PostgresLocation.redacted(url)
        guard PostgresLocation.isURL(url), let parts = URLComponents(string: url) else {
            throw .invalidURL(shown, reason: "expected postgresql://USER@HOST[:PORT]/DATABASE")
        }
        guard let user = parts.user, !user.isEmpty else {
            throw .invalidURL(shown, reason: "no user: write postgresql://USER@HOST/DATABASE")
        }
        if parts.password != nil {
            throw .invalidURL(shown, reason: "a password in the URL would be visible in shell histories and process lists; "
                              + "set PGPASSWORD or name a variable with --password-env")
        }
        guard let host = parts.host, !host.isEmpty else { throw .invalidURL(shown, reason: "no host") }
        if let port = parts.port, !(1...65_535).contains(port) { throw .invalidURL(shown, reason: "port \(port) is not in 1...65535") }
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        if path.contains("/") { throw .invalidURL(shown, reason: "the path must be one database name") }
        var tls = TLSMode.prefer
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw .invalidURL(shown, reason: "sslmode must be disable, prefer or require")
                }
                tls = mode
            default:
                throw .invalidURL(shown, reason: "unknown parameter '\(item.name)' (only sslmode is read)")
            }
        }
        self.user = user.removingPercentEncoding ?? user
        self.host = host
        self.port = parts.port ?? 5432
        self.database = path.isEmpty ? self.user : (path.removingPercentEncoding ?? path)
        self.tls = tls
        if let passwordVariable {
            guard let value = environment[passwordVariable] else {
                throw .invalidURL(shown, reason: "--password-env names \(passwordVariable), which is not set")
            }
            password = value
        } else {
            password = environment["PGPASSWORD"]
        }
    }

    /// `postgresql://user@host:port/database`: no password, ever.
    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    /// `url` with any password replaced by `***`, for messages about a URL that did not parse.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].lastIndex(of: "@") else { return url }
        let credentials = url[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
