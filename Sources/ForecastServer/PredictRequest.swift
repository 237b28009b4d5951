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
struct PredictRequest: Decodable {
    var model: String?
    var version: Int?
    var asOf: String?
    var horizonDays: Int?
    var rows: [RowWire]?
    var histories: [HistoryWire]?

    enum CodingKeys: String, CodingKey {
        case model, version, asOf = "as_of", horizonDays = "horizon_days", rows, histories
    }

    struct RowWire: Decodable {
        var customerID: String
        var features: [String: Double?]
        enum CodingKeys: String, CodingKey { case customerID = "customer_id", features }
    }

    struct HistoryWire: Decodable {
        var customerID: String
        var purchases: [PurchaseWire]
        enum CodingKeys: String, CodingKey { case customerID = "customer_id", purchases }
    }

    struct PurchaseWire: Decodable {
        var timestamp: String
        var quantity: Double
        var amount: Double
        var product: String?
    }

    /// Decodes a body; every failure is an ``APIError`` that names the member.
    static func decode(_ body: Data) throws -> PredictRequest {
        do {
            return try JSONDecoder().decode(PredictRequest.self, from: body)
        } catch {
            throw APIError.decoding(error, body: body)
        }
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

    /// The feature rows, with null as a missing value.
    func featureRows() -> [FeatureRow] {
        (rows ?? []).map { row in
            FeatureRow(customerID: row.customerID, values: row.features.mapValues { $0 ?? .nan })
        }
    }

    /// The histories, with their timestamps parsed (a 422 names a timestamp that does not parse).
    func customerHistories() throws -> [CustomerHistory] {
        try (histories ?? []).enumerated().map { h, history in
            CustomerHistory(customerID: history.customerID, purchases: try history.purchases.enumerated().map { p, purchase in
                guard let seconds = TimestampFormat.iso8601.parse(purchase.timestamp) else {
                    throw APIError(.unprocessableContent, "invalid_value",
                                   "'\(purchase.timestamp)' is not \(TimestampFormat.iso8601.example)",
                                   path: "histories[\(h)].purchases[\(p)].timestamp")
                }
                return Purchase(seconds: seconds, quantity: purchase.quantity, amount: purchase.amount, product: purchase.product)
            })
        }
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
