/// Finds where a JSON text first goes wrong, for error messages: Foundation's decoder on
/// Linux only says the data are not valid JSON. Runs only after a decode has failed.
enum JSONSyntaxCheck {
    /// The first syntax error as "line L, column C: expected X, found Y"; nil if the text is valid.
    static func firstError(in bytes: [UInt8]) -> String? {
        var parser = Parser(bytes: bytes)
        do {
            parser.skipSpace()
            try parser.value(depth: 0)
            parser.skipSpace()
            if parser.i < bytes.count { throw parser.failure("the end of the body after the top-level value") }
            return nil
        } catch let failure as Failure {
            return failure.text
        } catch {
            return "\(error)"
        }
    }

    struct Failure: Error { var text: String }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        func failure(_ expected: String) -> Failure {
            var line = 1, column = 1
            for b in bytes[..<min(i, bytes.count)] {
                if b == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            }
            let found: String
            if i >= bytes.count {
                found = "the end of the body"
            } else {
                let b = bytes[i]
                found = (0x21...0x7e).contains(b) ? "'\(Character(UnicodeScalar(b)))'" : "byte 0x\(String(b, radix: 16))"
            }
            return Failure(text: "line \(line), column \(column): expected \(expected), found \(found)")
        }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[i]) { i += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws {
            skipSpace()
            guard i < bytes.count, bytes[i] == byte else { throw failure(what) }
            i += 1
        }

        mutating func value(depth: Int) throws {
            guard depth < 512 else { throw failure("less nesting (over 512 levels)") }
            skipSpace()
            guard i < bytes.count else { throw failure("a value") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw failure("a member name in double quotes") }
                    try string()
                    try expect(UInt8(ascii: ":"), "':' after the member name")
                    try value(depth: depth + 1)
                    skipSpace()
                    guard i < bytes.count else { throw failure("',' or '}' in an object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return }
                    throw failure("',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                i += 1
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return }
                while true {
                    try value(depth: depth + 1)
                    skipSpace()
                    guard i < bytes.count else { throw failure("',' or ']' in an array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return }
                    throw failure("',' or ']' in an array")
                }
            case UInt8(ascii: "\""):
                try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
            default:
                throw failure("a value (object, array, string, number, true, false or null)")
            }
        }

        mutating func literal(_ word: String) throws {
            for b in word.utf8 {
                guard i < bytes.count, bytes[i] == b else { throw failure("'\(word)'") }
                i += 1
            }
        }

        mutating func string() throws {
            i += 1
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; return }
                if b < 0x20 { throw failure("a closing '\"' (control characters must be escaped)") }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count, "\"\\/bfnrtu".utf8.contains(bytes[i]) else { throw failure("an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t, \\uXXXX)") }
                    if bytes[i] == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            i += 1
                            guard i < bytes.count, (bytes[i] >= 0x30 && bytes[i] <= 0x39) || (bytes[i] | 0x20 >= 0x61 && bytes[i] | 0x20 <= 0x66) else {
                                throw failure("four hex digits after \\u")
                            }
                        }
                    }
                }
                i += 1
            }
            throw failure("a closing '\"'")
        }

        mutating func number() throws {
            func digits(_ what: String) throws {
                guard i < bytes.count, (0x30...0x39).contains(bytes[i]) else { throw failure(what) }
                while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
            }
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            try digits("a digit")
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") { i += 1; try digits("a digit after the decimal point") }
            if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                try digits("a digit in the exponent")
            }
        }
    }
}
