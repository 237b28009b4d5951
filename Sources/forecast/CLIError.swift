import ArgumentParser
import ForecastKit
import Foundation

/// Renders every library error for people in one place: `forecast: <message>` on stderr and
/// exit code 1 (validation errors keep argument-parser's usage message and code 64).
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as IngestionError {
        printError("forecast: \(error)")
        throw ExitCode(1)
    } catch let error as LinearAlgebraError {
        printError("forecast: \(error)")
        throw ExitCode(1)
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        printError("forecast: \(error)")
        throw ExitCode(1)
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
