/// The engines by name, as the command line and the comparison report know them.
public enum EngineName: String, CaseIterable, Sendable, Codable {
    case firstTouch = "first-touch"
    case lastTouch = "last-touch"
    case linear
    case timeDecay = "time-decay"
    case positionBased = "position-based"
    case markov
    case shapley
    case phase
    /// The remote IHC-style API (needs an endpoint and a key).
    case ihcAPI = "ihc-api"
}

/// Settings of the in-process engines.
public struct EngineSettings: Sendable, Equatable {
    public var halfLifeDays: Double = 7
    public var markovOrder: Int = 1
    /// Initializer, holder and closer budgets of the phase model.
    public var phaseShares: (Double, Double, Double) = (1.0 / 3, 1.0 / 3, 1.0 / 3)

    public init() {}

    public static func == (a: EngineSettings, b: EngineSettings) -> Bool {
        a.halfLifeDays == b.halfLifeDays && a.markovOrder == b.markovOrder && a.phaseShares == b.phaseShares
    }
}

public enum EngineCatalog {
    /// The in-process engine called `name`; nil for the remote one.
    public static func engine(_ name: EngineName, _ settings: EngineSettings = EngineSettings()) -> (any AttributionEngine)? {
        switch name {
        case .firstTouch: return FirstTouchEngine()
        case .lastTouch: return LastTouchEngine()
        case .linear: return LinearEngine()
        case .timeDecay: return TimeDecayEngine(halfLifeDays: settings.halfLifeDays)
        case .positionBased: return PositionBasedEngine()
        case .markov: return MarkovEngine(order: settings.markovOrder)
        case .shapley: return ShapleyEngine()
        case .phase: return PhaseEngine(initializer: settings.phaseShares.0, holder: settings.phaseShares.1, closer: settings.phaseShares.2)
        case .ihcAPI: return nil
        }
    }

    /// Every in-process engine, with the Markov model of order 1 and 2: the comparison set.
    public static func comparisonSet(_ settings: EngineSettings = EngineSettings()) -> [any AttributionEngine] {
        var engines: [any AttributionEngine] = []
        for name in EngineName.allCases where name != .ihcAPI && name != .markov { engines.append(engine(name, settings)!) }
        engines.insert(MarkovEngine(order: 1), at: 5)
        engines.insert(MarkovEngine(order: 2), at: 6)
        return engines
    }
}
