import Foundation

/// Which source columns hold the transaction fields, and how the file is laid out.
///
/// Set from command-line flags, from a JSON mapping file, or from a preset
/// (``KnownLayout``). A column is named by its header text or by its 1-based position.
/// Every mapped column is required: an empty value rejects the row.
///
/// Mapping file example (keys are optional except `customer` and `time`):
///
///     { "customer": "cust_id", "time": "created_at", "product": "sku",
///       "quantity": "qty", "price": "unit_price", "order": "order_no",
///       "status": "state", "delimiter": ";", "time_format": "dd.MM.yyyy",
///       "header": true, "exclude_status": ["cancelled"] }
public struct ColumnMapping: Sendable, Equatable {
    public var customer: ColumnReference?
    public var time: ColumnReference?
    public var product: ColumnReference?
    public var quantity: ColumnReference?
    /// Line total (quantity × unit price already applied).
    public var amount: ColumnReference?
    /// Unit price; the line total is quantity × price.
    public var price: ColumnReference?
    public var order: ColumnReference?
    public var status: ColumnReference?
    public var delimiter: Delimiter?
    public var timestampFormat: TimestampFormat?
    public var header: HeaderMode = .auto
    /// Statuses whose rows are kept out of the transaction log (compared case-insensitively).
    public var excludedStatuses: [String] = ["cancelled", "canceled"]

    public init() {}

    /// Overlays the fields that `other` sets.
    public func overriding(with other: ColumnMapping) -> ColumnMapping {
        var m = self
        m.customer = other.customer ?? customer
        m.time = other.time ?? time
        m.product = other.product ?? product
        m.quantity = other.quantity ?? quantity
        m.amount = other.amount ?? amount
        m.price = other.price ?? price
        m.order = other.order ?? order
        m.status = other.status ?? status
        m.delimiter = other.delimiter ?? delimiter
        m.timestampFormat = other.timestampFormat ?? timestampFormat
        if other.header != .auto { m.header = other.header }
        return m
    }

    /// The table schema for these columns, with the value rules of `rules`.
    public func schema(table: String, rules: QualityRules) throws -> TableSchema {
        guard let customer else { throw IngestionError.unmappedColumn(field: "customer") }
        guard let time else { throw IngestionError.unmappedColumn(field: "time") }
        if amount != nil, price != nil { throw IngestionError.amountAndPriceMapped }
        var fields = [FieldSpec("customer_id", .key, source: customer),
                      FieldSpec("timestamp", .timestamp, source: time, futureFrom: rules.futureFrom, future: rules.futureTimestamps)]
        if let product { fields.append(FieldSpec("product_id", .key, source: product)) }
        if let quantity {
            fields.append(FieldSpec("quantity", .number, source: quantity, negative: rules.negativeQuantity, zero: rules.zeroQuantity))
        }
        if let amount {
            fields.append(FieldSpec("amount", .number, source: amount, negative: rules.negativeAmount, zero: rules.zeroAmount))
        }
        if let price {
            fields.append(FieldSpec("unit_price", .number, source: price, negative: rules.negativeAmount, zero: rules.zeroAmount))
        }
        if let order { fields.append(FieldSpec("order_id", .key, source: order)) }
        if let status { fields.append(FieldSpec("status", .category, source: status)) }
        return TableSchema(table: table, fields: fields, delimiter: delimiter, timestampFormat: timestampFormat,
                           header: header, keepLineNumbers: true)
    }

    /// Reads a JSON mapping file.
    public static func load(path: String) throws -> ColumnMapping {
        let dict = try MappingFile.object(path: path, example: "{\"customer\": \"cust_id\", \"time\": \"ts\"}")
        var m = ColumnMapping()
        let columnKeys: [String: WritableKeyPath<ColumnMapping, ColumnReference?>] = [
            "customer": \.customer, "time": \.time, "product": \.product, "quantity": \.quantity,
            "amount": \.amount, "price": \.price, "order": \.order, "status": \.status,
        ]
        for (key, value) in dict {
            if let field = columnKeys[key] {
                m[keyPath: field] = try MappingFile.column(value, path: path, key: key)
                continue
            }
            switch key {
            case "delimiter": m.delimiter = try MappingFile.delimiter(value, path: path)
            case "time_format": m.timestampFormat = try MappingFile.timestampFormat(value, path: path)
            case "header":
                guard let b = value as? Bool else { throw IngestionError.invalidSetting("\(path): \"header\" must be true or false") }
                m.header = b ? .present : .absent
            case "exclude_status": m.excludedStatuses = try MappingFile.statuses(value, path: path)
            default:
                throw IngestionError.invalidSetting("\(path): unknown key \"\(key)\"; known keys: \((Array(columnKeys.keys) + ["delimiter", "time_format", "header", "exclude_status"]).sorted().joined(separator: ", "))")
            }
        }
        return m
    }
}

/// The layouts the toolkit knows by name.
public enum KnownLayout: String, CaseIterable, Sendable {
    /// `CDNOW_master.txt`: whitespace separated `customer_id date number_of_cds dollar_value`.
    case cdnow
    /// `CDNOW_sample.txt`: no header, `master_id sample_id date number_of_cds dollar_value`.
    case cdnowSample = "cdnow-sample"
    /// The generator's flat log `customer_id,product_id,timestamp,quantity,unit_price`.
    case transactions
    /// A folder with the generator's four shop tables (customers, products, orders, items).
    case shop

    /// The column mapping of a flat layout (nil for `shop`, which is several tables).
    public var mapping: ColumnMapping? {
        var m = ColumnMapping()
        switch self {
        case .cdnow:
            m.customer = .position(1); m.time = .position(2); m.quantity = .position(3); m.amount = .position(4)
            m.delimiter = .whitespace; m.timestampFormat = .compactDate
        case .cdnowSample:
            m.customer = .position(1); m.time = .position(3); m.quantity = .position(4); m.amount = .position(5)
            m.delimiter = .whitespace; m.timestampFormat = .compactDate; m.header = .absent
        case .transactions:
            m.customer = .name("customer_id"); m.time = .name("timestamp"); m.product = .name("product_id")
            m.quantity = .name("quantity"); m.price = .name("unit_price")
            m.delimiter = .comma; m.timestampFormat = .iso8601; m.header = .present
        case .shop:
            return nil
        }
        return m
    }
}
