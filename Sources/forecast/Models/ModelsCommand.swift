import ArgumentParser
import ForecastKit
import Foundation

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List and inspect the saved models.",
        subcommands: [List.self, Show.self]
    )
}
