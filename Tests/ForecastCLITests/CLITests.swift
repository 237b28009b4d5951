import Foundation
import TestSupport
import Testing

/// Runs the built `forecast` executable (next to the test bundle) and captures its output.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

func forecast(_ arguments: [String]) throws -> CLIRun {
    let (process, out, err) = try launch(arguments, environment: [:])
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIRun(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

/// `forecast` for a test whose server runs in this process: waits without holding one of the
/// few threads that run the server's handlers (output goes through files, not pipes).
func forecastAsync(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIRun {
    let folder = scratch("capture")
    FileManager.default.createFile(atPath: folder + "/out", contents: nil)
    FileManager.default.createFile(atPath: folder + "/err", contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out"))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/err"))
    let (process, _, _) = try launch(arguments, environment: environment, output: (out, err))
    while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
    try out.close()
    try err.close()
    return CLIRun(status: process.terminationStatus, stdout: try String(contentsOfFile: folder + "/out", encoding: .utf8),
                  stderr: try String(contentsOfFile: folder + "/err", encoding: .utf8))
}

/// Starts a built executable of the package (`forecast` by default) with extra environment variables.
func launch(_ arguments: [String], environment: [String: String], output: (FileHandle, FileHandle)? = nil,
            executable: String = "forecast") throws -> (Process, Pipe, Pipe) {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var binary = bundle.appendingPathComponent(executable)
    if !FileManager.default.fileExists(atPath: binary.path) {
        binary = Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent(executable) }
            .first { FileManager.default.fileExists(atPath: $0.path) } ?? binary
    }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    if let output {
        process.standardOutput = output.0
        process.standardError = output.1
    } else {
        process.standardOutput = out
        process.standardError = err
    }
    try process.run()
    return (process, out, err)
}

func scratch(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "forecast-cli-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func json(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

let cdnowMaster = SharedData.cdnowMaster

@Suite("forecast command line")
struct CLITests {
    @Test func helpListsTheCommands() throws {
        let r = try forecast(["--help"])
        #expect(r.status == 0)
        for command in ["generate", "ingest", "bench"] { #expect(r.stdout.contains(command)) }
        let ingest = try forecast(["ingest", "--help"])
        #expect(ingest.status == 0 && ingest.stdout.contains("--on-bad-row") && ingest.stdout.contains("--customer-col"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: cdnowMaster)))
    func ingestCDNOWPrintsTheSummaryAsJSON() throws {
        let r = try forecast(["ingest", "--data", cdnowMaster, "--layout", "cdnow", "--format", "json"])
        #expect(r.status == 0)
        let s = json(r.stdout)
        #expect(s["rows_read"] as? Int == 69_659 && s["rows_accepted"] as? Int == 69_659 && s["rows_rejected"] as? Int == 0)
        #expect(s["customers"] as? Int == 23_570 && s["events"] as? Int == 67_591)
        #expect(s["first_day"] as? String == "1997-01-01" && s["last_day"] as? String == "1998-06-30")
        #expect(s["products"] as? Int == 0)
    }

    @Test func generateThenIngestTheShop() throws {
        let dir = scratch()
        let g = try forecast(["generate", "--out", dir + "/shop", "--customers", "300", "--products", "40", "--defect-rate", "0.02", "-q"])
        #expect(g.status == 0 && g.stdout.contains("generated 300 customers"))
        let out = dir + "/ingested"
        let r = try forecast(["ingest", "--data", dir + "/shop", "--layout", "shop", "--out", out, "--format", "json", "--as-of", "2019-12-31"])
        #expect(r.status == 0)
        let s = json(r.stdout)
        let read = s["rows_read"] as? Int ?? -1, accepted = s["rows_accepted"] as? Int ?? -1, rejected = s["rows_rejected"] as? Int ?? -1
        #expect(read == accepted + rejected && rejected > 0)
        for file in ["transactions.csv", "rejects.csv", "quality.json", "quality.md"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let rejectLines = try String(contentsOfFile: out + "/rejects.csv", encoding: .utf8).split(separator: "\n").count
        #expect(rejectLines >= rejected + 1)  // header + at least one line per reject (raw text may hold line breaks)
        let quality = json(try String(contentsOfFile: out + "/quality.json", encoding: .utf8))
        #expect((quality["tables"] as? [[String: Any]])?.count == 4)
        let md = try String(contentsOfFile: out + "/quality.md", encoding: .utf8)
        #expect(md.contains("# Data-quality report") && md.contains("| orders |"))
        // The normalized log reads back with the same number of rows.
        let back = try forecast(["ingest", "--data", out + "/transactions.csv", "--customer-col", "customer_id", "--time-col", "timestamp",
                                 "--amount-col", "amount", "--format", "json"])
        #expect(json(back.stdout)["rows_accepted"] as? Int == s["transaction_rows"] as? Int)
    }

    @Test func badRowWithFailPolicyExitsWithFileLineAndColumn() throws {
        let dir = scratch()
        let path = dir + "/bad.csv"
        try "customer,time,amount\nc1,2018-01-01,1\nc2,2018-02-30,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try forecast(["ingest", "--data", path, "--customer-col", "customer", "--time-col", "time", "--amount-col", "amount",
                              "--on-bad-row", "fail"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(path):3:4") && r.stderr.contains("'2018-02-30'"))
        let lenient = try forecast(["ingest", "--data", path, "--customer-col", "customer", "--time-col", "time", "--amount-col", "amount",
                                    "--format", "json"])
        #expect(lenient.status == 0 && json(lenient.stdout)["rows_rejected"] as? Int == 1)
    }

    @Test func unknownColumnAndMissingFileAreClearErrors() throws {
        let dir = scratch()
        let path = dir + "/x.csv"
        try "customer,time\nc1,2018-01-01\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try forecast(["ingest", "--data", path, "--customer-col", "client", "--time-col", "time"])
        #expect(r.status == 1 && r.stderr.contains("column \"client\" not found") && r.stderr.contains("\"customer\""))
        let missing = try forecast(["ingest", "--data", dir + "/nope.csv", "--customer-col", "1", "--time-col", "2"])
        #expect(missing.status == 1 && missing.stderr.contains("nope.csv: cannot open"))
        let empty = dir + "/empty.csv"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        let e = try forecast(["ingest", "--data", empty, "--customer-col", "1", "--time-col", "2"])
        #expect(e.status == 1 && e.stderr.contains("empty"))
        let layout = try forecast(["ingest", "--data", path, "--layout", "nonsense"])
        #expect(layout.status != 0 && layout.stderr.contains("unknown layout"))
        let shopWithFlags = try forecast(["ingest", "--data", dir, "--layout", "shop", "--customer-col", "x"])
        #expect(shopWithFlags.status != 0 && shopWithFlags.stderr.contains("--layout shop reads"))
    }

    @Test func everyRowRejectedExitsNonZero() throws {
        let dir = scratch()
        let path = dir + "/allbad.csv"
        try "customer,time\nc1,notadate\nc2,2018-01-01\nc3,never\nc4,nope\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try forecast(["ingest", "--data", path, "--customer-col", "customer", "--time-col", "time", "--time-format", "iso8601",
                              "--out", dir + "/o"])
        #expect(r.status == 0 && r.stdout.contains("3 rejected"))
        try "customer,time\nc1,notadate\n".write(toFile: path, atomically: true, encoding: .utf8)
        let none = try forecast(["ingest", "--data", path, "--customer-col", "customer", "--time-col", "time", "--time-format", "iso8601"])
        #expect(none.status == 1 && none.stderr.contains("no row was accepted"))
    }
}

@Suite("forecast command line: options")
struct CLIOptionTests {
    @Test func benchRunsOnASmallFileAndWritesJSON() throws {
        let dir = scratch()
        _ = try forecast(["generate", "--out", dir, "--customers", "200", "--clean", "-q"])
        let r = try forecast(["bench", "--data", dir + "/transactions.csv", "--repeats", "1", "--json", dir + "/bench.json"])
        #expect(r.status == 0)
        let report = json(try String(contentsOfFile: dir + "/bench.json", encoding: .utf8))
        let steps = (report["results"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        #expect(steps.count == 4 && steps.contains("parse, 1 thread"))
        let rows = (report["results"] as? [[String: Any]] ?? []).compactMap { $0["rows"] as? Int }
        #expect(rows.dropFirst().allSatisfy { $0 > 0 } && Set(rows.dropFirst()).count == 1)
        #expect((report["peak_resident_megabytes"] as? Double ?? 0) > 0)
    }

    @Test func mappingFileAndDuplicateRejection() throws {
        let dir = scratch()
        try "client;when;total\nc1;04.03.2018;10.5\nc1;04.03.2018;10.5\nc2;05.03.2018;3\n"
            .write(toFile: dir + "/sales.csv", atomically: true, encoding: .utf8)
        try #"{"customer": "client", "time": "when", "amount": "total", "delimiter": ";", "time_format": "dd.MM.yyyy"}"#
            .write(toFile: dir + "/mapping.json", atomically: true, encoding: .utf8)
        let warn = try forecast(["ingest", "--data", dir + "/sales.csv", "--mapping", dir + "/mapping.json", "--format", "json"])
        #expect(warn.status == 0)
        #expect(json(warn.stdout)["duplicate_rows"] as? Int == 1 && json(warn.stdout)["rows_accepted"] as? Int == 3)
        let reject = try forecast(["ingest", "--data", dir + "/sales.csv", "--mapping", dir + "/mapping.json",
                                   "--duplicates", "reject", "--format", "json", "--out", dir + "/o"])
        #expect(json(reject.stdout)["rows_accepted"] as? Int == 2 && json(reject.stdout)["rows_rejected"] as? Int == 1)
        let rejects = try String(contentsOfFile: dir + "/o/rejects.csv", encoding: .utf8)
        #expect(rejects.contains("transactions,3,1,,duplicate row"))
        let badMapping = try forecast(["ingest", "--data", dir + "/sales.csv", "--mapping", dir + "/nope.json"])
        #expect(badMapping.status == 1 && badMapping.stderr.contains("nope.json"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: cdnowMaster)))
    func cdnowSampleLayout() throws {
        let sample = SharedData.cdnowSample
        let r = try forecast(["ingest", "--data", sample, "--layout", "cdnow-sample", "--format", "json"])
        #expect(r.status == 0 && json(r.stdout)["customers"] as? Int == 2357 && json(r.stdout)["rows_rejected"] as? Int == 0)
    }
}

@Suite("forecast features")
struct CLIFeatureTests {
    @Test func writesOneRowPerCustomerWithHistory() throws {
        let dir = scratch()
        try "customer,time,amount\na,2018-01-05,10\na,2018-02-10,5\nb,2018-02-20,7\nc,2018-03-02,1\na,2018-03-05,2\n"
            .write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        let r = try forecast(["features", "--data", dir + "/t.csv", "--customer-col", "customer", "--time-col", "time",
                              "--amount-col", "amount", "--cutoff", "2018-03-01", "--out", dir + "/f.csv"])
        #expect(r.status == 0 && r.stdout.contains("wrote 2 customers"))
        let lines = try String(contentsOfFile: dir + "/f.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("customer_id,recency_days,freq_total") && lines[0].hasSuffix(",next_month_events"))
        // a: last event 2018-02-10 (19 days before), 2 events, 15 in total, one event in March
        let a = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(a[0] == "a" && a[1] == "19" && a[2] == "2" && a[10] == "15" && a.last == "1")
        let bad = try forecast(["features", "--data", dir + "/t.csv", "--customer-col", "customer", "--time-col", "time",
                                "--cutoff", "2018-02-30", "--out", dir + "/f2.csv"])
        #expect(bad.status != 0 && bad.stderr.contains("--cutoff"))
    }
}

@Suite("forecast backtest")
struct CLIBacktestTests {
    @Test func backtestsTheBaselinesOnTheBuiltInData() throws {
        let dir = scratch()
        _ = try forecast(["generate", "--out", dir, "--customers", "400", "--clean", "-q"])
        let r = try forecast(["backtest", "--data", dir + "/transactions.csv", "--layout", "transactions", "--as-of", "2019-12-31",
                              "--cutoffs", "2019-01-01..2019-03-01", "--format", "json", "--out", dir + "/bt.json"])
        #expect(r.status == 0)
        let rows = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [[String: Any]] ?? []
        let models = ["zero", "last30", "hist_rate", "ols", "glm", "gbm", "bgnbd", "paretonbd", "mbgnbd", "blend", "auto"]
        #expect(rows.count == models.count * 4)
        let means = rows.filter { $0["cutoff"] as? String == "mean" }
        #expect(Set(means.compactMap { $0["model"] as? String }) == Set(models))
        #expect(means.allSatisfy { ($0["deviance"] as? Double ?? -1) >= 0 })
        // Every scored row has its interval scores: coverage of the 80% intervals near what
        // the laws promise, and a finite log score.
        #expect(means.allSatisfy { row in
            guard let coverage = row["coverage80"] as? Double, let nominal = row["nominal80"] as? Double,
                  let logScore = row["log_score"] as? Double else { return false }
            return coverage >= 0.5 && coverage <= 1 && nominal >= 0.8 && logScore.isFinite && logScore >= 0
        })
        #expect(FileManager.default.fileExists(atPath: dir + "/bt.json"))
        // --no-timings: no timing columns, and two runs give the same bytes.
        let args = ["backtest", "--data", dir + "/transactions.csv", "--layout", "transactions", "--as-of", "2019-12-31",
                    "--cutoffs", "2019-01-01..2019-02-01", "--models", "zero,glm", "--format", "csv", "--no-timings"]
        let first = try forecast(args), second = try forecast(args)
        #expect(first.status == 0 && first.stdout == second.stdout)
        #expect(first.stdout.hasPrefix("model,cutoff,customers,deviance,rmse,mae,bias,top10_capture,coverage_80,nominal_80,log_score\n"))
        let bad = try forecast(["backtest", "--data", dir + "/transactions.csv", "--layout", "transactions", "--cutoffs", "2019-01-15"])
        #expect(bad.status != 0 && bad.stderr.contains("month starts"))
        let unknown = try forecast(["backtest", "--data", dir + "/transactions.csv", "--layout", "transactions",
                                    "--cutoffs", "2019-01-01", "--models", "zero,magic"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown model 'magic'"))
    }

    /// Three months of history: at the first cutoff no month of training rows exists, so the
    /// supervised models fail there; the run reports those rows, scores the rest, exits 2.
    @Test func aModelThatCannotFitIsReportedNotFatal() throws {
        let dir = scratch()
        _ = try forecast(["generate", "--out", dir, "--customers", "300", "--clean", "-q", "--start", "2019-10-01", "--end", "2019-12-31"])
        let r = try forecast(["backtest", "--data", dir + "/transactions.csv", "--layout", "transactions", "--as-of", "2019-12-31",
                              "--cutoffs", "2019-11-01..2019-12-01", "--models", "zero,ols", "--format", "csv", "--no-timings"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("model fits failed"))
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "model,cutoff,customers,deviance,rmse,mae,bias,top10_capture,coverage_80,nominal_80,log_score,error")
        #expect(lines.contains { $0.hasPrefix("ols,2019-11-01,") && $0.contains("no training rows") })
        #expect(lines.contains { $0.hasPrefix("ols,2019-12-01,") && $0.hasSuffix(",") })
        #expect(lines.contains { $0.hasPrefix("zero,mean,") })
        #expect(lines.contains { $0.hasPrefix("ols,mean,") && $0.contains("failed at 1 of 2 cutoffs") })
    }
}

@Suite("forecast train, evaluate, predict, models")
struct CLIModelTests {
    @Test func trainSaveEvaluatePredictAndInspect() throws {
        let dir = scratch()
        _ = try forecast(["generate", "--out", dir, "--customers", "500", "--clean", "-q"])
        let data = ["--data", dir + "/transactions.csv", "--layout", "transactions"]
        let store = ["--store", dir + "/models"]
        let train = try forecast(["train"] + data + store + ["--as-of", "2019-10-31", "--model", "glm", "--name", "shop"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("saved glm model shop@1 to \(dir)/models/shop/1/model.json"))
        #expect(train.stderr.contains("iteration 1:"))
        let log = try String(contentsOfFile: dir + "/models/shop/1/training-log.jsonl", encoding: .utf8)
        #expect(log.hasPrefix("{\"iteration\":0,\"objective\":"))
        // A second version becomes the latest.
        let second = try forecast(["train"] + data + store + ["--as-of", "2019-10-31", "--model", "bgnbd", "--name", "shop"])
        #expect(second.status == 0 && second.stdout.contains("shop@2"))
        #expect(try String(contentsOfFile: dir + "/models/shop/latest", encoding: .utf8) == "2\n")

        let list = try forecast(["models", "list"] + store)
        #expect(list.status == 0 && list.stdout.contains("| shop | 2 | 1,2 | bgnbd | 2019-10-31 |"))
        let show = try forecast(["models", "show", "shop@1"] + store)
        #expect(show.status == 0 && show.stdout.contains("shop@1: glm model (checksum ok)") && show.stdout.contains("coef_intercept"))

        // Evaluate scores the month after the training cutoff, without retraining.
        let evaluate = try forecast(["evaluate", "--model", "shop@1"] + data + store + ["--format", "json"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let e = json(evaluate.stdout)
        #expect(e["month"] as? String == "2019-11" && e["kind"] as? String == "glm" && e["data_complete"] as? Bool == true)
        let metrics = e["metrics"] as? [String: Any] ?? [:]
        let baseline = e["baseline_hist_rate"] as? [String: Any] ?? [:]
        #expect((metrics["deviance"] as? Double ?? 9) < (baseline["deviance"] as? Double ?? 0))
        let table = try forecast(["evaluate", "--model", "shop", "--month", "2019-12"] + data + store)
        #expect(table.status == 0 && table.stdout.contains("on 2019-12") && table.stdout.contains("| deviance |"))

        // Predict writes one row per customer with the interval; BG/NBD uses its own distribution.
        let predict = try forecast(["predict", "--model", "shop"] + data + store + ["--as-of", "2019-12-31", "--out", dir + "/p.csv"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = try String(contentsOfFile: dir + "/p.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "customer_id,expected_events,p_zero,lower_80,upper_80,p_alive")
        #expect(lines.count > 400)
        for line in lines.dropFirst() {
            let f = line.split(separator: ",")
            let expected = Double(f[1])!, p0 = Double(f[2])!, lo = Int(f[3])!, hi = Int(f[4])!, alive = Double(f[5])!
            #expect(expected >= 0 && p0 >= 0 && p0 <= 1 && lo <= hi && alive > 0 && alive <= 1)
        }
        let predictJSON = try forecast(["predict", "--model", "shop@1"] + data + store + ["--out", dir + "/p.json"])
        #expect(predictJSON.status == 0)
        let rows = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/p.json")))) as? [[String: Any]]
        #expect(rows?.count == lines.count - 1)
        #expect(rows?.first?["p_zero"] is Double)
        #expect(rows?.first?.keys.contains("p_alive") == false)  // shop@1 is the GLM: no P(alive)
    }

    /// Without --model, `forecast train` trains `auto`, which says what it compared and chose.
    @Test func trainWithoutAModelTrainsTheRecommendedOne() throws {
        let dir = scratch()
        _ = try forecast(["generate", "--out", dir, "--customers", "400", "--clean", "-q"])
        let data = ["--data", dir + "/transactions.csv", "--layout", "transactions"]
        let store = ["--store", dir + "/models"]
        let train = try forecast(["train"] + data + store + ["--as-of", "2019-10-31", "--name", "rec"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("saved auto model rec@1"))
        #expect(train.stderr.contains("train: auto chose "), "\(train.stderr)")
        let show = try forecast(["models", "show", "rec"] + store)
        #expect(show.status == 0 && show.stdout.contains("chose ") && show.stdout.contains("selection_deviance_blend"))
        let log = try String(contentsOfFile: dir + "/models/rec/1/training-log.jsonl", encoding: .utf8)
        #expect(log.contains("selection_deviance_glm"))
        let predict = try forecast(["predict", "--model", "rec"] + data + store + ["--out", dir + "/p.csv"])
        #expect(predict.status == 0, "\(predict.stderr)")
    }

    @Test func damagedOrMissingModelsAreClearErrors() throws {
        let dir = scratch()
        _ = try forecast(["generate", "--out", dir, "--customers", "300", "--clean", "-q"])
        let data = ["--data", dir + "/transactions.csv", "--layout", "transactions"]
        let store = ["--store", dir + "/models"]
        #expect(try forecast(["train"] + data + store + ["--model", "hist_rate", "--name", "m"]).status == 0)
        let missing = try forecast(["evaluate", "--model", "nothing"] + data + store)
        #expect(missing.status == 1 && missing.stderr.contains("no model named 'nothing'") && missing.stderr.contains("models there: m"))
        let path = dir + "/models/m/1/model.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"hist_rate\"", with: "\"zero\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let tampered = try forecast(["predict", "--model", "m"] + data + store + ["--out", dir + "/p.csv"])
        #expect(tampered.status == 1 && tampered.stderr.contains("SHA-256") && tampered.stderr.contains(path))
        let list = try forecast(["models", "list"] + store)
        #expect(list.status == 0 && list.stdout.contains("unreadable"))
        let badName = try forecast(["train"] + data + store + ["--model", "glm", "--name", "../x"])
        #expect(badName.status != 0 && badName.stderr.contains("invalid model name"))
        let badKind = try forecast(["train"] + data + store + ["--model", "magic", "--name", "x"])
        #expect(badKind.status != 0 && badKind.stderr.contains("unknown model 'magic'"))
    }
}
