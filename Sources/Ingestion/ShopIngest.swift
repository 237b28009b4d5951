import Core
/// Reads a shop's tables in one of the two layouts of ``ShopMapping``. The generator's
/// four-table layout, with its default file and column names:
///
///     customers.csv  customer_id,name,email,phone,street,city,state,zip,signup_date
///     products.csv   product_id,name,category,price
///     orders.csv     order_id,customer_id,timestamp,status
///     items.csv      order_id,product_id,quantity,unit_price
///
/// Each table gets the row checks of ``TableReader``; then referential checks, in this
/// order, each rejecting the row with a reason: duplicate keys (the first row with a key
/// wins), orders whose customer is not in customers.csv, items whose order is not an
/// accepted order, items whose product is not in products.csv. The sales-orders layout
/// (customers, a sales table, a sales-orders table with one row per order line) gets the same
/// checks, and its lines must agree on their order's customer, time and status.
/// Orders whose status is excluded (cancelled by default) are kept, with their status; they
/// are counted, not rejected, and stay out of revenue and the transaction log.
public enum ShopIngest {
    /// Reads the tables and assembles the transaction log and the quality report.
    public static func read(directory: String, mapping: ShopMapping = ShopMapping(), rules: QualityRules = QualityRules(),
                            policy: BadRowPolicy = .reject, excludedStatuses: [String]? = nil,
                            threads: Int = defaultThreadCount) throws -> IngestResult {
        try readTables(directory: directory, mapping: mapping, rules: rules, policy: policy,
                       excludedStatuses: excludedStatuses, threads: threads).ingestResult(rules: rules)
    }

    /// Reads and checks the tables (the warehouse loads this).
    public static func readTables(directory: String, mapping: ShopMapping = ShopMapping(), rules: QualityRules = QualityRules(),
                                  policy: BadRowPolicy = .reject, excludedStatuses: [String]? = nil,
                                  threads: Int = defaultThreadCount) throws -> ShopTables {
        var reader = ShopTableReader(directory: directory, mapping: mapping, rules: rules, policy: policy, threads: threads)
        if let excludedStatuses { reader.mapping.excludedStatuses = excludedStatuses }
        // Every table's schema first, so a bad mapping fails before any file is read.
        for table in ShopMapping.tableNames(mapping.layout) { _ = try reader.schema(table) }
        switch mapping.layout {
        case .shop: return try reader.readFourTables()
        case .salesOrders: return try reader.readSalesOrders()
        }
    }
}

/// The reading and checking behind ``ShopIngest``.
struct ShopTableReader {
    let directory: String
    var mapping: ShopMapping
    let rules: QualityRules
    let policy: BadRowPolicy
    let threads: Int

    init(directory: String, mapping: ShopMapping, rules: QualityRules, policy: BadRowPolicy, threads: Int) {
        self.directory = directory
        self.mapping = mapping
        self.rules = rules
        self.policy = policy
        self.threads = threads
    }

    /// The schema of one table: canonical fields, their kinds and rules, the mapped columns.
    func schema(_ table: String) throws -> TableSchema {
        let spec = mapping.tables[table]!
        func field(_ name: String, _ kind: FieldKind, required: Bool = false, negative: ValueRule = .allow,
                   zero: ValueRule = .allow, future: Bool = false) throws -> FieldSpec {
            let source = spec.source(name)
            if source == nil, required {
                throw IngestionError.invalidSetting("\(table).\(name) is required and cannot be mapped to null")
            }
            return FieldSpec(name, kind, source: source, required: required, negative: negative, zero: zero,
                             futureFrom: future ? rules.futureFrom : nil, future: future ? rules.futureTimestamps : .allow)
        }
        let fields: [FieldSpec]
        var format = mapping.timestampFormat
        switch table {
        case "customers":
            fields = try [field("customer_id", .key, required: true)]
                + ["name", "email", "phone", "street", "city", "state", "zip"].map { try field($0, .text) }
                + [field("signup_date", .timestamp)]
            format = format ?? .iso8601
        case "products":
            fields = try [field("product_id", .key, required: true), field("name", .text), field("category", .category),
                          field("price", .number, negative: rules.negativeAmount, zero: rules.zeroAmount), field("availability", .text)]
        case "orders":
            fields = try [field("order_id", .key, required: true), field("customer_id", .key, required: true),
                          field("timestamp", .timestamp, required: true, future: true), field("status", .category)]
        case "items":
            fields = try [field("order_id", .key, required: true), field("product_id", .key, required: true),
                          field("quantity", .number, required: true, negative: rules.negativeQuantity, zero: rules.zeroQuantity),
                          field("unit_price", .number, required: true, negative: rules.negativeAmount, zero: rules.zeroAmount)]
        default:  // order_lines
            fields = try [field("order_id", .key, required: true), field("customer_id", .key, required: true),
                          field("product_id", .key, required: true),
                          field("quantity", .number, required: true, negative: rules.negativeQuantity, zero: rules.zeroQuantity),
                          field("unit_price", .number, negative: rules.negativeAmount, zero: rules.zeroAmount),
                          field("timestamp", .timestamp, required: true, future: true), field("status", .category)]
        }
        return TableSchema(table: table, fields: fields.filter { $0.source != nil }, delimiter: mapping.delimiter ?? .comma,
                           timestampFormat: format, header: .present, keepLineNumbers: true)
    }

    func load(_ table: String) throws -> ParsedTable {
        try TableReader(schema: try schema(table), policy: policy, threads: threads)
            .read(path: directory + "/" + mapping.tables[table]!.file)
    }

    func fileName(_ table: String) -> String { mapping.tables[table]!.file }

    /// customers, products, orders, items.
    func readFourTables() throws -> ShopTables {
        var customers = try load("customers")
        var products = try load("products")
        var orders = try load("orders")
        var items = try load("items")

        var referential = ReferentialChecks(policy: policy)
        let customerDuplicates = try referential.rejectDuplicateKeys(&customers, key: "customer_id")
        let productDuplicates = try referential.rejectDuplicateKeys(&products, key: "product_id")
        let orderDuplicates = try referential.rejectDuplicateKeys(&orders, key: "order_id")
        // Items: the key is (order, product).
        let itemDuplicates = try referential.rejectDuplicateKeys(&items, key: "order_id", and: "product_id")

        let customerRow = customers.rowOfCode("customer_id", from: orders, "customer_id")
        let orderCustomers = orders.codes["customer_id"]!
        let orderOrphans = try referential.rejectOrphans(&orders, label: "order without a known customer", file: fileName("customers")) {
            customerRow[Int(orderCustomers[$0])] >= 0
        }
        let orderRow = orders.rowOfCode("order_id", from: items, "order_id")
        let itemOrders = items.codes["order_id"]!
        let itemOrphans = try referential.rejectOrphans(&items, label: "item without an order", file: fileName("orders")) {
            orderRow[Int(itemOrders[$0])] >= 0
        }
        let productRow = products.rowOfCode("product_id", from: items, "product_id")
        let itemProducts = items.codes["product_id"]!
        let productOrphans = try referential.rejectOrphans(&items, label: "item with an unknown product", file: fileName("products")) {
            productRow[Int(itemProducts[$0])] >= 0
        }

        var tables = ShopTables(source: directory, layout: "shop", excludedStatuses: mapping.excludedStatuses)
        tables.customers = .init(customers)
        tables.products = .init(products)
        let statuses = orders.keys("status")
        let orderIDs = orders.keys("order_id")
        tables.orders.id = orders.codes["order_id"]!.map { orderIDs[Int($0)] }
        tables.orders.customer = orders.codes["customer_id"]!.map { customerRow[Int($0)] }
        tables.orders.seconds = orders.times["timestamp"]!
        tables.orders.status = orders.codes["status"].map { $0.map { $0 < 0 ? "" : statuses[Int($0)] } }
            ?? [String](repeating: "", count: orders.rowCount)
        tables.lines.order = items.codes["order_id"]!.map { orderRow[Int($0)] }
        tables.lines.product = items.codes["product_id"]!.map { productRow[Int($0)] }
        tables.lines.quantity = items.numbers["quantity"]!
        tables.lines.unitPrice = items.numbers["unit_price"]!

        tables.tableQuality = [
            TableQuality(customers, duplicateRows: customerDuplicates.exact, duplicateKeys: customerDuplicates.keys),
            TableQuality(products, duplicateRows: productDuplicates.exact, duplicateKeys: productDuplicates.keys),
            TableQuality(orders, duplicateRows: orderDuplicates.exact, duplicateKeys: orderDuplicates.keys,
                         orphans: orderOrphans > 0 ? [LabelCount(label: "order without a known customer", count: orderOrphans)] : []),
            TableQuality(items, duplicateRows: itemDuplicates.exact, duplicateKeys: itemDuplicates.keys,
                         orphans: [LabelCount(label: "item without an order", count: itemOrphans),
                                   LabelCount(label: "item with an unknown product", count: productOrphans)].filter { $0.count > 0 }),
        ]
        tables.rejects = customers.rejects + products.rejects + orders.rejects + items.rejects
        return tables
    }

    /// customers, products (a sales table) and order_lines (a sales-orders table).
    func readSalesOrders() throws -> ShopTables {
        var customers = try load("customers")
        var products = try load("products")
        var lines = try load("order_lines")

        var referential = ReferentialChecks(policy: policy)
        let customerDuplicates = try referential.rejectDuplicateKeys(&customers, key: "customer_id")
        let productDuplicates = try referential.rejectDuplicateKeys(&products, key: "product_id")
        let lineDuplicates = try referential.rejectDuplicateKeys(&lines, key: "order_id", and: "product_id")

        // Every line of an order repeats the order's customer, time and status: the first line
        // of an order sets them, and a line that disagrees is rejected.
        let orderCodes = lines.codes["order_id"]!, lineCustomers = lines.codes["customer_id"]!
        let lineTimes = lines.times["timestamp"]!
        let lineStatus = lines.codes["status"] ?? [Int32](repeating: -1, count: lines.rowCount)
        var firstRow = [Int32](repeating: -1, count: lines.keys("order_id").count)
        let lineNumbers = lines.lineNumbers
        _ = try referential.rejectRows(&lines, category: "order conflict") { row in
            let o = Int(orderCodes[row])
            let f = Int(firstRow[o])
            if f < 0 { firstRow[o] = Int32(row); return nil }
            if lineCustomers[row] == lineCustomers[f], lineTimes[row] == lineTimes[f], lineStatus[row] == lineStatus[f] { return nil }
            return "this line's customer, time or status differs from the first line of its order (line \(lineNumbers[f]))"
        }

        let customerRow = customers.rowOfCode("customer_id", from: lines, "customer_id")
        let productRow = products.rowOfCode("product_id", from: lines, "product_id")
        let lineCustomerCodes = lines.codes["customer_id"]!
        let customerOrphans = try referential.rejectOrphans(&lines, label: "order line without a known customer", file: fileName("customers")) {
            customerRow[Int(lineCustomerCodes[$0])] >= 0
        }
        let lineProductCodes = lines.codes["product_id"]!
        let productOrphans = try referential.rejectOrphans(&lines, label: "order line with an unknown product", file: fileName("products")) {
            productRow[Int(lineProductCodes[$0])] >= 0
        }
        // A line without a unit price takes its product's price from the sales table.
        let productPrice = products.numbers["price"] ?? [Double](repeating: .nan, count: products.rowCount)
        let linePrice = lines.numbers["unit_price"] ?? [Double](repeating: .nan, count: lines.rowCount)
        let lineProducts = lines.codes["product_id"]!
        _ = try referential.rejectRows(&lines, category: "no unit price") { row in
            linePrice[row].isNaN && productPrice[Int(productRow[Int(lineProducts[row])])].isNaN
                ? "the line has no unit price and its product has no price in \(fileName("products"))" : nil
        }

        var tables = ShopTables(source: directory, layout: "sales-orders", excludedStatuses: mapping.excludedStatuses)
        tables.customers = .init(customers)
        tables.products = .init(products)
        let orderIDs = lines.keys("order_id"), statuses = lines.keys("status")
        var orderRow = [Int32](repeating: -1, count: orderIDs.count)
        let codes = lines.codes["order_id"]!, customersOfLines = lines.codes["customer_id"]!, times = lines.times["timestamp"]!
        let status = lines.codes["status"], prices = lines.numbers["unit_price"]
        let productCodes = lines.codes["product_id"]!, quantity = lines.numbers["quantity"]!
        for row in 0..<lines.rowCount {
            let o = Int(codes[row])
            if orderRow[o] < 0 {
                orderRow[o] = Int32(tables.orders.count)
                tables.orders.id.append(orderIDs[o])
                tables.orders.customer.append(customerRow[Int(customersOfLines[row])])
                tables.orders.seconds.append(times[row])
                tables.orders.status.append(status.map { $0[row] < 0 ? "" : statuses[Int($0[row])] } ?? "")
            }
            let p = productRow[Int(productCodes[row])]
            tables.lines.order.append(orderRow[o])
            tables.lines.product.append(p)
            tables.lines.quantity.append(quantity[row])
            let price = prices?[row] ?? .nan
            tables.lines.unitPrice.append(price.isNaN ? productPrice[Int(p)] : price)
        }

        let lineOrphans = [LabelCount(label: "order line without a known customer", count: customerOrphans),
                           LabelCount(label: "order line with an unknown product", count: productOrphans)].filter { $0.count > 0 }
        var lineQuality = TableQuality(lines, duplicateRows: lineDuplicates.exact, duplicateKeys: lineDuplicates.keys, orphans: lineOrphans)
        lineQuality.table = "order_lines"
        tables.tableQuality = [
            TableQuality(customers, duplicateRows: customerDuplicates.exact, duplicateKeys: customerDuplicates.keys),
            TableQuality(products, duplicateRows: productDuplicates.exact, duplicateKeys: productDuplicates.keys),
            lineQuality,
        ]
        tables.rejects = customers.rejects + products.rejects + lines.rejects
        return tables
    }
}

extension ShopTables.Customers {
    init(_ t: ParsedTable) {
        let ids = t.keys("customer_id")
        id = t.codes["customer_id"]!.map { ids[Int($0)] }
        let empty = [String](repeating: "", count: t.rowCount)
        name = t.texts["name"] ?? empty
        email = t.texts["email"] ?? empty
        phone = t.texts["phone"] ?? empty
        street = t.texts["street"] ?? empty
        city = t.texts["city"] ?? empty
        state = t.texts["state"] ?? empty
        zip = t.texts["zip"] ?? empty
        signupSeconds = t.times["signup_date"] ?? [Int64](repeating: .min, count: t.rowCount)
    }
}

extension ShopTables.Products {
    init(_ t: ParsedTable) {
        let ids = t.keys("product_id"), categories = t.keys("category")
        id = t.codes["product_id"]!.map { ids[Int($0)] }
        let empty = [String](repeating: "", count: t.rowCount)
        name = t.texts["name"] ?? empty
        category = t.codes["category"].map { $0.map { $0 < 0 ? "" : categories[Int($0)] } } ?? empty
        availability = t.texts["availability"] ?? empty
        price = t.numbers["price"] ?? [Double](repeating: .nan, count: t.rowCount)
    }
}

extension ParsedTable {
    /// For each code of `other`'s key field `otherField`, the accepted row of `self` whose
    /// `field` holds the same key, or -1.
    func rowOfCode(_ field: String, from other: ParsedTable, _ otherField: String) -> [Int32] {
        var rowOfOwnCode = [Int32](repeating: -1, count: keys(field).count)
        for (row, code) in codes[field]!.enumerated() { rowOfOwnCode[Int(code)] = Int32(row) }
        return other.dictionaries[otherField]!.translate(to: dictionaries[field]!).map { $0 < 0 ? -1 : rowOfOwnCode[Int($0)] }
    }
}
