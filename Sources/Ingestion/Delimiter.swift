/// How fields are separated in a delimited text file.
public enum Delimiter: Sendable, Equatable, CustomStringConvertible {
    /// One byte: `,` `;` `\t` `|` ...
    case byte(UInt8)
    /// Runs of spaces and tabs; leading and trailing blanks are ignored (the CDNOW layout).
    case whitespace

    public static let comma = Delimiter.byte(UInt8(ascii: ","))
    public static let semicolon = Delimiter.byte(UInt8(ascii: ";"))
    public static let tab = Delimiter.byte(UInt8(ascii: "\t"))

    /// Parses a flag value: `,` `comma` `;` `semicolon` `\t` `tab` `|` `pipe` `whitespace` `space`.
    public init?(flag: String) {
        switch flag.lowercased() {
        case ",", "comma": self = .comma
        case ";", "semicolon": self = .semicolon
        case "\t", "\\t", "tab": self = .tab
        case "|", "pipe": self = .byte(UInt8(ascii: "|"))
        case "whitespace", "space", " ": self = .whitespace
        default:
            guard flag.utf8.count == 1, let b = flag.utf8.first, b != UInt8(ascii: "\""),
                  b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") else { return nil }
            self = .byte(b)
        }
    }

    public var description: String {
        switch self {
        case .whitespace: return "whitespace"
        case .byte(let b):
            switch b {
            case UInt8(ascii: ","): return "comma"
            case UInt8(ascii: ";"): return "semicolon"
            case UInt8(ascii: "\t"): return "tab"
            default: return "'\(Character(Unicode.Scalar(b)))'"
            }
        }
    }

    /// Guesses the delimiter from the first line: the most frequent of `,` `;` `\t` `|`
    /// outside quotes, else whitespace when the line has blanks between fields, else comma.
    static func detect(firstLine p: UnsafePointer<UInt8>, _ n: Int) -> Delimiter {
        let candidates: [UInt8] = [44, 59, 9, 124]
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var blanks = 0
        for i in 0..<n {
            let b = p[i]
            if b == 34 { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if let k = candidates.firstIndex(of: b) { counts[k] += 1 }
            if b == 32 { blanks += 1 }
        }
        if let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] > 0 {
            return .byte(candidates[best])
        }
        return blanks > 0 ? .whitespace : .comma
    }
}
