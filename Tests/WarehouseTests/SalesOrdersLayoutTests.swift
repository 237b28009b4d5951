import Foundation
import GRDB
import Testing
@testable import Ingestion
@testable import Warehouse

@Suite("The sales-orders layout through a mapping file")
struct SalesOrdersLayoutTests {
    /// Rewrites a generated four-table shop as customers + sales + sales orders with other
    /// column names and a semicolon delimiter, and the mapping file that reads it.
    func convert(_ shop: String) throws -> (dir: String, mapping: String) {
        let dir = temporaryDirectory("converted")
        let customers = try csvLines(shop + "/customers.csv")
        try writeLines(["client;full_name;mail;telephone;address;town;region;postcode;since"]
                       + customers.dropFirst().map { $0.replacingOccurrences(of: ",", with: ";") }, to: dir + "/clients.csv")
        let products = try csvLines(shop + "/products.csv")
        try writeLines(["sku;title;group;list_price;availability"]
                       + products.dropFirst().enumerated().map { i, l in l.replacingOccurrences(of: ",", with: ";") + (i % 3 == 0 ? ";out of stock" : ";in stock") },
                       to: dir + "/sales.csv")
        var orders: [String: [Substring]] = [:]
        for l in try csvLines(shop + "/orders.csv").dropFirst() {
            let f = l.split(separator: ",", omittingEmptySubsequences: false)
            orders[String(f[0])] = f
        }
        var lines = ["order_no;client;sku;qty;price;ordered;state"]
        for l in try csvLines(shop + "/items.csv").dropFirst() {
            let f = l.split(separator: ",", omittingEmptySubsequences: false)
            let o = orders[String(f[0])]!
            lines.append([f[0], o[1], f[1], f[2], f[3], o[2], o[3]].joined(separator: ";"))
        }
        try writeLines(lines, to: dir + "/sales_orders.csv")
        let mapping = """
            { "layout": "sales-orders", "delimiter": ";",
              "tables": {
                "customers": { "file": "clients.csv", "columns": { "customer_id": "client", "name": "full_name", "email": "mail",
                  "phone": "telephone", "street": "address", "city": "town", "state": "region", "zip": "postcode", "signup_date": "since" } },
                "products": { "file": "sales.csv", "columns": { "product_id": "sku", "name": "title", "category": "group", "price": "list_price" } },
                "order_lines": { "columns": { "order_id": "order_no", "customer_id": "client", "product_id": "sku", "quantity": "qty",
                  "unit_price": "price", "timestamp": "ordered", "status": "state" } } } }
            """
        try mapping.write(toFile: dir + "/mapping.json", atomically: true, encoding: .utf8)
        return (dir, dir + "/mapping.json")
    }

    @Test func givesTheSameFactsAsTheFourTableLayout() throws {
        let shop = try generatedShop(clean: true)
        let (dir, mappingPath) = try convert(shop)
        let mapping = try ShopMapping.load(path: mappingPath)
        #expect(mapping.layout == .salesOrders && mapping.tables["order_lines"]!.file == "sales_orders.csv")
        let converted = try readShop(dir, mapping: mapping)
        #expect(converted.layout == "sales-orders" && converted.rejects.isEmpty)
        #expect(converted.tableQuality.map(\.table) == ["customers", "products", "order_lines"])

        let a = try ShopWarehouse(path: temporaryDirectory() + "/a.sqlite"), b = try ShopWarehouse(path: temporaryDirectory() + "/b.sqlite")
        _ = try WarehouseLoader(warehouse: a).load(try readShop(shop))
        _ = try WarehouseLoader(warehouse: b).load(converted)
        for table in ["dim_customer", "dim_date", "fct_orders", "fct_order_lines"] {
            #expect(try TableChecksum.of(table, in: a) == TableChecksum.of(table, in: b), "\(table)")
        }
        #expect(try scalar(b, "SELECT count(*) FROM dim_product WHERE availability = 'out of stock'") > 0)
        #expect(try DataCheck.run(WarehouseChecks.all, in: b).allSatisfy(\.passed))
    }

    /// Lines that disagree on their order's header are rejected; a line without a price takes
    /// its product's; a line whose product has no price either is rejected.
    @Test func orderConflictsAndMissingPrices() throws {
        let dir = temporaryDirectory()
        try writeLines(["customer_id,name,email,phone,street,city,state,zip,signup_date",
                        "c1,Ann,ann@example.com,,,,TX,,2019-01-01", "c2,Bob,,555,,,CA,,2019-01-01"], to: dir + "/customers.csv")
        try writeLines(["product_id,name,category,price,availability", "p1,Tea,Food,4.50,in stock", "p2,Cup,Home,,in stock"],
                       to: dir + "/sales.csv")
        try writeLines(["order_id,customer_id,product_id,quantity,unit_price,timestamp,status",
                        "o1,c1,p1,2,,2019-03-01T10:00:00,completed",      // price from the sales table
                        "o1,c2,p2,1,3.00,2019-03-01T10:00:00,completed",  // another customer: conflict
                        "o2,c2,p2,1,,2019-03-02T10:00:00,completed",      // no price anywhere
                        "o3,c2,p1,1,5.00,2019-03-03T10:00:00,cancelled",
                        "o4,c9,p1,1,5.00,2019-03-03T10:00:00,completed"], to: dir + "/sales_orders.csv")
        let shop = try readShop(dir, mapping: ShopMapping(layout: .salesOrders))
        let lines = shop.tableQuality[2]
        #expect(lines.rowsRead == 5 && lines.rowsAccepted == 2 && lines.rowsRejected == 3)
        #expect(Set(shop.rejects.map(\.category)) == ["order conflict", "no unit price", "orphan"])
        #expect(shop.rejects.first { $0.category == "order conflict" }!.reason.contains("line 2"))
        #expect(shop.orders.id == ["o1", "o3"] && shop.lines.unitPrice == [4.5, 5.0])
        #expect(shop.excludedOrders() == [false, true])
    }

    @Test func mappingErrorsNameTheProblem() throws {
        let dir = temporaryDirectory()
        func load(_ json: String) -> String {
            try! json.write(toFile: dir + "/m.json", atomically: true, encoding: .utf8)
            do { _ = try ShopMapping.load(path: dir + "/m.json"); return "" } catch { return "\(error)" }
        }
        #expect(load(#"{"layout": "erp"}"#).contains("\"layout\" must be one of shop, sales-orders"))
        #expect(load(#"{"tables": {"order_lines": {}}}"#).contains("unknown table \"order_lines\" for layout shop"))
        #expect(load(#"{"tables": {"orders": {"columns": {"when": "ts"}}}}"#).contains("unknown field \"when\" in table orders"))
        #expect(load(#"{"colour": 1}"#).contains("unknown key \"colour\""))
        #expect(load("[1]").contains("expected a JSON object"))
        let m = try ShopMapping.load(path: { try! #"{"tables": {"orders": {"columns": {"customer_id": null}}}}"#.write(toFile: dir + "/n.json", atomically: true, encoding: .utf8); return dir + "/n.json" }())
        #expect(throws: IngestionError.invalidSetting("orders.customer_id is required and cannot be mapped to null")) {
            _ = try ShopIngest.readTables(directory: dir, mapping: m)
        }
    }
}
