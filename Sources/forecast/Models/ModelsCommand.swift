import ArgumentParser

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List and inspect the saved models.",
        subcommands: [List.self, Show.self]
    )
}
