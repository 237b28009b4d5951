import Foundation
import ArgumentParser
import ForecastKit

/// The column-mapping flags shared by every command that reads transactions.
struct MappingOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Input file, or for --layout shop a folder with customers.csv, products.csv, orders.csv, items.csv (required, except by `train --panel`).")
    var dataOption: String?

    /// The `--data` path ("" when it was not given: reading then fails with ``requireData()``).
    var data: String { dataOption ?? "" }

    /// Refuses to go on without `--data`, as ArgumentParser does for a required option (it is optional only so
    /// that `forecast train --panel` can train without a transaction log).
    func requireData() throws {
        guard dataOption != nil else { throw ValidationError("Missing expected argument '--data <data>'") }
    }

    @Option(help: "A known layout: \(KnownLayout.allCases.map(\.rawValue).joined(separator: ", ")). Flags below override it.")
    var layout: String?

    @Option(help: "JSON mapping file (keys: customer, time, product, quantity, amount, price, order, status, delimiter, time_format, header, exclude_status).")
    var mapping: String?

    @Option(name: .customLong("customer-col"), help: "Customer id column: a header name or a 1-based position.")
    var customerCol: String?
    @Option(name: .customLong("time-col"), help: "Timestamp column.")
    var timeCol: String?
    @Option(name: .customLong("product-col"), help: "Product id column.")
    var productCol: String?
    @Option(name: .customLong("quantity-col"), help: "Quantity column (default quantity 1).")
    var quantityCol: String?
    @Option(name: .customLong("amount-col"), help: "Line total column (quantity x unit price already applied).")
    var amountCol: String?
    @Option(name: .customLong("price-col"), help: "Unit price column; line total = quantity x price.")
    var priceCol: String?
    @Option(name: .customLong("order-col"), help: "Order id column.")
    var orderCol: String?
    @Option(name: .customLong("status-col"), help: "Order status column; see --exclude-status.")
    var statusCol: String?
    @Option(name: .customLong("exclude-status"), help: "Comma-separated statuses kept out of the log (default: cancelled,canceled).")
    var excludeStatus: String?
    @Option(help: "Field delimiter: comma, semicolon, tab, pipe, whitespace, or one character (default: detected).")
    var delimiter: String?
    @Option(name: .customLong("time-format"), help: "Timestamp format: \(TimestampFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: detected from the first rows).")
    var timeFormat: String?
    @Flag(name: .customLong("no-header"), help: "The file has no header row (columns are then given by position).")
    var noHeader = false

    /// Checked by argument-parser before the command runs, so errors show the command's usage.
    func validate() throws {
        _ = try knownLayout()
    }

    /// The layout preset, if any.
    func knownLayout() throws -> KnownLayout? {
        guard let layout else { return nil }
        guard let known = KnownLayout(rawValue: layout) else {
            throw ValidationError("unknown layout '\(layout)'; known layouts: \(KnownLayout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if known == .shop {
            let flags = [customerCol, timeCol, productCol, quantityCol, amountCol, priceCol, orderCol, statusCol, delimiter, timeFormat, mapping]
            if flags.contains(where: { $0 != nil }) || noHeader {
                throw ValidationError("--layout shop reads customers.csv, products.csv, orders.csv and items.csv by their column names; "
                                      + "column, delimiter, time-format and mapping flags apply to single files")
            }
        }
        return known
    }

    /// Preset, then mapping file, then flags.
    func columnMapping() throws -> ColumnMapping {
        var m = try knownLayout()?.mapping ?? ColumnMapping()
        if let mapping { m = m.overriding(with: try ColumnMapping.load(path: mapping)) }
        var flags = ColumnMapping()
        flags.customer = customerCol.map(ColumnReference.init(flag:))
        flags.time = timeCol.map(ColumnReference.init(flag:))
        flags.product = productCol.map(ColumnReference.init(flag:))
        flags.quantity = quantityCol.map(ColumnReference.init(flag:))
        flags.amount = amountCol.map(ColumnReference.init(flag:))
        flags.price = priceCol.map(ColumnReference.init(flag:))
        flags.order = orderCol.map(ColumnReference.init(flag:))
        flags.status = statusCol.map(ColumnReference.init(flag:))
        if let delimiter {
            guard let d = Delimiter(flag: delimiter) else {
                throw ValidationError("unknown delimiter '\(delimiter)'; use comma, semicolon, tab, pipe, whitespace or one character")
            }
            flags.delimiter = d
        }
        if let timeFormat {
            guard let f = TimestampFormat(rawValue: timeFormat) else {
                throw ValidationError("unknown time format '\(timeFormat)'; use one of \(TimestampFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            flags.timestampFormat = f
        }
        if noHeader { flags.header = .absent }
        if flags.amount != nil { m.price = nil }
        if flags.price != nil { m.amount = nil }
        m = m.overriding(with: flags)
        if let excludeStatus { m.excludedStatuses = excludeStatus.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        return m
    }
}

/// Flags for the quality rules.
struct QualityOptions: ParsableArguments {
    @Option(name: .customLong("on-bad-row"), help: "reject: move bad rows to rejects.csv and go on; fail: stop at the first with file, line and column.")
    var onBadRow: BadRowPolicy = .reject
    @Option(name: .customLong("negative-quantity"), help: "reject, warn or allow (default reject).")
    var negativeQuantity: ValueRule = .reject
    @Option(name: .customLong("zero-quantity"), help: "reject, warn or allow (default warn).")
    var zeroQuantity: ValueRule = .warn
    @Option(name: .customLong("negative-amount"), help: "reject, warn or allow, for amounts and prices (default reject).")
    var negativeAmount: ValueRule = .reject
    @Option(name: .customLong("zero-amount"), help: "reject, warn or allow, for amounts and prices (default warn).")
    var zeroAmount: ValueRule = .warn
    @Option(help: "Exact duplicate rows: warn (keep and count), reject (keep the first) or allow.")
    var duplicates: ValueRule = .warn
    @Option(name: .customLong("as-of"), help: "Timestamps after this day (YYYY-MM-DD) count as in the future (default: today).")
    var asOf: String?
    @Option(help: "Timestamps after the as-of day: reject (default), warn or allow.")
    var future: ValueRule = .reject
    @Option(help: "Parser threads (default: all cores).")
    var threads: Int?

    func rules() throws -> QualityRules {
        var r = QualityRules()
        if let asOf {
            guard let d = CivilDate(iso: asOf) else { throw ValidationError("--as-of must be a date like 2019-12-31, got '\(asOf)'") }
            r.asOfDay = d.dayNumber
        }
        r.negativeQuantity = negativeQuantity
        r.zeroQuantity = zeroQuantity
        r.negativeAmount = negativeAmount
        r.zeroAmount = zeroAmount
        r.duplicateRows = duplicates
        r.futureTimestamps = future
        return r
    }

    var threadCount: Int { max(1, threads ?? defaultThreadCount) }
}

extension BadRowPolicy: ExpressibleByArgument {}
extension ValueRule: ExpressibleByArgument {}
