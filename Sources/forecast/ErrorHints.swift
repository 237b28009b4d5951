import Analytics
import Attribution
import ForecastKit
import ForecastServer
import Reports
import SyntheticShop
import Warehouse

/// What to type instead, for the library errors a flag or a command can fix: the libraries say
/// what is wrong in their own terms (a table, a date, a name) and never name a flag; this table
/// says it in the command line's. Printed after `forecast: <error>`; nil when there is nothing
/// to add.
func commandLineHint(for error: any Error) -> String? {
    switch error {
    case WarehouseError.noDatabase(let path):
        return "create it with `forecast warehouse load --db \(path)`"
    case AttributionError.noDatabase(let path):
        return "create it with `forecast attribution generate --db \(path)`"
    case AttributionError.tableNotEmpty:
        return "generate into a new file (or pass --overwrite)"

    case MartError.personalData:
        return "pass --include-pii to export it"
    case MartError.notBuilt(let database, let mart):
        return "run `forecast warehouse marts\(mart.containsPersonalData ? " --include-pii" : "") --db \(database)` first"
    case MartError.invalidAsOf:
        return "--as-of takes a date like 2019-12-31"

    case AttributionError.journeysMissing:
        return "run `forecast attribution journeys` for that range first"
    case AttributionError.reversedRange:
        return "--to must not be before --from"
    case AttributionError.nonPositiveLookback:
        return "--lookback-days must be positive"

    case IngestionError.unmappedColumn(let field):
        return "pass --\(field)-col (a header name or a 1-based position) or --layout"
    case IngestionError.amountAndPriceMapped:
        return "map either --amount-col (line total) or --price-col (unit price), not both"
    case IngestionError.unrecognisedTimestamps:
        return "pass --time-format with one of: \(TimestampFormat.allCases.map(\.rawValue).joined(separator: ", "))"

    case ShopGeneratorError.tooFewCustomers:
        return "--customers must be at least 1"
    case ShopGeneratorError.tooFewProducts:
        return "--products must be at least 1"
    case ShopGeneratorError.periodTooShort:
        return "--end must be at least \(ShopGeneratorError.minimumDays) days after --start"

    case TopProducts.Problem.noProducts, ProductMonthly.Problem.noProducts:
        return "map one with --product-col"
    case TopProducts.Problem.noAmounts:
        return "--by revenue needs amounts or prices: map --amount-col or --price-col"
    case TopProducts.Problem.windowTooShort:
        return "--months must be at least 1"
    case TopProducts.Problem.emptyTop:
        return "--top must be at least 1"

    case ModelStoreError.alreadyExists:
        return "pass --overwrite to replace it"

    case let error as ServerStartError:
        switch error.reason {
        case .portInUse, .privilegedPort: return "choose another port with --port"
        case .addressNotLocal: return "choose an address of this machine with --host"
        }

    default:
        return nil
    }
}

/// The error and its hint on one line, for the messages argument-parser prints itself
/// (a `ValidationError` made from a library error).
func describedWithHint(_ error: any Error) -> String {
    commandLineHint(for: error).map { "\(error): \($0)" } ?? "\(error)"
}
