import Foundation
import Models

/// A name, optionally with a version: `NAME` (the latest version) or `NAME@VERSION`.
public struct ModelReference: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var version: Int?

    public init(name: String, version: Int? = nil) {
        self.name = name
        self.version = version
    }

    /// Parses `NAME` or `NAME@VERSION`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), ModelStore.isValidName(parts[0]) else { throw ModelStoreError.invalidReference(text) }
        name = parts[0]
        if parts.count == 2 {
            guard let v = Int(parts[1]), v > 0 else { throw ModelStoreError.invalidReference(text) }
            version = v
        }
    }

    public var description: String { version.map { "\(name)@\($0)" } ?? name }
}

/// The folder of saved models: `<root>/<name>/<version>/model.json` (plus the training log
/// `training-log.jsonl` beside it) and `<root>/<name>/latest`, a one-line text file holding the
/// newest version number. Versions are positive integers. Every file is written to a
/// temporary name in the same folder and renamed into place, so a reader never sees half a
/// file and an interrupted save leaves the previous state intact.
public struct ModelStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public static let modelFileName = "model.json"
    public static let trainingLogFileName = "training-log.jsonl"

    /// Whether `name` can name a model: ASCII letters, digits, `-`, `_` and `.`, starting with a letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 100,
              CharacterSet.alphanumerics.contains(first), first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    }

    public func directory(name: String, version: Int) -> String { "\(root)/\(name)/\(version)" }

    /// The saved versions of `name`, ascending (empty when there is none).
    public func versions(of name: String) -> [Int] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(name)")) ?? []
        return entries.compactMap { entry in
            guard let v = Int(entry), v > 0, FileManager.default.fileExists(atPath: "\(root)/\(name)/\(entry)/\(Self.modelFileName)") else { return nil }
            return v
        }.sorted()
    }

    /// The names of the saved models, sorted.
    public func names() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return entries.filter { Self.isValidName($0) && !versions(of: $0).isEmpty }.sorted()
    }

    /// The version `latest` points at (or, if that file is missing, the highest saved one).
    public func latestVersion(of name: String) -> Int? {
        if let text = try? String(contentsOfFile: "\(root)/\(name)/latest", encoding: .utf8),
           let v = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), versions(of: name).contains(v) {
            return v
        }
        return versions(of: name).last
    }

    /// The version a save would use by default: one more than the highest saved.
    public func nextVersion(of name: String) -> Int { (versions(of: name).last ?? 0) + 1 }

    /// Writes `model` as `<name>/<model.version>/model.json` with its training log, then points
    /// `latest` at it when it is the highest version. Returns the model file's path.
    @discardableResult
    public func save(_ model: SavedModel, trainingLog: [TrainingLogEntry] = [], overwrite: Bool = false) throws -> String {
        guard Self.isValidName(model.name) else { throw ModelStoreError.invalidName(model.name) }
        let dir = directory(name: model.name, version: model.version)
        let path = "\(dir)/\(Self.modelFileName)"
        if !overwrite, FileManager.default.fileExists(atPath: path) { throw ModelStoreError.alreadyExists(path: path) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.writeAtomically(try ModelFile.encode(model), to: path)
        try Self.writeAtomically(Array(try TrainingLogFile.jsonLines(trainingLog).utf8), to: "\(dir)/\(Self.trainingLogFileName)")
        if model.version >= (versions(of: model.name).last ?? 0) {
            try Self.writeAtomically(Array("\(model.version)\n".utf8), to: "\(root)/\(model.name)/latest")
        }
        return path
    }

    /// Loads and checks a saved model (the latest version when the reference has none).
    public func load(_ reference: ModelReference) throws -> SavedModel {
        let (_, path) = try locate(reference)
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ModelStoreError.corrupt(path: path, reason: "cannot be read: \(error.localizedDescription)")
        }
        return try ModelFile.decode(bytes, path: path)
    }

    /// The version and model-file path a reference resolves to.
    public func locate(_ reference: ModelReference) throws -> (version: Int, path: String) {
        let known = versions(of: reference.name)
        guard !known.isEmpty else { throw ModelStoreError.notFound(name: reference.name, store: root, known: names()) }
        let version: Int
        if let v = reference.version {
            guard known.contains(v) else { throw ModelStoreError.versionNotFound(name: reference.name, version: v, store: root, known: known) }
            version = v
        } else {
            version = latestVersion(of: reference.name)!
        }
        return (version, "\(directory(name: reference.name, version: version))/\(Self.modelFileName)")
    }

    /// Writes `bytes` to a temporary file beside `path`, flushes it, and renames it over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary]) }
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n <= 0 { return false }
                written += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}

/// The training log: one JSON object per line, `{"iteration": k, ...metrics}`, keys sorted.
public enum TrainingLogFile {
    public static func jsonLines(_ entries: [TrainingLogEntry]) throws -> String {
        var text = ""
        for e in entries {
            var fields = ["\"iteration\":\(e.iteration)"]
            for key in e.metrics.keys.sorted() {
                let v = e.metrics[key]!
                fields.append("\"\(key)\":" + (v.isFinite ? "\(v)" : "null"))
            }
            text += "{" + fields.joined(separator: ",") + "}\n"
        }
        return text
    }

    /// Reads the lines `jsonLines` writes (null metrics become NaN); a malformed line is an
    /// error that names its line number.
    public static func parse(_ text: String, path: String = "training-log.jsonl") throws -> [TrainingLogEntry] {
        var entries: [TrainingLogEntry] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let iteration = object["iteration"] as? Int else {
                throw ModelStoreError.corrupt(path: path, reason: "training log line \(n + 1) is not an object with an integer \"iteration\"")
            }
            var metrics: [String: Double] = [:]
            for (key, value) in object where key != "iteration" {
                if let v = value as? Double { metrics[key] = v } else if value is NSNull { metrics[key] = .nan }
            }
            entries.append(TrainingLogEntry(iteration: iteration, metrics: metrics))
        }
        return entries
    }
}

extension ModelStore {
    /// The training log saved beside a model (empty when the model recorded none).
    public func trainingLog(_ reference: ModelReference) throws -> [TrainingLogEntry] {
        let located = try locate(reference)
        let path = directory(name: reference.name, version: located.version) + "/" + Self.trainingLogFileName
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try TrainingLogFile.parse(String(decoding: data, as: UTF8.self), path: path)
    }
}
