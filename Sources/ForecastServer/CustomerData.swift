import ForecastKit

/// A data set held in memory so the server can answer `GET /customers/{id}/forecast`: the
/// events by customer and an index from customer id to position.
public struct CustomerData: Sendable {
    public let events: EventLog
    let index: [String: Int]
    /// Where it was read from, for `/health`.
    public let source: String

    public init(log: TransactionLog, source: String) {
        events = EventLog(log)
        var index: [String: Int] = [:]
        index.reserveCapacity(events.customerCount)
        for (c, id) in events.customerIDs.enumerated() { index[id] = c }
        self.index = index
        self.source = source
    }

    /// The default cutoff: the day after the data's last event, as `forecast predict` uses.
    public var defaultCutoff: Int { events.lastDay + 1 }

    func customer(_ id: String) -> Int? { index[id] }
}
