/// Why a model could not fit or predict.
public enum ForecasterError: Error, Equatable, CustomStringConvertible {
    case missingFeature(String)
    case unknownModel(String, known: [String])

    public var description: String {
        switch self {
        case .missingFeature(let f): return "the feature matrix has no column \(f)"
        case .unknownModel(let m, let known): return "unknown model '\(m)'; known models: \(known.joined(separator: ", "))"
        }
    }
}

/// The models by command-line name.
public enum ModelCatalog {
    public static let names = ["zero", "last30", "hist_rate", "ols", "glm", "gbm", "bgnbd", "paretonbd", "blend"]

    /// The concrete type behind each name, for decoding saved models.
    public static let types: [String: any Forecaster.Type] = [
        "zero": ZeroForecaster.self, "last30": RecentActivityForecaster.self, "hist_rate": HistoricalRateForecaster.self,
        "ols": LogLinearRegression.self, "glm": PoissonRegression.self, "gbm": GradientBoosting.self, "bgnbd": BGNBD.self, "paretonbd": ParetoNBD.self, "blend": Blend.self,
    ]

    public static func make(_ name: String) throws -> any Forecaster {
        switch name {
        case "zero": return ZeroForecaster()
        case "last30": return RecentActivityForecaster()
        case "hist_rate": return HistoricalRateForecaster()
        case "ols": return LogLinearRegression()
        case "glm": return PoissonRegression()
        case "gbm": return GradientBoosting()
        case "bgnbd": return BGNBD()
        case "paretonbd": return ParetoNBD()
        case "blend": return Blend()
        default: throw ForecasterError.unknownModel(name, known: names)
        }
    }
}

extension ModelCatalog {
    /// Decodes the model stored under `key` as the type registered for `kind` (saved models
    /// and the blend's components store a kind beside each model).
    public static func decodeModel<K: CodingKey>(kind: String, from container: KeyedDecodingContainer<K>, forKey key: K) throws -> any Forecaster {
        guard let type = types[kind] else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                   debugDescription: "unknown model kind '\(kind)'; this toolkit knows \(names.joined(separator: ", "))")
        }
        func decode<M: Forecaster>(_ type: M.Type) throws -> any Forecaster { try container.decode(type, forKey: key) }
        return try decode(type)
    }
}
