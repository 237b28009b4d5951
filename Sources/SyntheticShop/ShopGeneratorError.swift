import Core

/// Why ``ShopGenerator`` refused its ``ShopGeneratorConfig``.
public enum ShopGeneratorError: Error, Equatable, CustomStringConvertible {
    /// ``ShopGeneratorConfig/customers`` is below 1.
    case tooFewCustomers(Int)
    /// ``ShopGeneratorConfig/products`` is below 1.
    case tooFewProducts(Int)
    /// ``ShopGeneratorConfig/end`` is fewer than ``minimumDays`` days after ``ShopGeneratorConfig/start``.
    case periodTooShort(start: CivilDate, end: CivilDate)
    /// ``ShopGeneratorConfig/profile`` has a parameter the process cannot use; `problem` says which.
    case invalidProfile(name: String, problem: String)

    /// The shortest period the generator fills: the end at least this many days after the start.
    public static let minimumDays = 60

    public var description: String {
        switch self {
        case .tooFewCustomers(let n): return "the shop needs at least 1 customer (got \(n))"
        case .tooFewProducts(let n): return "the shop needs at least 1 product (got \(n))"
        case .periodTooShort(let start, let end):
            return "the period \(start) to \(end) is too short: the last day must be at least \(Self.minimumDays) days after the first"
        case .invalidProfile(let name, let problem): return "the shop profile \(name) is unusable: \(problem)"
        }
    }
}
