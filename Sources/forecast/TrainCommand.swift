import ArgumentParser
import Backtest
import ForecastKit
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model as of a day and save it in the model store.",
        discussion: """
            The model sees the events up to and including --as-of (later rows count as future and are rejected, \
            as in `forecast ingest`) and learns to predict each customer's events in the month after it. \
            Supervised models (glm, ols, gbm) train on one row per customer per past month start; the \
            probabilistic ones (bgnbd, paretonbd, mbgnbd) on each customer's purchase history.

            Without --model it trains `auto`, the recommended model: it compares glm, gbm, paretonbd, bgnbd, \
            mbgnbd and their blend on how they would have forecast the last three training months (each fitted \
            only on the months before), keeps the best, and says what it compared and why it chose in the model's \
            description and training log.

            Writes <store>/<name>/<version>/model.json (format: docs/model-store.md), the per-iteration \
            training log training-log.jsonl beside it, and points <store>/<name>/latest at the new version.
            Set SOURCE_DATE_EPOCH to fix the recorded creation time (reproducible model files).

            With --panel FILE it fits glm, ols or gbm on a training panel computed elsewhere (`forecast sql panel` run \
            in PostgreSQL or Spark, written as CSV: one file, or a folder of part files) instead of on --data: the \
            heavy aggregation runs in the engine and only the fit here. The model's cutoff is the month after the \
            panel's last origin.

            Example: forecast train --data data/shop --layout shop --as-of 2019-12-31 --model glm --name default
                     forecast train --panel panel.csv --model gbm --name big
            """
    )

    @Option(help: "Train on this panel (CSV file or folder of part files from `forecast sql panel`) instead of --data: glm, ols or gbm.")
    var panel: String?

    @OptionGroup var source: MappingOptions
    @OptionGroup var quality: QualityOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Model kind: \(ModelCatalog.names.joined(separator: ", ")) auto is the recommended model.")
    var model = "auto"

    @Option(help: "Name in the store (letters, digits, '-', '_', '.').")
    var name: String

    @Option(help: "Version number to write (default: one more than the highest saved).")
    var version: Int?

    @Flag(help: "Replace an existing model file with the same name and version.")
    var overwrite = false

    @Option(name: .customLong("first-origin"), help: "First training origin, a month start (default: the first month start after the data's first day).")
    var firstOrigin: String?

    @Option(help: "Use only the last N training origins (month starts) for supervised models (default: all).")
    var origins: Int?

    @Option(help: "gbm: the most trees (early stopping may use fewer; default 500).")
    var trees: Int?

    @Option(help: "gbm: leaves per tree (default 31).")
    var leaves: Int?

    @Option(name: .customLong("learning-rate"), help: "gbm: shrinkage per tree (default 0.05).")
    var learningRate: Double?

    @Flag(name: .customLong("no-early-stopping"), help: "gbm: grow exactly --trees trees on every origin, without the held-out origin.")
    var noEarlyStopping = false

    @Option(name: .customLong("min-data-in-leaf"), help: "gbm: the fewest training rows in a leaf (default 100).")
    var minDataInLeaf: Int?

    @Option(name: .customLong("row-subsample"), help: "gbm: the share of rows each tree is grown on, in (0, 1] (default 0.8).")
    var rowSubsample: Double?

    @Option(name: .customLong("feature-subsample"), help: "gbm: the share of features each tree may split on, in (0, 1] (default 0.8).")
    var featureSubsample: Double?

    @Option(help: "gbm: threads to fit on (default: the machine's cores). The trees are the same on any number.")
    var threads: Int?

    /// The model to fit, with the gbm flags applied.
    func makeModel() throws -> any Forecaster {
        guard model == "gbm" else { return try ModelCatalog.make(model) }
        var settings = GradientBoosting.Settings()
        if let trees { settings.maxTrees = trees }
        if let leaves { settings.maxLeaves = leaves }
        if let learningRate { settings.learningRate = learningRate }
        if noEarlyStopping { settings.earlyStoppingRounds = 0 }
        if let minDataInLeaf { settings.minDataInLeaf = minDataInLeaf }
        if let rowSubsample { settings.rowSubsample = rowSubsample }
        if let featureSubsample { settings.featureSubsample = featureSubsample }
        if let threads { settings.threads = threads }
        return GradientBoosting(settings: settings)
    }

    func validate() throws {
        guard ModelCatalog.names.contains(model) else {
            throw ValidationError("unknown model '\(model)'; known models: \(ModelCatalog.names.joined(separator: ", "))")
        }
        guard ModelStore.isValidName(name) else { throw ValidationError(ModelStoreError.invalidName(name).description) }
        if let version, version < 1 { throw ValidationError("--version must be a positive integer") }
        if let origins, origins < 1 { throw ValidationError("--origins must be at least 1") }
        if let trees, trees < 1 { throw ValidationError("--trees must be at least 1") }
        if let leaves, leaves < 2 { throw ValidationError("--leaves must be at least 2") }
        if let learningRate, !(learningRate > 0 && learningRate <= 1) { throw ValidationError("--learning-rate must be in (0, 1]") }
        if let minDataInLeaf, minDataInLeaf < 1 { throw ValidationError("--min-data-in-leaf must be at least 1") }
        if let rowSubsample, !(rowSubsample > 0 && rowSubsample <= 1) { throw ValidationError("--row-subsample must be in (0, 1]") }
        if let featureSubsample, !(featureSubsample > 0 && featureSubsample <= 1) {
            throw ValidationError("--feature-subsample must be in (0, 1]")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if panel != nil {
            guard ModelTraining.panelKinds.contains(model) else {
                throw ValidationError("--panel trains \(ModelTraining.panelKinds.joined(separator: ", ")); \(model) learns from each customer's "
                                      + "purchase history: train it with --data")
            }
            guard source.dataOption == nil else { throw ValidationError("--panel trains from the panel alone: leave out --data") }
            guard firstOrigin == nil, origins == nil, quality.asOf == nil else {
                throw ValidationError("--panel's origins are the training origins: leave out --first-origin, --origins and --as-of")
            }
        }
        if let firstOrigin, CivilDate(iso: firstOrigin)?.day != 1 {
            throw ValidationError("--first-origin must be a month start like 1997-02-01, got '\(firstOrigin)'")
        }
    }

    func run() throws {
        if let panel { return try train(panel: panel) }
        let began = DispatchTime.now().uptimeNanoseconds
        let (logRows, events) = try loadEvents(source, quality, command: "train")
        let cutoff = try cutoffDay(asOf: quality.asOf, events: events)
        let asOf = CivilDate(dayNumber: cutoff - 1)
        printError("train: \(model) as of \(asOf)\(quality.asOf == nil ? " (the data's last day; --as-of chooses another)" : "")")
        let observer = ProgressPrinter(model: model)
        let trained = try ModelTraining.train(try makeModel(), events: events, cutoff: cutoff,
                                              firstOrigin: firstOrigin.flatMap { CivilDate(iso: $0) }, lastOrigins: origins,
                                              progress: { printError("train: \($0)") }, observer: observer.report)
        observer.finish()
        printError(String(format: "train: fitted in %.2f s", trained.fitSeconds))
        if let auto = trained.model as? AutoForecaster, let reason = auto.describe().notes.first {
            printError("train: auto \(reason)")
        }
        try save(trained, featureNames: FeatureSet.names(withProducts: events.hasProducts), data: DataFingerprint(rows: logRows, events: events),
                 began: began)
    }

    /// Saves the fitted model in the store and reports where, its in-sample scores and the run's time and memory.
    func save(_ trained: ModelTraining.Result, featureNames: [String], data: DataFingerprint, began: UInt64, trainedOn: String = "") throws {
        let store = storeOptions.modelStore
        let saved = SavedModel(name: name, version: version ?? store.nextVersion(of: name), createdAt: SavedModel.creationTime(),
                               fitted: trained.model, featureNames: featureNames, data: data, cutoff: trained.cutoff,
                               origins: trained.origins, trainingRows: trained.rows, metrics: trained.metrics)
        let path = try store.save(saved, trainingLog: trained.model.trainingLog, overwrite: overwrite)
        if let d = trained.metrics["last_month_deviance"], let t = trained.metrics["last_month_top10_capture"] {
            printError(String(format: "train: in-sample on the last training month: deviance %.4f, top10_capture %.4f", d, t))
        }
        print("saved \(model) model \(name)@\(saved.version) to \(path)\(trainedOn)")
        print("training log: \((path as NSString).deletingLastPathComponent)/\(ModelStore.trainingLogFileName)")
        printError(String(format: "train: total %.2f s, peak resident memory %.0f MB",
                          Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9, peakResidentMegabytes()))
    }
}

extension TrainCommand {
    /// `--panel`: reads the panel, fits, saves; the log is never read.
    func train(panel path: String) throws {
        let began = DispatchTime.now().uptimeNanoseconds
        printError("train: reading the panel \(path)")
        let file = try PanelFile(path: path, threads: quality.threadCount)
        printError("train: \(file.rowsRead) rows read = \(file.rowsAccepted) accepted + \(file.rejects.count) rejected"
                   + (file.files.count > 1 ? " (\(file.files.count) files)" : ""))
        for r in file.rejects.prefix(5) { printError("train: rejected \(file.files.count > 1 ? "" : path + ", ")line \(r.line): \(r.reason)") }
        if file.rejects.count > 5 { printError("train: ... and \(file.rejects.count - 5) more rejected rows") }
        if quality.onBadRow == .fail, let r = file.rejects.first {
            throw ValidationError("\(path), line \(r.line): \(r.reason) (--on-bad-row fail)")
        }
        let p = file.panel
        printError("train: panel: \(p.rowCount) rows x \(p.names.count) features, \(p.origins.count) origins "
                   + "\(p.origins.first.map { CivilDate(dayNumber: $0).description } ?? "") .. \(p.origins.last.map { CivilDate(dayNumber: $0).description } ?? "")")
        let observer = ProgressPrinter(model: model)
        let trained = try ModelTraining.train(try makeModel(), panel: p, observer: observer.report)
        observer.finish()
        printError(String(format: "train: fitted in %.2f s", trained.fitSeconds))
        let data = try DataFingerprint(panelFiles: file.files, rows: p.rowCount, customers: file.customerIDs.count,
                                       events: Int(p.target.reduce(0, +)), lastDay: CivilDate(dayNumber: trained.cutoff - 1).description)
        try save(trained, featureNames: p.names, data: data, began: began,
                 trainedOn: " (trained on the panel \(path); cutoff \(CivilDate(dayNumber: trained.cutoff)))")
    }
}

/// Prints a model's training iterations on standard error: on a terminal one line rewritten
/// in place, otherwise the first ten iterations and every tenth.
final class ProgressPrinter: @unchecked Sendable {
    let model: String
    let interactive = isatty(STDERR_FILENO) != 0
    private var printed = false

    init(model: String) { self.model = model }

    var report: @Sendable (String, TrainingLogEntry) -> Void {
        { [self] name, entry in
            let metrics = entry.metrics.keys.sorted().map { key in "\(key) " + String(format: "%.6g", entry.metrics[key]!) }.joined(separator: ", ")
            let line = "train: \(name) iteration \(entry.iteration): \(metrics)"
            if interactive {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
                printed = true
            } else if entry.iteration <= 10 || entry.iteration % 10 == 0 {
                printError(line)
            }
        }
    }

    func finish() {
        if printed { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
