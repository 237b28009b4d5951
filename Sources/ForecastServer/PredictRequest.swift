import ForecastKit
import Foundation

/// The body of `POST /predict`: either feature rows or customer histories, a batch of them.
///
/// ```json
/// {"model": "default", "version": 1, "as_of": "2019-12-31", "horizon_days": 31,
///  "rows": [{"customer_id": "c1", "features": {"recency_days": 3, "mean_gap_days": null, ...}}]}
/// {"model": "default",
///  "histories": [{"customer_id": "c1", "purchases": [
///      {"timestamp": "2019-11-02T10:15:00Z", "quantity": 2, "amount": 31.5, "product": "p7"}]}]}
/// ```
struct PredictRequest {
    var model: String?
    var version: Int?
    var asOf: String?
    var horizonDays: Int?
    /// Feature rows, NaN for null (a missing value).
    var rows: [FeatureRow]?
    var histories: [CustomerHistory]?

    /// Reads a body; every failure is an ``APIError``: 400 `malformed_json` with the line and
    /// column, 400 `invalid_request` naming the member that is missing or of the wrong type,
    /// 422 `invalid_value` for a timestamp that does not parse. Values are checked further by
    /// ``ForecastModel`` (negative quantities, unknown features, ...).
    static func decode(_ body: [UInt8]) throws -> PredictRequest {
        do {
            return try JSONScanner.scanning(body) { scanner in
                var request = PredictRequest()
                try scanner.expect(.object, at: "")
                try scanner.readObject { scanner, name in
                    switch name {
                    case "model": request.model = try scanner.optionalString(at: name)
                    case "version": request.version = try scanner.optionalInt(at: name)
                    case "as_of": request.asOf = try scanner.optionalString(at: name)
                    case "horizon_days": request.horizonDays = try scanner.optionalInt(at: name)
                    case "rows": request.rows = try scanner.isNull() ? nil : readRows(&scanner)
                    case "histories": request.histories = try scanner.isNull() ? nil : readHistories(&scanner)
                    default: try scanner.skipValue()
                    }
                }
                try scanner.finish()
                return request
            }
        } catch let error as JSONScanner.SyntaxError {
            throw APIError(.badRequest, "malformed_json", "the body is not valid JSON: \(error)")
        }
    }

    private static func readRows(_ scanner: inout JSONScanner) throws -> [FeatureRow] {
        var rows: [FeatureRow] = []
        try scanner.expect(.array, at: "rows")
        try scanner.readArray { scanner, r in
            var id: String?
            var values: [String: Double]?
            try scanner.expect(.object, at: "rows[\(r)]")
            try scanner.readObject { scanner, name in
                switch name {
                case "customer_id":
                    try scanner.expect(.string, at: "rows[\(r)].customer_id")
                    id = try scanner.readString()
                case "features":
                    try scanner.expect(.object, at: "rows[\(r)].features")
                    var features: [String: Double] = [:]
                    try scanner.readObject { scanner, feature in
                        features[feature] = try scanner.numberOrNull(at: "rows[\(r)].features.\(feature)")
                    }
                    values = features
                default: try scanner.skipValue()
                }
            }
            rows.append(FeatureRow(customerID: try present(id, "customer_id", in: "rows[\(r)]"),
                                   values: try present(values, "features", in: "rows[\(r)]")))
        }
        return rows
    }

    private static func readHistories(_ scanner: inout JSONScanner) throws -> [CustomerHistory] {
        var histories: [CustomerHistory] = []
        try scanner.expect(.array, at: "histories")
        try scanner.readArray { scanner, h in
            var id: String?
            var purchases: [Purchase]?
            try scanner.expect(.object, at: "histories[\(h)]")
            try scanner.readObject { scanner, name in
                switch name {
                case "customer_id":
                    try scanner.expect(.string, at: "histories[\(h)].customer_id")
                    id = try scanner.readString()
                case "purchases":
                    try scanner.expect(.array, at: "histories[\(h)].purchases")
                    var list: [Purchase] = []
                    try scanner.readArray { scanner, k in list.append(try readPurchase(&scanner, at: "histories[\(h)].purchases[\(k)]")) }
                    purchases = list
                default: try scanner.skipValue()
                }
            }
            histories.append(CustomerHistory(customerID: try present(id, "customer_id", in: "histories[\(h)]"),
                                             purchases: try present(purchases, "purchases", in: "histories[\(h)]")))
        }
        return histories
    }

    private static func readPurchase(_ scanner: inout JSONScanner, at path: @autoclosure () -> String) throws -> Purchase {
        var seconds: Int64?, quantity: Double?, amount: Double?, product: String?
        try scanner.expect(.object, at: path())
        try scanner.readObject { scanner, name in
            switch name {
            case "timestamp":
                try scanner.expect(.string, at: path() + ".timestamp")
                seconds = try scanner.readStringBytes { text in
                    guard let base = text.baseAddress, let s = TimestampFormat.iso8601.parse(base, text.count) else {
                        throw APIError(.unprocessableContent, "invalid_value",
                                       "'\(String(decoding: text, as: UTF8.self))' is not \(TimestampFormat.iso8601.example)",
                                       path: path() + ".timestamp")
                    }
                    return s
                }
            case "quantity": quantity = try scanner.number(at: path() + ".quantity")
            case "amount": amount = try scanner.number(at: path() + ".amount")
            case "product": product = try scanner.optionalString(at: path() + ".product")
            default: try scanner.skipValue()
            }
        }
        return Purchase(seconds: try present(seconds, "timestamp", in: path()), quantity: try present(quantity, "quantity", in: path()),
                        amount: try present(amount, "amount", in: path()), product: product)
    }

    /// A member's value, or a 400 naming the missing member.
    private static func present<T>(_ value: T?, _ name: String, in parent: @autoclosure () -> String) throws -> T {
        guard let value else {
            let p = parent()
            throw APIError(.badRequest, "invalid_request", "missing member '\(name)'", path: p.isEmpty ? name : p + "." + name)
        }
        return value
    }

    /// The batch size: rows or histories.
    var batchSize: Int { (rows?.count ?? 0) + (histories?.count ?? 0) }

    /// The cutoff day the request asks for (the day after `as_of`), if it gives one.
    func cutoff() throws -> Int? { try asOf.map(Self.cutoff(asOf:)) }

    /// The cutoff for an `as_of` day (body member or query parameter): the day after it.
    static func cutoff(asOf: String) throws -> Int {
        guard let day = CivilDate(iso: asOf) else {
            throw APIError(.unprocessableContent, "invalid_value", "'\(asOf)' is not a date like 2019-12-31", path: "as_of")
        }
        return day.dayNumber + 1
    }

    /// The horizon asked for, checked (1 to 366 days).
    func horizon() throws -> Int? {
        guard let horizonDays else { return nil }
        guard (1...366).contains(horizonDays) else {
            throw APIError(.unprocessableContent, "invalid_value", "must be 1 to 366 days, got \(horizonDays)", path: "horizon_days")
        }
        return horizonDays
    }
}
