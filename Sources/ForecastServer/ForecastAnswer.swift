import ForecastKit

/// The answer to a forecast request (`POST /predict`, `GET /customers/{id}/forecast`):
///
/// ```json
/// {"as_of": "2019-11-30", "horizon_days": 31, "kind": "glm", "model": "default", "version": 1,
///  "predictions": [{"customer_id": "c-1042", "expected": 0.4291984306883526, "lower_80": 0,
///                   "p_zero": 0.6687700955119346, "upper_80": 1}]}
/// ```
///
/// `warnings` is present only when something had to be assumed.
struct ForecastAnswer: Encodable {
    var model: String
    var version: Int
    var kind: String
    /// The last day the features saw (the day before the cutoff).
    var asOf: String
    var horizonDays: Int
    var predictions: [Item]
    var warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case model, version, kind, predictions, warnings
        case asOf = "as_of"
        case horizonDays = "horizon_days"
    }

    init(model: ForecastModel, cutoff: Int, horizonDays: Int, forecasts: [CustomerForecast], warnings: [String]) {
        (self.model, version, kind) = (model.name, model.version, model.kind)
        asOf = CivilDate(dayNumber: cutoff - 1).description
        self.horizonDays = horizonDays
        // Built once per answer rather than per customer without a purchase.
        let note = "no purchase before \(CivilDate(dayNumber: cutoff)): the model forecasts customers it knows"
        predictions = forecasts.map { Item(customerID: $0.customerID, prediction: $0.prediction, note: note) }
        self.warnings = warnings.isEmpty ? nil : warnings
    }

    /// One customer's forecast. Written by hand so that a customer without a forecast gets
    /// explicit `null`s (the synthesized encoding would leave the members out) and a `note`.
    struct Item: Encodable {
        var customerID: String
        var prediction: PredictiveSummary?
        var note: String

        enum CodingKeys: String, CodingKey {
            case customerID = "customer_id"
            case expected
            case pZero = "p_zero"
            case lower80 = "lower_80"
            case upper80 = "upper_80"
            case pAlive = "p_alive"
            case note
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(customerID, forKey: .customerID)
            guard let p = prediction else {
                for key in [CodingKeys.expected, .pZero, .lower80, .upper80] { try c.encodeNil(forKey: key) }
                try c.encode(note, forKey: .note)
                return
            }
            // A non-finite value is not a number JSON can carry, nor a forecast: null.
            try c.encode(p.expected.isFinite ? p.expected : nil, forKey: .expected)
            try c.encode(p.probabilityOfZero.isFinite ? p.probabilityOfZero : nil, forKey: .pZero)
            try c.encode(p.interval80.lowerBound, forKey: .lower80)
            try c.encode(p.interval80.upperBound, forKey: .upper80)
            // Only the models that say how likely a customer is to still be one.
            if let alive = p.probabilityAlive, alive.isFinite { try c.encode(alive, forKey: .pAlive) }
        }
    }
}
