/// The models by command-line name: one table, from which the list of names, ``make(_:)``
/// and the decoding of saved models all derive.
public enum ModelCatalog {
    /// One kind of model: its command-line name (the `kind` of a saved model), its type and
    /// a new instance with the default settings.
    public struct Entry: Sendable {
        public let name: String
        /// The type a saved model of this kind decodes as.
        public let type: any Forecaster.Type
        /// A new, unfitted model with the default settings.
        public let make: @Sendable () -> any Forecaster

        /// The entry of the models `make` returns, under `name` (which should be their `name`).
        public init<M: Forecaster>(_ name: String, _ make: @escaping @Sendable () -> M) {
            self.name = name
            self.type = M.self
            self.make = { make() }
        }
    }

    /// Every kind of model, in the order the command line lists them.
    public static let entries: [Entry] = [
        Entry("zero") { ZeroForecaster() },
        Entry("last30") { RecentActivityForecaster() },
        Entry("hist_rate") { HistoricalRateForecaster() },
        Entry("ols") { LogLinearRegression() },
        Entry("glm") { PoissonRegression() },
        Entry("gbm") { GradientBoosting() },
        Entry("bgnbd") { BGNBD() },
        Entry("paretonbd") { ParetoNBD() },
        Entry("mbgnbd") { MBGNBD() },
        Entry("blend") { Blend() },
        Entry("auto") { AutoForecaster() },
    ]

    /// The names of ``entries``, in order.
    public static let names = entries.map(\.name)

    /// The entry named `name`, if any.
    public static func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// A new model of kind `name` with the default settings.
    public static func make(_ name: String) throws -> any Forecaster {
        guard let entry = entry(named: name) else { throw ForecasterError.unknownModel(name, known: names) }
        return entry.make()
    }

    /// Decodes the model stored under `key` as the type registered for `kind` (saved models
    /// and the blend's components store a kind beside each model).
    package static func decodeModel<K: CodingKey>(kind: String, from container: KeyedDecodingContainer<K>, forKey key: K) throws -> any Forecaster {
        guard let type = entry(named: kind)?.type else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                   debugDescription: "unknown model kind '\(kind)'; this toolkit knows \(names.joined(separator: ", "))")
        }
        func decode<M: Forecaster>(_ type: M.Type) throws -> any Forecaster { try container.decode(type, forKey: key) }
        return try decode(type)
    }
}
