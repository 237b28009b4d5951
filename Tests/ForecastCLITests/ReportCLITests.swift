import Foundation
import Testing
import TestSupport

@Suite("forecast report, top-products and notebook")
struct ReportCLITests {
    /// A generated shop of 300 customers, shared by the tests (written once).
    static let shop: String = {
        let dir = scratch("reportshop")
        _ = try! forecast(["generate", "--out", dir, "--customers", "300", "--products", "30", "--clean", "-q"])
        return dir + "/transactions.csv"
    }()
    let data = ["--data", ReportCLITests.shop, "--layout", "transactions", "--as-of", "2019-12-31"]

    @Test func reportWritesEveryChartAndAnIndex() throws {
        let out = scratch()
        let r = try forecast(["report"] + data + ["--out", out, "--models", "hist_rate,glm", "--backtest-months", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains("index.html"))
        let svgs = files.filter { $0.hasSuffix(".svg") }
        #expect(svgs.count >= 17)
        for f in svgs { #expect(parseSVG(try String(contentsOfFile: out + "/" + f, encoding: .utf8)).ok, "\(f)") }
        let index = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        for f in svgs { #expect(index.contains("src=\"\(f)\"")) }
        #expect(r.stderr.contains("rows read ="))
    }

    @Test func oneChartAtATime() throws {
        let out = scratch()
        let product = try forecast(["report", "product"] + data + ["--out", out, "--product", "P00001", "--year", "2018"])
        #expect(product.status == 0, "\(product.stderr)")
        let svg = try String(contentsOfFile: out + "/product-P00001-2018.svg", encoding: .utf8)
        let parsed = parseSVG(svg)
        #expect(parsed.ok && parsed.texts.contains { $0.hasPrefix("Product P00001") })
        #expect(parsed.count("rect") >= 12)  // a bar (possibly of height 0) for every month
        let ranking = try forecast(["report", "ranking"] + data + ["--out", out, "--linear"])
        #expect(ranking.status == 0 && ranking.stdout.contains("ranking.svg"))
    }

    @Test func clearErrorsForAnUnknownProductOrYear() throws {
        let out = scratch()
        let unknown = try forecast(["report", "product"] + data + ["--out", out, "--product", "NOPE", "--year", "2018"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("product 'NOPE' does not occur in the data"))
        let year = try forecast(["report", "product"] + data + ["--out", out, "--product", "P00001", "--year", "2030"])
        #expect(year.status != 0)
        #expect(year.stderr.contains("year 2030 is outside the data, which cover 2017 to 2019"))
    }

    @Test func topProductsAsTextJSONAndCSV() throws {
        let base = ["top-products", "--data", ReportCLITests.shop, "--layout", "transactions", "--as-of", "2019-06-30", "--months", "6", "--top", "3"]
        let text = try forecast(base)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Top 3 products by transactions, 2019-01-01 to 2019-06-30 (6 months)"))
        let csv = try forecast(base + ["--format", "csv", "--by", "revenue"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "rank,product,transactions,revenue,share")
        #expect(lines.count == 4)
        let revenues = lines.dropFirst().map { Double($0.split(separator: ",")[3])! }
        #expect(revenues == revenues.sorted(by: >))
        let chart = scratch() + "/top.svg"
        let j = try forecast(base + ["--format", "json", "--chart", chart])
        let object = json(j.stdout)
        #expect((object["ranking"] as? [String: Any])?["as_of"] as? String == "2019-06-30")
        #expect(((object["ranking"] as? [String: Any])?["entries"] as? [Any])?.count == 3)
        #expect(parseSVG(try String(contentsOfFile: chart, encoding: .utf8)).ok)
        let bad = try forecast(base + ["--by", "profit"])
        #expect(bad.status != 0)
    }

    @Test func notebookWritesMarkdownAndSelfContainedHTML() throws {
        let out = scratch(), charts = scratch("charts")
        let r = try forecast(["notebook"] + data + ["--out", out, "--models", "hist_rate", "--backtest-months", "1", "--charts", charts])
        #expect(r.status == 0, "\(r.stderr)")
        // --charts writes the report beside the notebook: the same figures and an index.
        let figures = try FileManager.default.contentsOfDirectory(atPath: out + "/figures").sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: charts).sorted() == (figures + ["index.html"]).sorted())
        for f in figures { #expect(FileManager.default.contents(atPath: out + "/figures/" + f) == FileManager.default.contents(atPath: charts + "/" + f)) }
        let md = try String(contentsOfFile: out + "/customer-dynamics.md", encoding: .utf8)
        let html = try String(contentsOfFile: out + "/customer-dynamics.html", encoding: .utf8)
        #expect(md.contains("## 1. Who buys") && md.contains("## 5. Seasonality"))
        #expect(md.contains("forecast notebook --data"))
        #expect(md.contains("forecast report --data") && md.contains(" --out " + charts + "\n") && !md.contains(out + " --out"))
        #expect(!html.contains("<script") && !html.contains("src="))
        for line in md.split(separator: "\n") where line.hasPrefix("![") {
            let file = line[line.range(of: "](")!.upperBound..<line.lastIndex(of: ")")!]
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
    }
}
