import ArgumentParser
import ForecastKit
import Foundation
import SyntheticShop
#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure ingestion speed and memory (build with -c release).",
        discussion: """
            Times, on one file: reading it to /dev/null (the disk/page-cache ceiling, like `cat FILE > /dev/null`),
            parsing it into typed columns on 1 thread and on all threads, and the whole ingestion
            (parse, group into the transaction log, quality checks). Reports MB/s, rows/s and the process's peak
            resident memory. Without --data it generates the clean shop log of --customers customers first
            (1,100,000 customers give about 10.5 million rows).
            """
    )

    @Option(help: "A transactions file in the generator's flat layout (default: generate one).")
    var data: String?
    @Option(help: "Customers to generate when --data is not given.")
    var customers = 1_100_000
    @Option(help: "Folder for the generated data.")
    var work = "data/bench"
    @Option(help: "Repetitions of each measurement (the median is reported).")
    var repeats = 3
    @Option(help: "Write the results as JSON to this file too.")
    var json: String?
    @Option(help: "The steps to time, comma-separated: read, parse1 (one thread), parse (all threads), ingest (default: all).")
    var steps = "read,parse1,parse,ingest"

    static let stepNames = ["read", "parse1", "parse", "ingest"]

    func validate() throws {
        let unknown = steps.split(separator: ",").map(String.init).filter { !Self.stepNames.contains($0) }
        if !unknown.isEmpty {
            throw ValidationError("unknown --steps \(unknown.joined(separator: ", ")); known: \(Self.stepNames.joined(separator: ", "))")
        }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
        let path: String
        if let data { path = data } else {
            path = work + "/transactions.csv"
            if !FileManager.default.fileExists(atPath: path) {
                printError("bench: generating \(customers) customers into \(work) ...")
                var config = ShopGeneratorConfig()
                config.customers = customers
                config.clean = true
                _ = try ShopGenerator(config: config).write(to: work)
            }
        }
        let bytes = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0)
        let mapping = KnownLayout.transactions.mapping!
        let schema = try mapping.schema(table: "transactions", rules: QualityRules())
        let threads = defaultThreadCount
        var results: [BenchResult] = []
        func measure(_ name: String, rows: () throws -> Int) rethrows {
            var times: [Double] = []
            var n = 0
            for _ in 0..<max(1, repeats) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                n = try rows()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            let median = times.sorted()[times.count / 2]
            let r = BenchResult(step: name, seconds: median, megabytesPerSecond: bytes / 1e6 / median,
                                rowsPerSecond: Double(n) / median, rows: n)
            printError(String(format: "bench: %-28@ %7.3f s  %8.0f MB/s  %6.1f M rows/s", name as NSString,
                              r.seconds, r.megabytesPerSecond, r.rowsPerSecond / 1e6))
            results.append(r)
        }
        let chosen = Set(steps.split(separator: ",").map(String.init))
        if chosen.contains("read") { try measure("read to /dev/null") { try readThrough(path) } }
        func phases(_ t: ParsedTable) -> Int {
            printError("bench:   phases " + t.phaseSeconds.map { String(format: "%@ %.3f s", $0.phase, $0.seconds) }.joined(separator: ", "))
            return t.rowCount
        }
        if chosen.contains("parse1") { try measure("parse, 1 thread") { phases(try TableReader(schema: schema, threads: 1).read(path: path)) } }
        if chosen.contains("parse") {
            try measure("parse, \(threads) threads") { phases(try TableReader(schema: schema, threads: threads).read(path: path)) }
        }
        if chosen.contains("ingest") {
            try measure("ingest (parse+log+checks)") {
                let r = try TransactionIngest.flat(path: path, mapping: mapping, threads: threads)
                printError("bench:   phases " + r.phaseSeconds.map { String(format: "%@ %.3f s", $0.phase, $0.seconds) }.joined(separator: ", "))
                return r.log.rowCount
            }
        }
        let report = BenchReport(file: path, megabytes: bytes / 1e6, threads: threads,
                                 peakResidentMegabytes: peakResidentMegabytes(), results: results)
        print(try TextQuoting.jsonText(report))
        if let json { try TextQuoting.jsonText(report).write(toFile: json, atomically: true, encoding: .utf8) }
    }

    /// Reads the file in 4 MiB blocks and discards them, as `cat FILE > /dev/null` does.
    /// Returns 0: this step has no rows.
    private func readThrough(_ path: String) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IngestionError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let size = 4 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        while read(fd, buffer, size) > 0 {}
        return 0
    }
}

struct BenchResult: Codable {
    var step: String
    var seconds: Double
    var megabytesPerSecond: Double
    var rowsPerSecond: Double
    var rows: Int
}

struct BenchReport: Codable {
    var file: String
    var megabytes: Double
    var threads: Int
    var peakResidentMegabytes: Double
    var results: [BenchResult]
}

/// Peak resident set size of this process so far (getrusage, Linux reports KiB).
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
