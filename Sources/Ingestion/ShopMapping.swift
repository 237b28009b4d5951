import Foundation

/// Where each shop table comes from: which file, and which source column feeds each canonical
/// field. Two source layouts are known:
///
/// - ``Layout/shop``: four tables, `customers`, `products`, `orders` (one row per order) and
///   `items` (one row per order line), as the built-in generator writes them.
/// - ``Layout/salesOrders``: three tables, `customers`, `products` (a sales table: product,
///   price, availability) and `order_lines` (a sales-orders table: one row per order line that
///   repeats the order's customer, time and status).
///
/// A mapping file is JSON; everything in it is optional and overrides the defaults, which are
/// the generator's file and column names:
///
///     { "layout": "sales-orders",
///       "delimiter": ",", "time_format": "iso8601", "exclude_status": ["cancelled"],
///       "tables": {
///         "customers":   { "file": "clients.csv", "columns": { "customer_id": "client_id", "name": "full_name" } },
///         "products":    { "file": "sales.csv",   "columns": { "product_id": "sku", "price": "list_price" } },
///         "order_lines": { "file": "sales_orders.csv",
///                          "columns": { "order_id": "order_no", "timestamp": "order_date", "unit_price": null } } } }
///
/// A column mapped to `null` is absent from the source (only optional fields may be absent).
public struct ShopMapping: Sendable, Equatable {
    public enum Layout: String, Sendable, CaseIterable {
        case shop
        case salesOrders = "sales-orders"
    }

    /// One table's file and its column names.
    public struct Table: Sendable, Equatable {
        public var file: String
        /// Canonical field name -> source column (nil: the field is not in the file).
        public var columns: [String: ColumnReference?]

        /// The source of `field`: the mapped column, or the canonical name itself.
        public func source(_ field: String) -> ColumnReference? {
            if let mapped = columns[field] { return mapped }
            return .name(field)
        }
    }

    public var layout: Layout
    public var tables: [String: Table]
    public var delimiter: Delimiter?
    public var timestampFormat: TimestampFormat?
    public var excludedStatuses: [String] = ["cancelled", "canceled"]

    /// The canonical fields of each table, in order; the first is the key.
    public static let fields: [String: [String]] = [
        "customers": ["customer_id", "name", "email", "phone", "street", "city", "state", "zip", "signup_date"],
        "products": ["product_id", "name", "category", "price", "availability"],
        "orders": ["order_id", "customer_id", "timestamp", "status"],
        "items": ["order_id", "product_id", "quantity", "unit_price"],
        "order_lines": ["order_id", "customer_id", "product_id", "quantity", "unit_price", "timestamp", "status"],
    ]

    /// The tables a layout reads.
    public static func tableNames(_ layout: Layout) -> [String] {
        switch layout {
        case .shop: return ["customers", "products", "orders", "items"]
        case .salesOrders: return ["customers", "products", "order_lines"]
        }
    }

    /// The defaults of a layout: `<table>.csv` files (`sales.csv` and `sales_orders.csv` for
    /// the sales-orders layout) with canonical column names.
    public init(layout: Layout = .shop) {
        self.layout = layout
        var tables: [String: Table] = [:]
        for name in Self.tableNames(layout) {
            let file: String
            switch (layout, name) {
            case (.salesOrders, "products"): file = "sales.csv"
            case (.salesOrders, "order_lines"): file = "sales_orders.csv"
            default: file = name + ".csv"
            }
            tables[name] = Table(file: file, columns: [:])
        }
        // The generator's products have no availability column.
        if layout == .shop { tables["products"]!.columns["availability"] = .some(nil) }
        self.tables = tables
    }

    /// Reads a JSON mapping file; unknown keys, tables and fields are errors that list the known ones.
    public static func load(path: String) throws -> ShopMapping {
        let dict = try MappingFile.object(path: path, example: "{\"layout\": \"sales-orders\", \"tables\": {...}}")
        func bad(_ what: String) -> IngestionError { .invalidSetting("\(path): \(what)") }
        var layout = Layout.shop
        if let l = dict["layout"] {
            guard let s = l as? String, let known = Layout(rawValue: s) else {
                throw bad("\"layout\" must be one of \(Layout.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            layout = known
        }
        var m = ShopMapping(layout: layout)
        let known = ["layout", "tables", "delimiter", "time_format", "exclude_status"]
        for (key, value) in dict {
            switch key {
            case "layout": break
            case "delimiter": m.delimiter = try MappingFile.delimiter(value, path: path)
            case "time_format": m.timestampFormat = try MappingFile.timestampFormat(value, path: path)
            case "exclude_status": m.excludedStatuses = try MappingFile.statuses(value, path: path)
            case "tables":
                guard let tables = value as? [String: Any] else { throw bad("\"tables\" must be an object keyed by table name") }
                for (name, spec) in tables {
                    guard var table = m.tables[name] else {
                        throw bad("unknown table \"\(name)\" for layout \(layout.rawValue); tables are: \(tableNames(layout).joined(separator: ", "))")
                    }
                    guard let spec = spec as? [String: Any] else { throw bad("table \"\(name)\" must be an object with \"file\" and \"columns\"") }
                    for (k, v) in spec {
                        switch k {
                        case "file":
                            guard let f = v as? String, !f.isEmpty else { throw bad("\"\(name).file\" must be a file name") }
                            table.file = f
                        case "columns":
                            guard let cols = v as? [String: Any] else { throw bad("\"\(name).columns\" must map field names to column names") }
                            let allowed = fields[name]!
                            for (field, column) in cols {
                                guard allowed.contains(field) else {
                                    throw bad("unknown field \"\(field)\" in table \(name); fields are: \(allowed.joined(separator: ", "))")
                                }
                                table.columns[field] = column is NSNull ? .some(nil)
                                    : try MappingFile.column(column, path: path, key: "\(name).columns.\(field)")
                            }
                        default:
                            throw bad("unknown key \"\(k)\" in table \(name); keys are: file, columns")
                        }
                    }
                    m.tables[name] = table
                }
            default:
                throw bad("unknown key \"\(key)\"; known keys: \(known.joined(separator: ", "))")
            }
        }
        return m
    }
}
