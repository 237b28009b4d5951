/// A label and how often it occurred (a reject reason, an injected defect kind, ...).
public struct LabelCount: Codable, Sendable, Equatable {
    public var label: String
    public var count: Int

    public init(label: String, count: Int) { (self.label, self.count) = (label, count) }
}
