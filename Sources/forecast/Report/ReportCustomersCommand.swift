import ArgumentParser
import Reports

extension ReportCommand {
    struct Customers: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "customers",
                                                        abstract: "Cohort retention, days between purchases, new versus returning customers.")
        @OptionGroup var source: MappingOptions
        @OptionGroup var quality: QualityOptions
        @OptionGroup var output: Output

        func run() throws {
            try output.write(ReportCharts.customerFlow(CustomerFlow(Baskets(try readLog(source, quality)))))
        }
    }
}
