import Core
import Crypto
import Features
import Foundation

/// Identifies the data a model was trained on: sizes, dates and a SHA-256 of the event log.
///
/// The hash covers, customer by customer in log order, the customer id (UTF-8, then a 0
/// byte) and each event's day (Int32 little endian) and value (IEEE 754 double, little
/// endian): the same events in the same order give the same hash whatever the file format.
public struct DataFingerprint: Codable, Sendable, Equatable {
    /// Transaction rows in the log (after quality rules).
    public var rows: Int
    public var customers: Int
    /// Distinct customer-days.
    public var events: Int
    public var firstDay: String
    public var lastDay: String
    public var sha256: String

    public init(rows: Int, customers: Int, events: Int, firstDay: String, lastDay: String, sha256: String) {
        self.rows = rows
        self.customers = customers
        self.events = events
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.sha256 = sha256
    }

    /// The fingerprint of `events`, collapsed from a log of `rows` rows.
    public init(rows: Int, events: EventLog) {
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        for c in 0..<events.customerCount {
            buffer.append(contentsOf: events.customerIDs[c].utf8)
            buffer.append(0)
            for i in events.offsets[c]..<events.offsets[c + 1] {
                withUnsafeBytes(of: events.day[i].littleEndian) { buffer.append(contentsOf: $0) }
                withUnsafeBytes(of: events.value[i].bitPattern.littleEndian) { buffer.append(contentsOf: $0) }
            }
            if buffer.count >= 1 << 16 {
                hasher.update(data: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(data: buffer)
        let empty = events.eventCount == 0
        self.init(rows: rows, customers: events.customerCount, events: events.eventCount,
                  firstDay: empty ? "" : CivilDate(dayNumber: events.firstDay).description,
                  lastDay: empty ? "" : CivilDate(dayNumber: events.lastDay).description,
                  sha256: ModelFile.hex(hasher.finalize()))
    }

    /// The fingerprint of a training panel read from `files` (the SHA-256 of their bytes, in
    /// order): `rows` panel rows of `customers` customers, `events` their target events; the
    /// log's first day is unknown (empty: prediction then treats the log it is given as
    /// observed from its own first day) and its last day is the day before the cutoff.
    public init(panelFiles files: [String], rows: Int, customers: Int, events: Int, lastDay: String) throws {
        var hasher = SHA256()
        for file in files {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: file]) }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        }
        self.init(rows: rows, customers: customers, events: events, firstDay: "", lastDay: lastDay, sha256: ModelFile.hex(hasher.finalize()))
    }
}
