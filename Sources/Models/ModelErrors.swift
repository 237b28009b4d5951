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
///
/// A fit on any event log ends either in finite parameters or in one of these; the cases a
/// log's shape causes say what about the data made the fit fail, so that a report can show
/// the reason beside the model instead of a number.
public enum ModelFitError: Error, Equatable, CustomStringConvertible {
    case noTrainingData(model: String)
    case notFitted(model: String)
    case diverged(model: String, iteration: Int)
    case invalidTarget(model: String)
    /// Fewer customers than the model has parameters to estimate from them.
    case tooFewCustomers(model: String, customers: Int, minimum: Int)
    /// Every customer bought once (x = 0): a likelihood without a penalty keeps rising as the
    /// repeat-buying rate falls to 0, so it has no maximum.
    case noRepeatPurchases(model: String, customers: Int)
    /// The panel has fewer training origins than the model needs (the blend fits its
    /// components on earlier origins and weights them on later ones).
    case tooFewOrigins(model: String, origins: Int, minimum: Int)
    /// The objective cannot be evaluated on these data, even at the starting point; `reason`
    /// says which quantity is not finite.
    case nonFiniteObjective(model: String, reason: String)
    /// A linear solve the fit needs failed on this training panel (LinearAlgebra's reason).
    case numericalFailure(model: String, reason: String)
    /// Every component of a blend failed; one reason per component, in component order.
    case allComponentsFailed(model: String, reasons: [String])

    public var description: String {
        switch self {
        case .noTrainingData(let m): return "\(m): no training rows (is there at least one month of history before the first cutoff?)"
        case .notFitted(let m): return "\(m): predict called before fit"
        case .diverged(let m, let i): return "\(m): the fit produced non-finite values at iteration \(i)"
        case .invalidTarget(let m): return "\(m): the targets must be finite counts >= 0"
        case .tooFewCustomers(let m, let n, let minimum):
            return "\(m): \(n) customer\(n == 1 ? "" : "s") before the cutoff, too few to fit (at least \(minimum) needed)"
        case .noRepeatPurchases(let m, let n):
            return "\(m): none of the \(n) customers made a repeat purchase: the repeat-buying rate cannot be estimated"
        case .tooFewOrigins(let m, let n, let minimum):
            return "\(m): \(n) training origin\(n == 1 ? "" : "s") (month starts with a full month before the cutoff), at least \(minimum) needed"
        case .nonFiniteObjective(let m, let reason): return "\(m): the objective is not finite on these data: \(reason)"
        case .numericalFailure(let m, let reason): return "\(m): a linear solve failed on this training panel: \(reason)"
        case .allComponentsFailed(let m, let reasons): return "\(m): every component failed: \(reasons.joined(separator: "; "))"
        }
    }
}
