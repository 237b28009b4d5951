import Hummingbird

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
    func body(requestID: String) -> ErrorBody {
        ErrorBody(error: .init(status: Int(status.code), code: code, message: message, path: path, requestID: requestID))
    }
}
