import Analytics
import ArgumentParser
import ForecastKit
import Foundation
import Warehouse

/// `--format` of the warehouse and attribution commands.
enum TextOrJSON: String, ExpressibleByArgument { case text, json }

/// Prints a step's progress on stderr unless quiet.
func progressLine(quiet: Bool) -> (@Sendable (String) -> Void)? {
    guard !quiet else { return nil }
    let start = Date()
    return { message in printError(String(format: "[%6.1fs] ", Date().timeIntervalSince(start)) + message) }
}

/// Prints data-check results; exit code 2 when one failed.
func printChecks(_ results: [CheckResult], format: TextOrJSON) throws {
    switch format {
    case .json: print(try TextQuoting.jsonText(results, pretty: true), terminator: "")
    case .text: print(WarehouseText.checks(results))
    }
    if !results.allSatisfy(\.passed) { throw ExitCode(2) }
}
