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
        let root: JSONValue
        do {
            root = try JSONReader.parse(body)
        } catch {
            throw APIError(.badRequest, "malformed_json", "the body is not valid JSON: \(error)")
        }
        typealias R = JSONRead
        let top = try R.members(root, "")
        var request = PredictRequest()
        request.model = try R.optional(top, "model").map { try R.string($0, "model") }
        request.version = try R.optional(top, "version").map { try R.int($0, "version") }
        request.asOf = try R.optional(top, "as_of").map { try R.string($0, "as_of") }
        request.horizonDays = try R.optional(top, "horizon_days").map { try R.int($0, "horizon_days") }
        request.rows = try R.optional(top, "rows").map { rows in
            try R.items(rows, "rows").enumerated().map { r, item in
                let row = try R.members(item, "rows[\(r)]")
                var features: [String: Double] = [:]
                for (name, value) in try R.members(try R.required(row, "features", "rows[\(r)]"), "rows[\(r)].features") {
                    features[name] = try R.doubleOrNull(value, "rows[\(r)].features.\(name)")
                }
                return FeatureRow(customerID: try R.string(try R.required(row, "customer_id", "rows[\(r)]"), "rows[\(r)].customer_id"),
                                  values: features)
            }
        }
        request.histories = try R.optional(top, "histories").map { histories in
            try R.items(histories, "histories").enumerated().map { h, item in
                let at = { "histories[\(h)]" }
                let history = try R.members(item, at())
                let purchases = try R.items(try R.required(history, "purchases", at()), at() + ".purchases")
                return CustomerHistory(
                    customerID: try R.string(try R.required(history, "customer_id", at()), at() + ".customer_id"),
                    purchases: try purchases.enumerated().map { k, entry in
                        let path = { "\(at()).purchases[\(k)]" }
                        let p = try R.members(entry, path())
                        let timestamp = try R.string(try R.required(p, "timestamp", path()), path() + ".timestamp")
                        guard let seconds = TimestampFormat.iso8601.parse(timestamp) else {
                            throw APIError(.unprocessableContent, "invalid_value",
                                           "'\(timestamp)' is not \(TimestampFormat.iso8601.example)", path: path() + ".timestamp")
                        }
                        return Purchase(
                            seconds: seconds,
                            quantity: try R.double(try R.required(p, "quantity", path()), path() + ".quantity"),
                            amount: try R.double(try R.required(p, "amount", path()), path() + ".amount"),
                            product: try R.optional(p, "product").map { try R.string($0, path() + ".product") })
                    })
            }
        }
        return request
    }

    /// The batch size: rows or histories.
    var batchSize: Int { (rows?.count ?? 0) + (histories?.count ?? 0) }

    /// The cutoff day the request asks for (the day after `as_of`), if it gives one.
    func cutoff() throws -> Int? {
        guard let asOf else { return nil }
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

/// The answer to a forecast request, written as JSON by hand (it is the hot path).
struct ForecastAnswer {
    var model: ForecastModel
    var cutoff: Int
    var horizonDays: Int
    var forecasts: [CustomerForecast]
    var warnings: [String]

    func json() -> String {
        var out = "{\"model\":\(JSONText.quoted(model.name)),\"version\":\(model.version),\"kind\":\(JSONText.quoted(model.kind)),"
        out += "\"as_of\":\"\(CivilDate(dayNumber: cutoff - 1))\",\"horizon_days\":\(horizonDays),\"predictions\":["
        out.reserveCapacity(out.utf8.count + forecasts.count * 110)
        for (i, f) in forecasts.enumerated() {
            if i > 0 { out += "," }
            out += "{\"customer_id\":" + JSONText.quoted(f.customerID)
            if let p = f.prediction {
                out += ",\"expected\":" + JSONText.number(p.expected) + ",\"p_zero\":" + JSONText.number(p.probabilityOfZero)
                out += ",\"lower_80\":\(p.interval80.lowerBound),\"upper_80\":\(p.interval80.upperBound)}"
            } else {
                out += ",\"expected\":null,\"p_zero\":null,\"lower_80\":null,\"upper_80\":null,"
                out += "\"note\":\"no purchase before \(CivilDate(dayNumber: cutoff)): the model forecasts customers it knows\"}"
            }
        }
        out += "]"
        if !warnings.isEmpty { out += ",\"warnings\":[" + warnings.map(JSONText.quoted).joined(separator: ",") + "]" }
        return out + "}\n"
    }
}
