/// Reads the four-table shop layout (the generator's, and a common shop export):
///
///     customers.csv  customer_id,name,email,phone,street,city,state,zip,signup_date
///     products.csv   product_id,name,category,price
///     orders.csv     order_id,customer_id,timestamp,status
///     items.csv      order_id,product_id,quantity,unit_price
///
/// Each table gets the row checks of ``TableReader``; then referential checks, in this
/// order, each rejecting the row with a reason: duplicate keys (the first row with a key
/// wins), orders whose customer is not in customers.csv, items whose order is not an
/// accepted order, items whose product is not in products.csv. The log has one row per item
/// of an order whose status is not excluded (cancelled orders are counted, not rejected).
public enum ShopIngest {
    public static let customersSchema = TableSchema(table: "customers", fields: [
        FieldSpec("customer_id", .key, source: .name("customer_id")),
        FieldSpec("name", .text, source: .name("name"), required: false),
        FieldSpec("email", .text, source: .name("email"), required: false),
        FieldSpec("phone", .text, source: .name("phone"), required: false),
        FieldSpec("street", .text, source: .name("street"), required: false),
        FieldSpec("city", .text, source: .name("city"), required: false),
        FieldSpec("state", .text, source: .name("state"), required: false),
        FieldSpec("zip", .text, source: .name("zip"), required: false),
        FieldSpec("signup_date", .timestamp, source: .name("signup_date"), required: false),
    ], delimiter: .comma, timestampFormat: .iso8601, header: .present, keepLineNumbers: true)

    static func productsSchema(_ rules: QualityRules) -> TableSchema {
        TableSchema(table: "products", fields: [
            FieldSpec("product_id", .key, source: .name("product_id")),
            FieldSpec("name", .text, source: .name("name"), required: false),
            FieldSpec("category", .category, source: .name("category"), required: false),
            FieldSpec("price", .number, source: .name("price"), required: false, negative: rules.negativeAmount, zero: rules.zeroAmount),
        ], delimiter: .comma, header: .present, keepLineNumbers: true)
    }

    static func ordersSchema(_ rules: QualityRules) -> TableSchema {
        TableSchema(table: "orders", fields: [
            FieldSpec("order_id", .key, source: .name("order_id")),
            FieldSpec("customer_id", .key, source: .name("customer_id")),
            FieldSpec("timestamp", .timestamp, source: .name("timestamp"), futureFrom: rules.futureFrom, future: rules.futureTimestamps),
            FieldSpec("status", .category, source: .name("status"), required: false),
        ], delimiter: .comma, header: .present, keepLineNumbers: true)
    }

    static func itemsSchema(_ rules: QualityRules) -> TableSchema {
        TableSchema(table: "items", fields: [
            FieldSpec("order_id", .key, source: .name("order_id")),
            FieldSpec("product_id", .key, source: .name("product_id")),
            FieldSpec("quantity", .number, source: .name("quantity"), negative: rules.negativeQuantity, zero: rules.zeroQuantity),
            FieldSpec("unit_price", .number, source: .name("unit_price"), negative: rules.negativeAmount, zero: rules.zeroAmount),
        ], delimiter: .comma, header: .present, keepLineNumbers: true)
    }

    /// Reads `directory`'s four tables and assembles the transaction log.
    public static func read(directory: String, rules: QualityRules = QualityRules(), policy: BadRowPolicy = .reject,
                            excludedStatuses: [String] = ["cancelled", "canceled"],
                            threads: Int = defaultThreadCount) throws -> IngestResult {
        func load(_ schema: TableSchema, _ file: String) throws -> ParsedTable {
            try TableReader(schema: schema, policy: policy, threads: threads).read(path: directory + "/" + file)
        }
        var customers = try load(customersSchema, "customers.csv")
        var products = try load(productsSchema(rules), "products.csv")
        var orders = try load(ordersSchema(rules), "orders.csv")
        var items = try load(itemsSchema(rules), "items.csv")

        var referential = ReferentialChecks(policy: policy)
        let customerDuplicates = try referential.rejectDuplicateKeys(&customers, key: "customer_id")
        let productDuplicates = try referential.rejectDuplicateKeys(&products, key: "product_id")
        let orderDuplicates = try referential.rejectDuplicateKeys(&orders, key: "order_id")
        // Items: the key is (order, product).
        let itemDuplicates = try referential.rejectDuplicateKeys(&items, key: "order_id", and: "product_id")

        let customerOfOrder = orders.dictionaries["customer_id"]!.translate(to: customers.dictionaries["customer_id"]!)
        let acceptedCustomers = customers.acceptedKeys("customer_id")
        let orderCustomers = orders.codes["customer_id"]!
        let orderOrphans = try referential.rejectOrphans(&orders, label: "order without a known customer", file: "customers.csv") { row in
            let c = customerOfOrder[Int(orderCustomers[row])]
            return c >= 0 && acceptedCustomers.contains(c)
        }
        // Map each item's order key to the accepted order row that carries it.
        var rowOfOrder = [Int32](repeating: -1, count: orders.dictionaries["order_id"]!.keys.count)
        for (row, code) in orders.codes["order_id"]!.enumerated() { rowOfOrder[Int(code)] = Int32(row) }
        let itemOrderToOrders = items.dictionaries["order_id"]!.translate(to: orders.dictionaries["order_id"]!)
        let itemProductToProducts = items.dictionaries["product_id"]!.translate(to: products.dictionaries["product_id"]!)
        let acceptedProducts = products.acceptedKeys("product_id")
        let itemOrders = items.codes["order_id"]!
        let itemOrphans = try referential.rejectOrphans(&items, label: "item without an order", file: "orders.csv") { row in
            let o = itemOrderToOrders[Int(itemOrders[row])]
            return o >= 0 && rowOfOrder[Int(o)] >= 0
        }
        let itemProducts = items.codes["product_id"]!
        let productOrphans = try referential.rejectOrphans(&items, label: "item with an unknown product", file: "products.csv") { row in
            let p = itemProductToProducts[Int(itemProducts[row])]
            return p >= 0 && acceptedProducts.contains(p)
        }

        // Assemble the log rows from items joined to their orders.
        let statusKeys = orders.keys("status")
        let excludedCodes = Set(statusKeys.indices.filter { i in
            excludedStatuses.contains { $0.lowercased() == statusKeys[i].lowercased() }
        }.map(Int32.init))
        let orderCodes = items.codes["order_id"]!
        let productCodes = items.codes["product_id"]!
        let quantity = items.numbers["quantity"]!
        let price = items.numbers["unit_price"]!
        let orderCustomer = orders.codes["customer_id"]!
        let orderTime = orders.times["timestamp"]!
        let orderStatus = orders.codes["status"]!
        var rows = UngroupedTransactions(customer: [], customerIDs: customers.keys("customer_id"), seconds: [])
        rows.productIDs = products.keys("product_id")
        var excluded = 0
        for i in 0..<items.rowCount {
            let orderRow = Int(rowOfOrder[Int(itemOrderToOrders[Int(orderCodes[i])])])
            if excludedCodes.contains(orderStatus[orderRow]) { excluded += 1; continue }
            rows.customer.append(customerOfOrder[Int(orderCustomer[orderRow])])
            rows.seconds.append(orderTime[orderRow])
            rows.product.append(itemProductToProducts[Int(productCodes[i])])
            rows.quantity.append(quantity[i])
            rows.amount.append(quantity[i] * price[i])
            rows.order.append(Int32(orderRow))
        }
        let grouping = TransactionLog.grouping(rows)

        let tables = [
            TableQuality(customers, duplicateRows: customerDuplicates.exact, duplicateKeys: customerDuplicates.keys),
            TableQuality(products, duplicateRows: productDuplicates.exact, duplicateKeys: productDuplicates.keys),
            TableQuality(orders, duplicateRows: orderDuplicates.exact, duplicateKeys: orderDuplicates.keys,
                         orphans: orderOrphans > 0 ? [LabelCount(label: "order without a known customer", count: orderOrphans)] : []),
            TableQuality(items, duplicateRows: itemDuplicates.exact, duplicateKeys: itemDuplicates.keys,
                         orphans: [LabelCount(label: "item without an order", count: itemOrphans),
                                   LabelCount(label: "item with an unknown product", count: productOrphans)].filter { $0.count > 0 }),
        ]
        let report = QualityReport(source: directory, layout: "shop", tables: tables,
                                   log: .assess(grouping.log, excludedByStatus: excluded, rules: rules),
                                   rules: rules.descriptions)
        let rejects = customers.rejects + products.rejects + orders.rejects + items.rejects
        return IngestResult(log: grouping.log, rejects: rejects, report: report)
    }
}

/// Duplicate-key and orphan checks that reject rows of an already parsed table.
struct ReferentialChecks {
    let policy: BadRowPolicy

    /// Rejects every row whose key (one or two key fields) was seen on an earlier row.
    /// Returns how many keys were duplicated and how many of those rows were exact copies.
    mutating func rejectDuplicateKeys(_ t: inout ParsedTable, key: String, and second: String? = nil) throws -> (keys: Int, exact: Int) {
        let a = t.codes[key]!
        let b = second.map { t.codes[$0]! }
        var firstRow: [Int64: Int] = [:]
        var keep = [Bool](repeating: true, count: t.rowCount)
        var rejects: [(Int, Int)] = []  // (row, first row)
        for i in 0..<t.rowCount {
            let k = Int64(a[i]) << 32 | Int64(UInt32(bitPattern: b?[i] ?? 0))
            if let f = firstRow[k] { keep[i] = false; rejects.append((i, f)) } else { firstRow[k] = i }
        }
        guard !rejects.isEmpty else { return (0, 0) }
        var exact = 0
        for (row, first) in rejects where t.rowsEqual(row, first) { exact += 1 }
        let name = second.map { "(\(key), \($0))" } ?? key
        let keysA = t.keys(key)
        let keysB = second.map { t.keys($0) } ?? []
        let lines = t.lineNumbers
        let described = rejects.map { r in
            let text = keysA[Int(a[r.0])] + (b.map { ", " + keysB[Int($0[r.0])] } ?? "")
            return (r.0, "duplicate key", "duplicate \(name) \(text); first seen on line \(lines[r.1])")
        }
        try reject(&t, keep: keep, rows: described)
        return (rejects.count, exact)
    }

    /// Rejects the rows for which `isValid` is false; returns how many.
    mutating func rejectOrphans(_ t: inout ParsedTable, label: String, file: String, isValid: (Int) -> Bool) throws -> Int {
        var keep = [Bool](repeating: true, count: t.rowCount)
        var bad: [(Int, String, String)] = []
        for i in 0..<t.rowCount where !isValid(i) {
            keep[i] = false
            bad.append((i, "orphan", "\(label): its reference is not among the accepted rows of \(file)"))
        }
        if !bad.isEmpty { try reject(&t, keep: keep, rows: bad) }
        return bad.count
    }

    private func reject(_ t: inout ParsedTable, keep: [Bool], rows: [(Int, String, String)]) throws {
        let lines = rows.map { Int(t.lineNumbers[$0.0]) }
        let raw = try MappedFile(path: t.path).lines(Set(lines))
        let more = zip(rows, lines).map { r, line in
            RejectedRow(table: t.schema.table, line: line, column: 1, field: nil, category: r.1, reason: r.2, raw: raw[line] ?? "")
        }
        if policy == .fail, let first = more.min(by: { $0.line < $1.line }) {
            throw IngestionError.badRow(path: t.path, line: first.line, column: 1, field: nil, reason: first.reason)
        }
        t.filterRows(keep)
        t.addRejects(more)
    }
}

extension ParsedTable {
    /// The codes of a key field that occur in accepted rows.
    func acceptedKeys(_ field: String) -> Set<Int32> { Set(codes[field] ?? []) }

    /// True when two accepted rows hold the same typed values in every field.
    func rowsEqual(_ i: Int, _ j: Int) -> Bool {
        codes.values.allSatisfy { $0[i] == $0[j] } && times.values.allSatisfy { $0[i] == $0[j] }
            && numbers.values.allSatisfy { $0[i] == $0[j] || ($0[i].isNaN && $0[j].isNaN) }
            && texts.values.allSatisfy { $0[i] == $0[j] }
    }
}

extension KeyDictionary {
    /// For each code of `self`, the code of the same key in `other`, or -1.
    func translate(to other: KeyDictionary) -> [Int32] {
        (0..<interner.count).map { c in interner.withKey(c) { p, n in other.interner.lookup(p, n) ?? -1 } }
    }
}
