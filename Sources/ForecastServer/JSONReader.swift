import Foundation

/// A JSON value, as ``JSONReader`` reads it.
enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// What a value is, for messages ("expected a number, found a string").
    var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}

/// Reads request bodies into ``JSONValue``s, and says where a malformed one goes wrong
/// (line, column, what was expected, what was found).
///
/// Written for `POST /predict`: Foundation's JSONDecoder took 80% of the time of a
/// 1,000-customer request (generic containers and metadata lookups per value), and on Linux
/// says only that data are not valid JSON. Numbers are checked against the JSON grammar and
/// converted by `strtod`, which rounds correctly (JSONSerialization on Linux does not).
enum JSONReader {
    struct SyntaxError: Error, CustomStringConvertible {
        var line: Int
        var column: Int
        var expected: String
        var found: String
        var description: String { "line \(line), column \(column): expected \(expected), found \(found)" }
    }

    /// Parses a whole body (one value, surrounded by optional white space).
    static func parse(_ body: [UInt8]) throws(SyntaxError) -> JSONValue {
        // A trailing NUL stops strtod at the end of a number that ends the body.
        var bytes = body
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { buffer throws(SyntaxError) -> JSONValue in
            var parser = Parser(bytes: buffer, end: body.count)
            parser.skipSpace()
            let value = try parser.value(depth: 0)
            parser.skipSpace()
            if parser.i < parser.end { throw parser.failure("the end of the body after the top-level value") }
            return value
        }
    }

    /// The first syntax error as text; nil when the body is valid JSON.
    static func firstError(in body: [UInt8]) -> String? {
        do {
            _ = try parse(body)
            return nil
        } catch {
            return error.description
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let end: Int
        var i = 0

        func failure(_ expected: String) -> SyntaxError {
            var line = 1, column = 1
            for k in 0..<min(i, end) {
                if bytes[k] == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            }
            let found: String
            if i >= end {
                found = "the end of the body"
            } else {
                let b = bytes[i]
                found = (0x21...0x7e).contains(b) ? "'\(Character(UnicodeScalar(b)))'" : "byte 0x\(String(b, radix: 16))"
            }
            return SyntaxError(line: line, column: column, expected: expected, found: found)
        }

        mutating func skipSpace() {
            while i < end {
                let b = bytes[i]
                guard b == 0x20 || b == 0x0a || b == 0x0d || b == 0x09 else { return }
                i += 1
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < 512 else { throw failure("less nesting (over 512 levels)") }
            skipSpace()
            guard i < end else { throw failure("a value") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(key: String, value: JSONValue)] = []
                skipSpace()
                if i < end, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard i < end, bytes[i] == UInt8(ascii: "\"") else { throw failure("a member name in double quotes") }
                    let key = try string()
                    skipSpace()
                    guard i < end, bytes[i] == UInt8(ascii: ":") else { throw failure("':' after the member name") }
                    i += 1
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < end else { throw failure("',' or '}' in an object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    throw failure("',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONValue] = []
                skipSpace()
                if i < end, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < end else { throw failure("',' or ']' in an array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw failure("',' or ']' in an array")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try number())
            default:
                throw failure("a value (object, array, string, number, true, false or null)")
            }
        }

        mutating func literal(_ word: StaticString) throws(SyntaxError) {
            let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for b in text {
                guard i < end, bytes[i] == b else { throw failure("'\(word)'") }
                i += 1
            }
        }

        mutating func string() throws(SyntaxError) -> String {
            i += 1
            let start = i
            var escaped = false
            while i < end {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    i += 1
                    return escaped ? try unescape(raw, at: start) : String(decoding: raw, as: UTF8.self)
                }
                if b < 0x20 { throw failure("a closing '\"' (control characters must be escaped)") }
                if b == UInt8(ascii: "\\") {
                    escaped = true
                    i += 1
                }
                i += 1
            }
            throw failure("a closing '\"'")
        }

        /// The text of a string with escapes; `at` is where it starts, for messages.
        mutating func unescape(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) throws(SyntaxError) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var k = 0
            var pendingHigh: UInt32? = nil
            func hex(_ from: Int) -> UInt32? {
                guard from + 4 <= raw.count else { return nil }
                var v: UInt32 = 0
                for d in raw[from..<(from + 4)] {
                    switch d {
                    case 0x30...0x39: v = v * 16 + UInt32(d - 0x30)
                    case 0x41...0x46: v = v * 16 + UInt32(d - 0x41 + 10)
                    case 0x61...0x66: v = v * 16 + UInt32(d - 0x61 + 10)
                    default: return nil
                    }
                }
                return v
            }
            func append(_ scalar: UInt32) {
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(s).utf8))
            }
            while k < raw.count {
                let b = raw[k]
                guard b == UInt8(ascii: "\\") else {
                    if let high = pendingHigh { append(high); pendingHigh = nil }
                    out.append(b)
                    k += 1
                    continue
                }
                let e = k + 1 < raw.count ? raw[k + 1] : 0
                if e != UInt8(ascii: "u"), let high = pendingHigh { append(high); pendingHigh = nil }
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5c)
                case UInt8(ascii: "/"): out.append(0x2f)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let v = hex(k + 2) else {
                        i = start + k
                        throw failure("four hex digits after \\u")
                    }
                    if let high = pendingHigh {
                        pendingHigh = nil
                        if (0xDC00...0xDFFF).contains(v) {
                            append(0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00))
                        } else {
                            append(high)
                            if (0xD800...0xDBFF).contains(v) { pendingHigh = v } else { append(v) }
                        }
                    } else if (0xD800...0xDBFF).contains(v) {
                        pendingHigh = v
                    } else {
                        append(v)
                    }
                    k += 6
                    continue
                default:
                    i = start + k
                    throw failure("an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t, \\uXXXX)")
                }
                k += 2
            }
            if let high = pendingHigh { append(high) }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func number() throws(SyntaxError) -> Double {
            let start = i
            func digits(_ parser: inout Parser, _ what: String) throws(SyntaxError) {
                guard parser.i < parser.end, (0x30...0x39).contains(parser.bytes[parser.i]) else { throw parser.failure(what) }
                while parser.i < parser.end, (0x30...0x39).contains(parser.bytes[parser.i]) { parser.i += 1 }
            }
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            if i < end, bytes[i] == UInt8(ascii: "0") {
                i += 1  // JSON allows no leading zeros: "01" is refused at the "1"
            } else {
                try digits(&self, "a digit")
            }
            if i < end, bytes[i] == UInt8(ascii: ".") { i += 1; try digits(&self, "a digit after the decimal point") }
            if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                try digits(&self, "a digit in the exponent")
            }
            // The span is a valid JSON number and is followed by a delimiter or the NUL: strtod reads exactly it.
            return bytes.baseAddress!.advanced(by: start).withMemoryRebound(to: CChar.self, capacity: i - start + 1) { strtod($0, nil) }
        }
    }
}

/// Typed reads of request values that refuse the wrong type with a 400 naming the value's
/// path. Paths are built only for errors (autoclosures): building them for every value cost
/// more than parsing.
enum JSONRead {
    static func wrongType(_ value: JSONValue, _ expected: String, _ path: String) -> APIError {
        APIError(.badRequest, "invalid_request", "expected \(expected), found \(value.kind)", path: path.isEmpty ? nil : path)
    }

    static func members(_ value: JSONValue, _ path: @autoclosure () -> String) throws -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = value else { throw wrongType(value, "an object", path()) }
        return members
    }

    static func items(_ value: JSONValue, _ path: @autoclosure () -> String) throws -> [JSONValue] {
        guard case .array(let items) = value else { throw wrongType(value, "an array", path()) }
        return items
    }

    static func string(_ value: JSONValue, _ path: @autoclosure () -> String) throws -> String {
        guard case .string(let s) = value else { throw wrongType(value, "a string", path()) }
        return s
    }

    static func double(_ value: JSONValue, _ path: @autoclosure () -> String) throws -> Double {
        guard case .number(let d) = value else { throw wrongType(value, "a number", path()) }
        return d
    }

    /// A number, or NaN for null (a missing value).
    static func doubleOrNull(_ value: JSONValue, _ path: @autoclosure () -> String) throws -> Double {
        if case .null = value { return .nan }
        guard case .number(let d) = value else { throw wrongType(value, "a number or null", path()) }
        return d
    }

    static func int(_ value: JSONValue, _ path: @autoclosure () -> String) throws -> Int {
        guard case .number(let d) = value, d == d.rounded(), abs(d) < 1e15 else { throw wrongType(value, "an integer", path()) }
        return Int(d)
    }

    /// The member `name` (the last of duplicates), nil when absent or null.
    static func optional(_ members: [(key: String, value: JSONValue)], _ name: String) -> JSONValue? {
        guard let found = members.last(where: { $0.key == name })?.value else { return nil }
        if case .null = found { return nil }
        return found
    }

    /// The member `name`, or a 400 naming it.
    static func required(_ members: [(key: String, value: JSONValue)], _ name: String, _ parent: @autoclosure () -> String) throws -> JSONValue {
        guard let found = members.last(where: { $0.key == name })?.value else {
            let p = parent()
            throw APIError(.badRequest, "invalid_request", "missing member '\(name)'", path: p.isEmpty ? name : p + "." + name)
        }
        return found
    }
}
