import ArgumentParser
import ForecastKit
import Foundation

/// Renders every library error for people in one place: `forecast: <message>` on stderr and
/// exit code 1 (validation errors keep argument-parser's usage message and code 64).
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        throw reported(error)
    }
}

/// ``runReportingErrors(_:)`` for async commands.
func runReportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        throw reported(error)
    }
}

/// Prints a library error and returns the exit code to throw; argument-parser's own errors pass through.
private func reported(_ error: any Error) -> any Error {
    switch error {
    case is ExitCode, is ValidationError:
        return error
    default:
        printError("forecast: \(error)")
        return ExitCode(1)
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
