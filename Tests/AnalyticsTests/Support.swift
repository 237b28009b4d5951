import Foundation
@testable import Analytics
import Core
@testable import Ingestion
import SyntheticShop
@testable import Warehouse

/// A fresh temporary folder for one test.
func temporaryDirectory(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "analytics-tests-\(safe)-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

let asOf2019 = QualityRules(asOfDay: CivilDate(year: 2019, month: 12, day: 31).dayNumber)

/// A four-customer shop with answers worked out by hand (see the tests):
/// c1 buys three times in January (two orders on the 7th), c2 cancels in January and buys
/// in February, c3 has no email or phone, c4 never buys.
func tinyShop() throws -> String {
    let dir = temporaryDirectory()
    let files = [
        "customers.csv": """
            customer_id,name,email,phone,street,city,state,zip,signup_date
            c1,Ann Lee,ann@example.com,,1 Main St,Austin,TX,78701,2019-01-01
            c2,Bob Ray,,555-0100,,Boston,MA,,2019-01-01
            c3,Cid Orr,,,,,ZZ,,2019-01-01
            c4,Dee Fox,dee@example.com,,,,,,2019-01-01
            """,
        "products.csv": "product_id,name,category,price\np1,Tea,Food,4.00\np2,Mug,Home,10.00",
        "orders.csv": """
            order_id,customer_id,timestamp,status
            o1,c1,2019-01-07T10:00:00,completed
            o2,c1,2019-01-07T18:00:00,completed
            o3,c1,2019-01-10T09:00:00,completed
            o4,c2,2019-01-13T12:00:00,cancelled
            o5,c2,2019-02-01T12:00:00,completed
            o6,c3,2019-02-01T13:00:00,completed
            """,
        "items.csv": """
            order_id,product_id,quantity,unit_price
            o1,p1,2,4.00
            o1,p2,1,10.00
            o2,p1,1,4.00
            o3,p2,2,9.00
            o4,p2,1,10.00
            o5,p1,3,4.00
            o6,p2,1,10.00
            """,
    ]
    for (name, text) in files { try (text + "\n").write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
    return dir
}

/// A warehouse loaded with `dir`'s shop.
func loadedWarehouse(_ dir: String, caller: String = #function) throws -> ShopWarehouse {
    let w = try ShopWarehouse(path: temporaryDirectory(caller) + "/w.sqlite")
    _ = try WarehouseLoader(warehouse: w).load(try ShopIngest.readTables(directory: dir, rules: asOf2019, threads: 1))
    return w
}

/// A generated shop of 400 customers with the generator's defects.
func generatedShop(caller: String = #function) throws -> String {
    var config = ShopGeneratorConfig()
    config.customers = 400
    config.products = 60
    let dir = temporaryDirectory(caller)
    _ = try ShopGenerator(config: config).write(to: dir)
    return dir
}
