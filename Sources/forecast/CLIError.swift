import ArgumentParser
import ForecastKit

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

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.stderr(string)
    }
}

import Foundation
enum FileHandleWriter {
    static func stderr(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
