import ArgumentParser
import ForecastKit
import Foundation
import SyntheticShop

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the built-in synthetic shop: customers, products, orders, items and the flat transaction log.",
        discussion: """
            Writes customers.csv, products.csv, orders.csv, items.csv (the four shop tables, read with \
            --layout shop) and transactions.csv (the flat log customer_id,product_id,timestamp,quantity,unit_price, \
            read with --layout transactions). The same arguments give byte-identical files. Data-quality defects \
            are injected at --defect-rate per kind (see docs/data-generator.md); --clean turns them off.

            --profile picks the kind of shop; its period applies unless --start or --end is given. The \
            low-repeat profile's transactions.csv has a sixth column, status, with the cancelled orders' lines: \
            read it with --layout transactions --status-col status.
            """
    )

    @Option(help: "Output folder.")
    var out: String
    @Option(help: "Number of customers.")
    var customers = 10_000
    @Option(help: "Number of products.")
    var products = 400
    @Option(help: "Random seed.")
    var seed: UInt64 = 42
    @Option(help: "The kind of shop to imitate.")
    var profile = ProfileArgument(.default)
    @Option(help: "First day of the period (YYYY-MM-DD; default: the profile's, 2017-01-01 for default).")
    var start: String?
    @Option(help: "Last day of the period (YYYY-MM-DD; default: the profile's, 2019-12-31 for default).")
    var end: String?
    @Option(name: .customLong("defect-rate"), help: "Rate of each injected defect kind, relative to its table's rows.")
    var defectRate = 0.004
    @Flag(help: "Inject no data-quality defects.")
    var clean = false
    @Flag(name: .shortAndLong, help: "Print no progress.")
    var quiet = false

    func validate() throws {
        guard customers >= 1 else { throw ValidationError("--customers must be at least 1") }
        guard products >= 1 else { throw ValidationError("--products must be at least 1") }
        guard (0...0.2).contains(defectRate) else { throw ValidationError("--defect-rate must be between 0 and 0.2") }
        if let start { guard CivilDate(iso: start) != nil else { throw ValidationError("--start must be a date like 2017-01-01") } }
        if let end { guard CivilDate(iso: end) != nil else { throw ValidationError("--end must be a date like 2019-12-31") } }
    }

    func run() throws {
        var config = ShopGeneratorConfig()
        config.customers = customers
        config.products = products
        config.seed = seed
        config.profile = profile.profile
        if let start { config.start = CivilDate(iso: start)! }
        if let end { config.end = CivilDate(iso: end)! }
        config.defectRate = defectRate
        config.clean = clean
        let began = Date()
        let summary = try ShopGenerator(config: config).write(to: out) { message in
            if !quiet { printError("generate: \(message)") }
        }
        print("generated \(summary.customers) customers, \(summary.products) products, \(summary.orders) orders, "
              + "\(summary.items) order lines, \(summary.transactionRows) transaction rows in \(String(format: "%.1f", Date().timeIntervalSince(began))) s")
        if !summary.defects.isEmpty {
            print("injected defects: " + summary.defects.map { "\($0.count) \($0.label)" }.joined(separator: "; "))
        }
    }
}

/// `--profile NAME`: a built-in ``ShopProfile``; the help lists each name with its one-line summary.
struct ProfileArgument: ExpressibleByArgument {
    var profile: ShopProfile

    init(_ profile: ShopProfile) { self.profile = profile }

    init?(argument: String) {
        guard let profile = ShopProfile.named(argument) else { return nil }
        self.profile = profile
    }

    var defaultValueDescription: String { profile.name }
    static var allValueStrings: [String] { ShopProfile.all.map(\.name) }
    static var allValueDescriptions: [String: String] {
        Dictionary(uniqueKeysWithValues: ShopProfile.all.map { ($0.name, $0.summary) })
    }
}
