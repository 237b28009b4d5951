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

/// Why a model could not be fitted or used.
public enum ModelFitError: Error, Equatable, CustomStringConvertible {
    case noTrainingData(model: String)
    case notFitted(model: String)
    case diverged(model: String, iteration: Int)
    case invalidTarget(model: String)

    public var description: String {
        switch self {
        case .noTrainingData(let m): return "\(m): no training rows (is there at least one month of history before the first cutoff?)"
        case .notFitted(let m): return "\(m): predict called before fit"
        case .diverged(let m, let i): return "\(m): the fit produced non-finite values at iteration \(i)"
        case .invalidTarget(let m): return "\(m): the targets must be finite counts >= 0"
        }
    }
}
