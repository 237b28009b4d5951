import Foundation
import Hummingbird
import ModelStore

/// A request the server refuses, and how it says so: a status and a JSON body
/// `{"error": {"status", "code", "message", "path"?, "request_id"}}`.
struct APIError: Error, Equatable {
    var status: HTTPResponse.Status
    /// A stable word for programs: `malformed_json`, `invalid_request`, `invalid_value`,
    /// `unknown_model`, `unknown_customer`, `payload_too_large`, `batch_too_large`, `not_found`, ...
    var code: String
    var message: String
    /// Where in the request body (`rows[3].features.freq_30`), when it is about one value.
    var path: String?

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, path: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.path = path
    }

    /// The response body.
    func json(requestID: String) -> String {
        var fields = ["\"status\":\(status.code)", "\"code\":\(JSONText.quoted(code))", "\"message\":\(JSONText.quoted(message))"]
        if let path { fields.append("\"path\":\(JSONText.quoted(path))") }
        fields.append("\"request_id\":\(JSONText.quoted(requestID))")
        return "{\"error\":{" + fields.joined(separator: ",") + "}}\n"
    }

    /// The error for a body that does not decode: JSON syntax (400 `malformed_json`) or a
    /// member that is missing or of the wrong type (400 `invalid_request`), with its path.
    static func decoding(_ error: Error, body: Data) -> APIError {
        if let syntax = JSONSyntaxCheck.firstError(in: Array(body)) {
            return APIError(.badRequest, "malformed_json", "the body is not valid JSON: \(syntax)")
        }
        guard let error = error as? DecodingError else {
            return APIError(.badRequest, "invalid_request", "the body does not decode: \(error)")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return APIError(.badRequest, "malformed_json", "the body is not valid JSON: \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            return APIError(.badRequest, "invalid_request", "missing member '\(key.stringValue)'",
                            path: jsonPath(context.codingPath + [key]))
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return APIError(.badRequest, "invalid_request", "expected \(typeName(type)), \(found(context))",
                            path: jsonPath(context.codingPath))
        case .dataCorrupted(let context):
            return APIError(.badRequest, "invalid_request", context.debugDescription, path: jsonPath(context.codingPath))
        @unknown default:
            return APIError(.badRequest, "invalid_request", ModelFile.describe(error))
        }
    }

    /// `rows[3].features.freq_30` from a coding path.
    static func jsonPath(_ path: [any CodingKey]) -> String? {
        var text = ""
        for key in path {
            if let i = key.intValue { text += "[\(i)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? nil : text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Optional<Double>.Type, is Int.Type, is Optional<Int>.Type: return "a number"
        case is String.Type, is Optional<String>.Type: return "a string"
        case is Array<Any>.Type: return "an array"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array<") { return "an array" }
            if name.hasPrefix("Dictionary<") || name.hasSuffix("Wire") || name.hasSuffix("Request") { return "an object" }
            return name
        }
    }

    private static func found(_ context: DecodingError.Context) -> String {
        // Foundation's messages say what it found ("but found a string instead"); keep that part.
        let text = context.debugDescription
        if let range = text.range(of: "but found ") { return "found " + text[range.upperBound...].replacingOccurrences(of: " instead.", with: "") }
        if text.contains("null") || text.lowercased().contains("nil") { return "found null" }
        return text
    }
}

/// JSON text written by hand for the hot paths (answers of a thousand customers).
enum JSONText {
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A double as the shortest text that reads back to it; `null` when not finite.
    static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
}
