import ArgumentParser
import ForecastKit
import PostgresWarehouse

struct WarehouseRolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "Create the PostgreSQL group roles that keep personal data from the sales team (idempotent).",
        discussion: """
            Creates, when missing, the group roles (none can log in):
              pipeline_writer    owns and writes the warehouse's tables
              sales_analyst      reads the facts, dim_product, dim_date, the sales roll-ups and the daily
                                 customer summary, and the columns of dim_customer and the staging tables
                                 that hold no name, email, phone, street or zip
              marketing_analyst  reads every table, the marketing audience and the segments included
            and sets the grants, default privileges for tables pipeline_writer creates later (readable
            by marketing_analyst only), and takes every right on the database, the schema and the tables
            from PUBLIC. Run it as a superuser; running it again repairs the grants.

            An administrator then makes logins members, for example:
              CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE sales_analyst;
              GRANT marketing_analyst TO bob;
              GRANT pipeline_writer TO etl;      -- the login of `forecast pipeline run`
            Example:
              PGPASSWORD=... forecast warehouse roles --db postgresql://postgres@db.internal/shop
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "Output: text or json.")
    var format: TextOrJSON = .text

    func validate() throws {
        guard database.isPostgres else {
            throw ValidationError("roles are PostgreSQL's: give --db postgresql://USER@HOST/DATABASE (a SQLite file has no logins; share it by file permissions)")
        }
    }

    func run() async throws {
        let location = try database.postgresLocation()
        let outcome = try await PostgresSession.with(location) { session in try await PostgresRoles.create(session) }
        switch format {
        case .json: print(try TextQuoting.jsonText(outcome, pretty: true), terminator: "")
        case .text:
            print("roles in \(location): " + (outcome.rolesCreated.isEmpty ? "all three existed" : "created " + outcome.rolesCreated.joined(separator: ", ")))
            print("  \(PostgresRoles.writer): owns \(outcome.tablesOwned) tables")
            print("  \(PostgresRoles.sales): reads \(outcome.salesTables.joined(separator: ", "))"
                  + " (and the daily summary and sales roll-ups, granted again by every mart build)")
            for (table, columns) in outcome.salesColumns.sorted(by: { $0.key < $1.key }) {
                print("    and of \(table) only \(columns.joined(separator: ", "))")
            }
            print("  \(PostgresRoles.marketing): reads all \(outcome.marketingTables) tables, and those created later")
            print("make a login a member: CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE \(PostgresRoles.sales);")
        }
    }
}
