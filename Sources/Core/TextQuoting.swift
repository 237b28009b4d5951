import Foundation

/// Quoting of text for the formats the toolkit writes by hand (CSV fields, JSON strings), and
/// the one JSON encoding used for files and printed reports.
public enum TextQuoting {
    /// `s` as a CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break.
    public static func csv(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `s` as a JSON string literal (for writers that stream JSON by hand).
    public static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Key-sorted JSON with snake_case keys (stable across runs); pretty-printed with a final
    /// line break unless `pretty` is false.
    public static func jsonText<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self) + (pretty ? "\n" : "")
    }
}
