import ArgumentParser
import ForecastKit
import Foundation

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "The daily job: ingest, load, check, marts, exports.",
        subcommands: [PipelineRunCommand.self]
    )
}
