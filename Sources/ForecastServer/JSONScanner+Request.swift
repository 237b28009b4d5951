/// Typed reads for request bodies: each refuses a value of the wrong kind with a 400
/// `invalid_request` naming its path. Paths are autoclosures, built only for errors.
extension JSONScanner {
    /// Checks that the next value is of `kind`.
    mutating func expect(_ kind: Kind, at path: @autoclosure () -> String) throws {
        let found = try peek()
        guard found == kind else { throw Self.wrongType(expected: kind.phrase, found: found, at: path()) }
    }

    /// Consumes a `null` and returns true, or returns false for any other value.
    mutating func isNull() throws -> Bool {
        guard try peek() == .null else { return false }
        try readNull()
        return true
    }

    mutating func number(at path: @autoclosure () -> String) throws -> Double {
        try expect(.number, at: path())
        return try readNumber()
    }

    /// A number, or NaN for null (a missing value).
    mutating func numberOrNull(at path: @autoclosure () -> String) throws -> Double {
        let found = try peek()
        switch found {
        case .null: try readNull(); return .nan
        case .number: return try readNumber()
        default: throw Self.wrongType(expected: "a number or null", found: found, at: path())
        }
    }

    /// A string, or nil for null.
    mutating func optionalString(at path: @autoclosure () -> String) throws -> String? {
        if try isNull() { return nil }
        try expect(.string, at: path())
        return try readString()
    }

    /// An integer, or nil for null.
    mutating func optionalInt(at path: @autoclosure () -> String) throws -> Int? {
        if try isNull() { return nil }
        let found = try peek()
        guard found == .number else { throw Self.wrongType(expected: "an integer", found: found, at: path()) }
        let d = try readNumber()
        guard d == d.rounded(), abs(d) < 1e15 else {
            throw APIError(.badRequest, "invalid_request", "expected an integer, found \(d)", path: path())
        }
        return Int(d)
    }

    static func wrongType(expected: String, found: Kind, at path: String) -> APIError {
        APIError(.badRequest, "invalid_request", "expected \(expected), found \(found.phrase)", path: path.isEmpty ? nil : path)
    }
}
