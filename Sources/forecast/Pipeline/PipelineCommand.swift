import ArgumentParser

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "The daily job: ingest, load, check, marts, exports.",
        subcommands: [PipelineRunCommand.self]
    )
}
