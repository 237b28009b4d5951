import ForecastKit
import Foundation
import Hummingbird

/// The one way response bodies are written: every body is an `Encodable` value encoded by
/// ``encoder``, followed by a newline (so `curl` output ends its line).
///
/// The encoder's settings, and why:
/// - member names are spelled out in each body's `CodingKeys` rather than derived by
///   `convertToSnakeCase`: the names are the API, and the key strategy made a batch answer
///   half again to twice as slow to encode (1,000 predictions, optimised build on the 2-core
///   VM: about 4 ms without it, 6-9 ms with it; the hand-written text this replaced took 0.5 ms);
/// - sorted keys, because Foundation's encoder otherwise writes members in a different order in
///   each process (dictionary order), and bodies should be comparable from run to run;
/// - slashes unescaped (`/models`, not `\/models`) — both are valid JSON, this one reads better;
/// - non-finite doubles as the strings `inf`, `-inf`, `nan`, as the model files write them;
///   predictions turn them into `null` before encoding (``ForecastAnswer``).
///
/// Doubles come out as the shortest decimal that reads back to the same value (Swift's
/// `description`), without a trailing `.0`: `0.4291984306883526`, `1e-07`, `2`.
enum ResponseJSON {
    /// Configured once and never changed afterwards, so requests share it (JSONEncoder is Sendable).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    /// A JSON response for `body`.
    static func response(_ body: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var bytes = try encoder.encode(body)
        bytes.append(UInt8(ascii: "\n"))
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// `GET /health`.
struct HealthBody: Encodable {
    /// `ok`, or `no_models` while the store has no usable model.
    var status: String
    var models: Int
    var uptimeSeconds: Double
    var requests: Int
    /// Customers of `--data`; absent without it.
    var dataCustomers: Int?

    enum CodingKeys: String, CodingKey {
        case status, models, requests
        case uptimeSeconds = "uptime_seconds"
        case dataCustomers = "data_customers"
    }
}

/// `GET /models`: the served models, and the names whose only version was refused.
struct ModelsBody: Encodable {
    var `default`: String
    var models: [Served]
    /// Absent when no name is refused-only.
    var refused: [RefusedOnly]?

    struct Served: Encodable {
        var name: String
        var version: Int
        var kind: String
        var createdAt: String
        var asOf: String
        /// The number of features the model reads.
        var features: Int
        /// Every version in the store.
        var versions: [Int]
        /// A newer version that was refused; absent when none was.
        var refused: Refusal?

        enum CodingKeys: String, CodingKey {
            case name, version, kind, features, versions, refused
            case createdAt = "created_at"
            case asOf = "as_of"
        }
    }

    struct Refusal: Encodable {
        var version: Int
        var reason: String

        init(_ refusal: ModelRegistry.Refusal) { (version, reason) = (refusal.version, refusal.reason) }
    }

    struct RefusedOnly: Encodable {
        var name: String
        var refused: Refusal
    }
}

/// Every refusal: `{"error": {"status", "code", "message", "path"?, "request_id"}}`.
struct ErrorBody: Encodable {
    var error: Detail

    struct Detail: Encodable {
        var status: Int
        var code: String
        var message: String
        /// The member the error is about; absent when it is about the whole request.
        var path: String?
        var requestID: String

        enum CodingKeys: String, CodingKey {
            case status, code, message, path
            case requestID = "request_id"
        }
    }
}

/// `GET /models/{name}`: everything in the model file but the fitted parameters' bulk.
struct ModelDetail: Encodable {
    var name: String
    var version: Int
    var kind: String
    var toolkitVersion: String
    var createdAt: String
    var featureSchema: FeatureSchema
    var training: TrainingBody
    var data: DataBody
    var metrics: [String: Double]
    var summary: ModelDescription
    var versions: [Int]
    /// The version `latest` names, when the name is served.
    var servedVersion: Int?

    enum CodingKeys: String, CodingKey {
        case name, version, kind, training, data, metrics, summary, versions
        case toolkitVersion = "toolkit_version"
        case createdAt = "created_at"
        case featureSchema = "feature_schema"
        case servedVersion = "served_version"
    }

    /// ``TrainingWindow`` with the model file's member names.
    struct TrainingBody: Encodable {
        var window: TrainingWindow
        enum CodingKeys: String, CodingKey { case asOf = "as_of", cutoff, origins, rows }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(window.asOf, forKey: .asOf)
            try c.encode(window.cutoff, forKey: .cutoff)
            try c.encode(window.origins, forKey: .origins)
            try c.encode(window.rows, forKey: .rows)
        }
    }

    /// ``DataFingerprint`` with the model file's member names.
    struct DataBody: Encodable {
        var fingerprint: DataFingerprint
        enum CodingKeys: String, CodingKey { case rows, customers, events, firstDay = "first_day", lastDay = "last_day", sha256 }
        func encode(to encoder: any Encoder) throws {
            let f = fingerprint
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(f.rows, forKey: .rows)
            try c.encode(f.customers, forKey: .customers)
            try c.encode(f.events, forKey: .events)
            try c.encode(f.firstDay, forKey: .firstDay)
            try c.encode(f.lastDay, forKey: .lastDay)
            try c.encode(f.sha256, forKey: .sha256)
        }
    }

    init(model: ForecastModel, versions: [Int], servedVersion: Int?) {
        let s = model.saved
        (name, version, kind, toolkitVersion, createdAt) = (s.name, s.version, s.kind, s.toolkitVersion, s.createdAt)
        (featureSchema, training, data) = (s.featureSchema, TrainingBody(window: s.training), DataBody(fingerprint: s.data))
        (metrics, summary) = (s.metrics, s.summary)
        self.versions = versions
        self.servedVersion = servedVersion
    }
}
