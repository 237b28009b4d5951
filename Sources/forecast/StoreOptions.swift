import ArgumentParser
import ForecastKit
import Foundation

/// `--store`, shared by the commands that read or write models.
struct StoreOptions: ParsableArguments {
    @Option(help: "The model store folder.")
    var store = "models"

    var modelStore: ModelStore { ModelStore(root: store) }
}

/// Loads a saved model as the SDK does (``ForecastModel`` checks that this toolkit computes the
/// features it was trained on).
func loadModel(_ reference: String, from store: ModelStore) throws -> ForecastModel {
    try ForecastModel(store.load(try ModelReference(parsing: reference)))
}

/// Reads the data of a command and collapses it to events, returning the events and the
/// number of rows in the transaction log. The log itself, its rejects and its quality report
/// are released on return: the commands that call this need only the events, and keeping
/// the log of 10 million rows alive through a fit cost a third of `forecast train`'s peak
/// memory at 1M customers.
func loadEvents(_ source: MappingOptions, _ quality: QualityOptions, command: String) throws -> (logRows: Int, events: EventLog) {
    let result = try readData(source, quality, command: command)
    let events = EventLog(result.log)
    printError("\(command): \(events.customerCount) customers, \(events.eventCount) events (distinct customer-days)")
    return (result.log.rowCount, events)
}

/// Reads the data of a command, reporting on standard error what it reads and the row counts.
func readData(_ source: MappingOptions, _ quality: QualityOptions, command: String) throws -> IngestResult {
    try source.requireData()
    printError("\(command): reading \(source.data)")
    let result = try ingest(source, quality)
    let q = result.report
    printError("\(command): \(q.rowsRead) rows read = \(q.rowsAccepted) accepted + \(q.rowsRejected) rejected")
    return result
}

/// The cutoff for an `--as-of` day (the day after it), or the day after the data's last event.
func cutoffDay(asOf: String?, events: EventLog) throws -> Int {
    if let asOf {
        guard let d = CivilDate(iso: asOf) else { throw ValidationError("--as-of must be a date like 2019-12-31, got '\(asOf)'") }
        return d.dayNumber + 1
    }
    guard events.eventCount > 0 else { throw ValidationError("the data hold no events") }
    return events.lastDay + 1
}
