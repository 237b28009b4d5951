// The getting-started example of ForecastKit (Sources/ForecastKit/ForecastKit.docc/GettingStarted.md):
// open the model store, load the latest version of a model, and forecast next month's purchases
// of one customer from the history a service would hold for them.
//
//     swift run forecastkit-example [STORE] [MODEL]      (default: models default)
import ForecastKit
import Foundation

let arguments = CommandLine.arguments.dropFirst()
let storePath = arguments.first ?? "models"
let modelName = arguments.dropFirst().first ?? "default"

do {
    let store = try ModelStore.open(storePath)
    let model = try store.forecastModel(modelName)  // pass version: to pin one
    print("\(model.name)@\(model.version): a \(model.kind) model trained to \(model.saved.training.asOf), "
          + "reading \(model.featureNames.count) features")

    // A customer's purchase lines, as (timestamp, quantity, amount[, product]).
    let history = CustomerHistory(customerID: "example-customer", purchases: [
        try Purchase(timestamp: "2019-06-14T10:02:00Z", quantity: 1, amount: 24.90, product: "P0001"),
        try Purchase(timestamp: "2019-09-03T18:40:00Z", quantity: 2, amount: 31.00, product: "P0002"),
        try Purchase(timestamp: "2019-11-21T08:15:00Z", quantity: 1, amount: 12.50, product: "P0001"),
    ])

    // As of the model's own cutoff, over the month after it.
    let forecast = try model.forecast(histories: [history])[0]
    guard let p = forecast.prediction else {
        print("\(forecast.customerID): no purchase before the cutoff")
        exit(0)
    }
    print("\(forecast.customerID): \(String(format: "%.3f", p.expected)) purchase days expected in the month after "
          + "\(model.saved.training.asOf); P(none) = \(String(format: "%.3f", p.probabilityOfZero)); "
          + "80% interval \(p.interval80.lowerBound)...\(p.interval80.upperBound)")
} catch {
    FileHandle.standardError.write(Data("forecastkit-example: \(error)\n".utf8))
    exit(1)
}
