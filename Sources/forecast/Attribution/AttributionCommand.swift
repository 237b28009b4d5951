import ArgumentParser

struct AttributionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribution",
        abstract: "Multi-touch marketing attribution: journeys, engines, channel reporting with CPO and ROAS.",
        discussion: """
            Steps, each idempotent for a range of conversion dates (--from, --to):
              journeys   each conversion's earlier sessions of its user
              attribute  split each conversion among its sessions (engine)
              report     channel_reporting per channel and session date
              export     channel_reporting as CSV, with cpo and roas
              run        the four steps in order
            Examples:
              forecast attribution generate --db a.sqlite --users 10000
              forecast attribution run --db a.sqlite --engine markov \\
                --out channels.csv
              forecast attribution attribute --db a.sqlite \\
                --engine time-decay --half-life-days 3 \\
                --from 2024-03-01 --to 2024-03-31
              IHC_API_KEY=... forecast attribution attribute \\
                --db a.sqlite --engine ihc-api --api-url URL
              forecast attribution compare --db a.sqlite --out reports/attribution
            The schema, the engines and the API client: docs/attribution.md.
            """,
        subcommands: [AttributionGenerateCommand.self, AttributionJourneysCommand.self, AttributionAttributeCommand.self,
                      AttributionReportCommand.self, AttributionExportCommand.self, AttributionRunCommand.self,
                      AttributionCheckCommand.self, AttributionCompareCommand.self, AttributionBenchCommand.self]
    )
}
