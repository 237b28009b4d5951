import Crypto
import Foundation

/// The bytes of `model.json`: a small envelope around the payload (a ``SavedModel``) and the
/// SHA-256 of the payload's exact bytes.
///
/// ```
/// {
///   "format" : "forecast-model",
///   "format_version" : 1,
///   "payload_sha256" : "<64 hex digits>",
///   "payload" : <payload bytes>
/// }
/// ```
///
/// The payload's bytes run from just after `"payload" : ` to just before the final `\n}\n`,
/// so any language can check the checksum without re-serialising JSON
/// (docs/model-store.md shows how).
public enum ModelFile {
    /// The newest format this toolkit reads and the one it writes.
    public static let formatVersion = 1
    static let formatName = "forecast-model"
    static let payloadMarker = Array("\"payload\" : ".utf8)
    static let trailer = Array("\n}\n".utf8)

    /// The file's bytes for `model`.
    public static func encode(_ model: SavedModel) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let payload = Array(try encoder.encode(model))
        let head = """
            {
              "format" : "\(formatName)",
              "format_version" : \(formatVersion),
              "payload_sha256" : "\(sha256Hex(payload))",

            """
        return Array(head.utf8) + Array("  ".utf8) + payloadMarker + payload + trailer
    }

    /// Reads and checks a model file's bytes; `path` is only for messages.
    public static func decode(_ bytes: [UInt8], path: String) throws -> SavedModel {
        guard !bytes.isEmpty else { throw ModelStoreError.corrupt(path: path, reason: "the file is empty") }
        guard bytes.count >= trailer.count, Array(bytes.suffix(trailer.count)) == trailer else {
            throw ModelStoreError.corrupt(path: path, reason: "the file is truncated (it does not end with the envelope's closing brace)")
        }
        guard let start = firstIndex(of: payloadMarker, in: bytes) else {
            throw ModelStoreError.corrupt(path: path, reason: "no \"payload\" member: not a model file")
        }
        let header = try parseHeader(Array(bytes[..<start]) + Array("\"payload\" : null\n}\n".utf8), path: path)
        guard header.format == formatName else {
            throw ModelStoreError.corrupt(path: path, reason: "format is '\(header.format)', expected '\(formatName)'")
        }
        guard header.version <= formatVersion else {
            throw ModelStoreError.futureFormat(path: path, found: header.version, supported: formatVersion)
        }
        guard header.version >= 1 else { throw ModelStoreError.corrupt(path: path, reason: "format_version \(header.version) is not valid") }
        let payload = Array(bytes[(start + payloadMarker.count)..<(bytes.count - trailer.count)])
        let actual = sha256Hex(payload)
        guard actual == header.checksum else {
            throw ModelStoreError.checksumMismatch(path: path, expected: header.checksum, actual: actual)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(SavedModel.self, from: Data(payload))
        } catch let error as DecodingError {
            throw ModelStoreError.corrupt(path: path, reason: "the payload does not decode: \(describe(error))")
        }
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// Lowercase hex of a digest.
    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    private struct Header: Decodable {
        var format: String
        var formatVersion: Int
        var payloadSha256: String
    }

    private static func parseHeader(_ bytes: [UInt8], path: String) throws -> (format: String, version: Int, checksum: String) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let h = try decoder.decode(Header.self, from: Data(bytes))
            return (h.format, h.formatVersion, h.payloadSha256)
        } catch let error as DecodingError {
            throw ModelStoreError.corrupt(path: path, reason: "the envelope does not parse: \(describe(error))")
        }
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        outer: for i in 0...(haystack.count - needle.count) {
            for j in needle.indices where haystack[i + j] != needle[j] { continue outer }
            return i
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at \(p)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing member '\(key.stringValue)'\(path(context))"
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context)): \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "expected \(type)\(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}

/// Why a model could not be saved or loaded.
public enum ModelStoreError: Error, Equatable, CustomStringConvertible {
    case notFound(name: String, store: String, known: [String])
    case versionNotFound(name: String, version: Int, store: String, known: [Int])
    case corrupt(path: String, reason: String)
    case checksumMismatch(path: String, expected: String, actual: String)
    case futureFormat(path: String, found: Int, supported: Int)
    case invalidName(String)
    case invalidReference(String)
    /// A save would replace the model file at `path`, and replacing it was not asked for.
    case alreadyExists(path: String)

    public var description: String {
        switch self {
        case .notFound(let name, let store, let known):
            return "no model named '\(name)' in \(store)" + (known.isEmpty ? " (the store is empty)" : "; models there: \(known.joined(separator: ", "))")
        case .versionNotFound(let name, let version, let store, let known):
            return "\(name) has no version \(version) in \(store); versions: \(known.map(String.init).joined(separator: ", "))"
        case .corrupt(let path, let reason): return "\(path): corrupt model file: \(reason)"
        case .checksumMismatch(let path, let expected, let actual):
            return "\(path): the payload's SHA-256 is \(actual) but the file records \(expected): the file was changed or damaged after it was written"
        case .futureFormat(let path, let found, let supported):
            return "\(path): format_version \(found) is newer than this toolkit reads (\(supported)); upgrade the toolkit"
        case .invalidName(let name):
            return "invalid model name '\(name)': use letters, digits, '-', '_' and '.', starting with a letter or digit"
        case .invalidReference(let text): return "invalid model reference '\(text)': use NAME or NAME@VERSION (VERSION a positive integer)"
        case .alreadyExists(let path): return "\(path) already exists: that version of the model was saved before"
        }
    }
}
