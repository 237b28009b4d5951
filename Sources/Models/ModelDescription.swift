/// A model's self-description: kind, parameters, notes.
public struct ModelDescription: Codable, Sendable, Equatable {
    public var kind: String
    public var parameters: [String: Double]
    public var notes: [String]

    public init(kind: String, parameters: [String: Double] = [:], notes: [String] = []) {
        self.kind = kind
        self.parameters = parameters
        self.notes = notes
    }
}
