import NIOCore
import PostgresNIO

/// Why a PostgreSQL warehouse operation stopped. Each case says what to do about it; none
/// carries a password.
public enum PostgresWarehouseError: Error, CustomStringConvertible, Equatable {
    /// The `--db` URL does not parse.
    case invalidURL(String, reason: String)
    /// No server answered at the location (refused, unreachable, timed out).
    case connectionFailed(location: String, message: String)
    /// The server refused the login (wrong password, no such role, `pg_hba.conf`).
    case authenticationFailed(location: String, message: String)
    /// The database does not exist on the server.
    case noDatabase(location: String)
    /// The warehouse's tables are not there (nothing loaded yet, or another database).
    case noSchema(location: String, message: String)
    /// The login lacks a right the operation needs.
    case permissionDenied(location: String, message: String)
    /// The server went away while the operation ran; a transaction in flight was rolled back.
    case connectionLost(location: String, step: String)
    /// The server refused a statement; `step` is what the toolkit was doing.
    case server(location: String, step: String, sqlState: String, message: String)
    /// A result did not have the shape the toolkit expects.
    case unexpectedResult(String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "\(url): not a PostgreSQL URL: \(reason)"
        case .connectionFailed(let location, let message):
            return "\(location): cannot connect: \(message) (is the server running and listening on that host and port?)"
        case .authenticationFailed(let location, let message):
            return "\(location): login refused: \(message) (check the user, PGPASSWORD or --password-env, and pg_hba.conf)"
        case .noDatabase(let location):
            return "\(location): the database does not exist (create it with `createdb`, or name another)"
        case .noSchema(let location, let message):
            return "\(location): the warehouse schema is missing (\(message)); run `forecast warehouse load --db URL` first"
        case .permissionDenied(let location, let message):
            return "\(location): permission denied: \(message) (this login's roles do not grant it; see `forecast warehouse roles`)"
        case .connectionLost(let location, let step):
            return "\(location): the server closed the connection during \(step); the transaction was rolled back, so nothing was written; run the command again"
        case .server(let location, let step, let sqlState, let message):
            return "\(location): \(step) failed: \(message) (SQLSTATE \(sqlState))"
        case .unexpectedResult(let what):
            return "unexpected result from PostgreSQL: \(what)"
        }
    }

    /// The toolkit's reading of an error of the client, during `step`.
    static func from(_ error: any Error, location: PostgresLocation, step: String) -> PostgresWarehouseError {
        if let known = error as? PostgresWarehouseError { return known }
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError {
                return from(inner, location: location, step: step)
            }
        }
        let place = location.description
        guard let psql = error as? PSQLError else {
            return .connectionFailed(location: place, message: String(describing: error))
        }
        if let info = psql.serverInfo, let state = info[.sqlState] {
            let message = info[.message] ?? "no message"
            switch state {
            case "28P01", "28000": return .authenticationFailed(location: place, message: message)
            case "3D000": return .noDatabase(location: place)
            case "42501": return .permissionDenied(location: place, message: message)
            case "42P01", "3F000": return .noSchema(location: place, message: message)
            case "57P01", "57P02", "57P03": return .connectionLost(location: place, step: step)
            default: return .server(location: place, step: step, sqlState: state, message: message)
            }
        }
        switch psql.code {
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return .connectionLost(location: place, step: step)
        case .authMechanismRequiresPassword:
            return .authenticationFailed(location: place, message: "the server asks for a password; set PGPASSWORD or --password-env")
        case .sslUnsupported:
            return .connectionFailed(location: place, message: "the server does not offer TLS (sslmode=require); use sslmode=prefer or disable")
        case .connectionError:
            let cause = psql.underlying.map { String(describing: $0) } ?? "no connection"
            return .connectionFailed(location: place, message: cause)
        default:
            let cause = psql.underlying.map { String(describing: $0) } ?? psql.code.description
            return .connectionFailed(location: place, message: cause)
        }
    }
}
