import ForecastKit
import Foundation
import Logging
import Synchronization

/// The models a server answers with: for every name in the store, the version `latest` points
/// at, loaded and checked, swapped in whole when the store changes.
///
/// Hot reload: ``refresh()`` compares each name's latest model file (version, inode, size,
/// modification time) with the one being served and loads what changed outside the lock,
/// then swaps the value in one step. A request takes one ``ForecastModel`` value and uses it
/// to the end, so it is answered entirely by one version. A new version that does not load
/// (damaged file, checksum mismatch, newer format, other feature definitions) is refused and
/// logged once; the previous version keeps serving, and the file is tried again only when it
/// changes. A name whose folder disappears keeps serving its last good version.
final class ModelRegistry: Sendable {
    /// What identifies a model file's content without reading it.
    struct FileStamp: Equatable, Sendable {
        var version: Int
        var inode: UInt64
        var size: Int64
        var modifiedNanoseconds: Int64
    }

    struct Served: Sendable {
        var model: ForecastModel
        var stamp: FileStamp
    }

    struct Refusal: Sendable {
        var version: Int
        var reason: String
        var stamp: FileStamp
    }

    private struct State {
        var served: [String: Served] = [:]
        var refused: [String: Refusal] = [:]
        /// Versions asked for by number that are not the latest: loaded on demand, kept.
        var pinned: [String: ForecastModel] = [:]
    }

    let store: ModelStore
    private let logger: Logger
    /// Where reloads and refusals are counted.
    private let metrics: ServerMetrics
    private let state = Mutex(State())
    /// At most this many pinned versions are kept (past it one is dropped, the first by name: a cap, not a cache policy).
    private let pinnedLimit = 32

    init(store: ModelStore, logger: Logger, metrics: ServerMetrics) {
        self.store = store
        self.logger = logger
        self.metrics = metrics
    }

    /// Loads what changed in the store; returns the names (re)loaded. Safe to call from any thread.
    @discardableResult
    func refresh() -> [String] {
        var loaded: [String] = []
        for name in store.names() {
            guard let version = store.latestVersion(of: name),
                  let stamp = Self.stamp(path: "\(store.directory(name: name, version: version))/\(ModelStore.modelFileName)", version: version)
            else { continue }
            let (current, refusal) = state.withLock { ($0.served[name], $0.refused[name]) }
            if current?.stamp == stamp || refusal?.stamp == stamp { continue }
            do {
                let model = try store.forecastModel(name, version: version)
                guard model.name == name, model.version == version else {
                    throw ForecastInputError(path: "", "the file says \(model.name)@\(model.version), but it is stored as \(name)@\(version)")
                }
                state.withLock { s in
                    s.served[name] = Served(model: model, stamp: stamp)
                    s.refused[name] = nil
                }
                if current != nil { metrics.modelReloaded() }
                loaded.append(name)
                logger.info("model loaded", metadata: ["model": "\(name)@\(version)", "kind": "\(model.kind)",
                                                       "replaces": "\(current.map { "\(name)@\($0.model.version)" } ?? "none")"])
            } catch {
                state.withLock { $0.refused[name] = Refusal(version: version, reason: "\(error)", stamp: stamp) }
                metrics.modelRefused()
                logger.error("model refused", metadata: ["model": "\(name)@\(version)", "reason": "\(error)",
                                                         "serving": "\(current.map { "\(name)@\($0.model.version)" } ?? "nothing")"])
            }
        }
        return loaded
    }

    /// The model a request uses: the served latest version of `name`, or a given version.
    func model(name: String, version: Int?) throws -> ForecastModel {
        let (served, refusal, pinned) = state.withLock { s in
            (s.served[name], s.refused[name], version.flatMap { s.pinned["\(name)@\($0)"] })
        }
        if let served, version == nil || version == served.model.version { return served.model }
        if let pinned { return pinned }
        guard let version else {
            if let refusal {
                throw APIError(.notFound, "unknown_model", "\(name)@\(refusal.version) is in the store but was refused: \(refusal.reason)")
            }
            throw APIError(.notFound, "unknown_model", "no model named '\(name)'; models: \(names().joined(separator: ", "))")
        }
        do {
            let model = try store.forecastModel(name, version: version)
            state.withLock { s in
                if s.pinned.count >= pinnedLimit, let first = s.pinned.keys.sorted().first { s.pinned[first] = nil }
                s.pinned["\(name)@\(version)"] = model
            }
            return model
        } catch let error as ModelStoreError {
            switch error {
            case .notFound, .versionNotFound: throw APIError(.notFound, "unknown_model", error.description)
            default: throw APIError(.unprocessableContent, "model_unusable", error.description)
            }
        } catch {
            throw APIError(.unprocessableContent, "model_unusable", "\(error)")
        }
    }

    /// The names being served, sorted.
    func names() -> [String] { state.withLock { $0.served.keys.sorted() } }

    /// Everything being served and every refusal, for `/models` and `/health`.
    func snapshot() -> (served: [Served], refused: [String: Refusal]) {
        state.withLock { s in (s.served.values.sorted { $0.model.name < $1.model.name }, s.refused) }
    }

    static func stamp(path: String, version: Int) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(version: version, inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
