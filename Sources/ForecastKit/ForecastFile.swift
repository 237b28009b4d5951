import Core

/// Writes forecasts to a file, as `forecast predict` does: one row (or object) per customer with
/// `customer_id, expected_events, p_zero, lower_80, upper_80`, and `p_alive` when the model
/// says how likely each customer is to still be one (BG/NBD, Pareto/NBD, MBG/NBD).
///
/// Numbers are written as the shortest decimal that reads back to the same double, so a file
/// and a service answering for the same model and data agree exactly. Written to a temporary
/// file and renamed, so a reader never sees half a file.
public enum ForecastFile {
    public enum Format: Sendable {
        /// A header line, then one line per customer.
        case csv
        /// An array of objects, one per line.
        case json

        /// The format a path's extension names (`.csv` or `.json`), or nil.
        public init?(path: String) {
            if path.hasSuffix(".csv") { self = .csv } else if path.hasSuffix(".json") { self = .json } else { return nil }
        }
    }

    /// Writes the forecasts that have a prediction (customers without one are skipped).
    public static func write(_ forecasts: [CustomerForecast], to path: String, format: Format) throws {
        let rows = forecasts.compactMap { f in f.prediction.map { (f.customerID, $0) } }
        let alive = rows.contains { $0.1.probabilityAlive != nil }
        let w = try ByteWriter(path: path)
        w.text(format == .json ? "[\n" : "customer_id,expected_events,p_zero,lower_80,upper_80" + (alive ? ",p_alive\n" : "\n"))
        for (r, (id, s)) in rows.enumerated() {
            var numbers = [String(s.expected), String(s.probabilityOfZero),
                           String(s.interval80.lowerBound), String(s.interval80.upperBound)]
            if alive { numbers.append(s.probabilityAlive.map { String($0) } ?? "") }
            switch format {
            case .json:
                let pAlive = alive ? ",\"p_alive\":" + (s.probabilityAlive.map { String($0) } ?? "null") : ""
                w.text("{\"customer_id\":\(TextQuoting.json(id)),\"expected_events\":\(numbers[0]),\"p_zero\":\(numbers[1]),"
                       + "\"lower_80\":\(numbers[2]),\"upper_80\":\(numbers[3])\(pAlive)}" + (r + 1 < rows.count ? ",\n" : "\n"))
            case .csv:
                w.field(id)
                w.text("," + numbers.joined(separator: ",") + "\n")
            }
        }
        if format == .json { w.text("]\n") }
        try w.close()
    }
}
