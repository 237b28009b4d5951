import Foundation

/// A streaming reader of JSON text: the caller walks the document it expects (objects,
/// arrays, strings, numbers) and nothing is built that the caller does not keep. Every syntax
/// error says where (line, column), what was expected and what was found.
///
/// Written for `POST /predict`. Foundation's JSONDecoder took 80% of the time of a
/// 1,000-customer request (generic containers and metadata lookups per value) and on Linux
/// says only that data are not valid JSON; a tree of values was next, and building and
/// freeing it was half of the request. Numbers are checked against the JSON grammar and
/// converted by `strtod`, which rounds correctly (JSONSerialization on Linux does not).
struct JSONScanner {
    struct SyntaxError: Error, CustomStringConvertible {
        var line: Int
        var column: Int
        var expected: String
        var found: String
        var description: String { "line \(line), column \(column): expected \(expected), found \(found)" }
    }

    enum Kind: Equatable {
        case object, array, string, number, bool, null

        /// For messages: "expected a number, found a string".
        var phrase: String {
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

    /// The text, followed by one NUL byte at `end` (it stops `strtod` at a number that ends the text).
    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int
    var i = 0
    private var depth = 0
    static let maximumDepth = 512

    /// Runs `body` with a scanner over `text`.
    static func scanning<T>(_ text: [UInt8], _ body: (inout JSONScanner) throws -> T) rethrows -> T {
        var terminated = text
        terminated.append(0)
        return try terminated.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer, end: text.count)
            return try body(&scanner)
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, end: Int) {
        self.bytes = bytes
        self.end = end
    }

    // MARK: Walking a document

    /// The kind of the next value (white space skipped); a syntax error when none starts here.
    mutating func peek() throws(SyntaxError) -> Kind {
        skipSpace()
        guard i < end else { throw failure("a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw failure("a value (object, array, string, number, true, false or null)")
        }
    }

    /// Reads an object, calling `member` with each name; `member` must read or skip the value.
    /// The next value must be an object (check with ``peek()``).
    mutating func readObject(_ member: (inout JSONScanner, String) throws -> Void) throws {
        try enter()
        i += 1
        skipSpace()
        if i < end, bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return }
        while true {
            skipSpace()
            guard i < end, bytes[i] == UInt8(ascii: "\"") else { throw failure("a member name in double quotes") }
            let name = try string()
            skipSpace()
            guard i < end, bytes[i] == UInt8(ascii: ":") else { throw failure("':' after the member name") }
            i += 1
            try member(&self, name)
            skipSpace()
            guard i < end else { throw failure("',' or '}' in an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return }
            throw failure("',' or '}' in an object")
        }
    }

    /// Reads an array, calling `element` with each index; `element` must read or skip the value.
    mutating func readArray(_ element: (inout JSONScanner, Int) throws -> Void) throws {
        try enter()
        i += 1
        skipSpace()
        if i < end, bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return }
        var index = 0
        while true {
            try element(&self, index)
            index += 1
            skipSpace()
            guard i < end else { throw failure("',' or ']' in an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return }
            throw failure("',' or ']' in an array")
        }
    }

    /// Reads a string (the next value must be one).
    mutating func readString() throws(SyntaxError) -> String {
        skipSpace()
        return try string()
    }

    /// Calls `body` with the bytes of the next string (which must be one), unescaped; no
    /// `String` is made when it has no escapes (timestamps parse straight from the bytes).
    mutating func readStringBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        skipSpace()
        let start = i + 1
        var k = start
        while k < end, bytes[k] != UInt8(ascii: "\""), bytes[k] != UInt8(ascii: "\\"), bytes[k] >= 0x20 { k += 1 }
        if k < end, bytes[k] == UInt8(ascii: "\"") {
            i = k + 1
            return try body(UnsafeBufferPointer(rebasing: bytes[start..<k]))
        }
        var text = try string()
        return try text.withUTF8 { try body($0) }
    }

    /// The first syntax error of `text` as "line L, column C: expected X, found Y"; nil when it is valid JSON.
    static func firstError(in text: [UInt8]) -> String? {
        do {
            try scanning(text) { scanner in
                try scanner.skipValue()
                try scanner.finish()
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Reads a number (the next value must be one).
    mutating func readNumber() throws(SyntaxError) -> Double {
        skipSpace()
        return try number()
    }

    /// Reads `true` or `false` (the next value must be one).
    mutating func readBool() throws(SyntaxError) -> Bool {
        skipSpace()
        if bytes[i] == UInt8(ascii: "t") { try literal("true"); return true }
        try literal("false")
        return false
    }

    /// Reads `null` (the next value must be it).
    mutating func readNull() throws(SyntaxError) {
        skipSpace()
        try literal("null")
    }

    /// Reads past the next value, checking its syntax.
    mutating func skipValue() throws {
        switch try peek() {
        case .object: try readObject { scanner, _ in try scanner.skipValue() }
        case .array: try readArray { scanner, _ in try scanner.skipValue() }
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
    }

    /// Checks that only white space follows the top-level value.
    mutating func finish() throws(SyntaxError) {
        skipSpace()
        if i < end { throw failure("the end of the body after the top-level value") }
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("less nesting (over \(Self.maximumDepth) levels)") }
    }

    // MARK: Tokens

    private func failure(_ expected: String) -> SyntaxError {
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

    private mutating func skipSpace() {
        while i < end {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0a || b == 0x0d || b == 0x09 else { return }
            i += 1
        }
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for b in text {
            guard i < end, bytes[i] == b else { throw failure("'\(word)'") }
            i += 1
        }
    }

    private mutating func string() throws(SyntaxError) -> String {
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
    private mutating func unescape(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) throws(SyntaxError) -> String {
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

    private mutating func number() throws(SyntaxError) -> Double {
        let start = i
        func digits(_ parser: inout JSONScanner, _ what: String) throws(SyntaxError) {
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
