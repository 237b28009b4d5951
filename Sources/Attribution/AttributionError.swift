import Core

/// Why an attribution step stopped, or the attribution database could not be opened.
public enum AttributionError: Error, CustomStringConvertible, Equatable {
    /// A row of `table` (key `key`) whose date and time do not parse.
    case badTimestamp(table: String, key: String, date: String, time: String)
    /// `conversions` conversions of `range` (a ``ConversionRange`` description) have no journeys:
    /// ``JourneyStep`` has not run for that range.
    case journeysMissing(conversions: Int, range: String)
    /// A conversion's weights do not sum to 1; nothing was written.
    case weightsDoNotSumToOne(conversionID: String, sum: Double)
    /// No engine has this name.
    case unknownEngine(String)
    /// The attribution API failed; the text says how.
    case remote(String)
    /// A ``ConversionRange`` whose last date `to` lies before its first date `from`.
    case reversedRange(from: CivilDate, to: CivilDate)
    /// A lookback window of `days` days: it must be at least one day.
    case nonPositiveLookback(days: Int)
    /// The attribution database at `path` does not exist and was not to be created.
    case noDatabase(path: String)
    /// SQLite refused to open the attribution database at `path`, or to apply its schema.
    case database(path: String, message: String)
    /// `table` of the database at `path` already has rows where an empty table is required
    /// (generated data go only into empty tables).
    case tableNotEmpty(path: String, table: String)

    public var description: String {
        switch self {
        case .badTimestamp(let table, let key, let date, let time):
            return "\(table) row \(key): '\(date) \(time)' is not a date YYYY-MM-DD and a time HH:MM:SS"
        case .journeysMissing(let n, let range):
            return "\(n) conversions (\(range)) have no journeys yet: build the journeys of that range first"
        case .reversedRange(let from, let to):
            return "the conversion range ends on \(to), before it starts on \(from)"
        case .nonPositiveLookback(let days):
            return "the lookback window must be at least one day (got \(days))"
        case .weightsDoNotSumToOne(let id, let sum):
            return "conversion \(id): weights sum to \(sum), not 1 (tolerance 1e-9); nothing was written"
        case .unknownEngine(let name):
            return "unknown engine '\(name)'"
        case .remote(let message):
            return message
        case .noDatabase(let path):
            return "\(path): no such database (the attribution database has not been created)"
        case .database(let path, let message):
            return "\(path): \(message)"
        case .tableNotEmpty(let path, let table):
            return "\(path): \(table) already has rows; data are generated only into empty tables"
        }
    }
}
