import Backtest
import ForecastKit

/// Text renderings of backtest rows (table and CSV). An `error` column appears only when some
/// row failed, so reports of runs where every model fitted keep their columns.
enum BacktestReport {
    static let header = ["model", "cutoff", "customers", "deviance", "rmse", "mae", "bias", "top10_capture", "coverage_80", "nominal_80", "log_score", "fit_seconds", "predict_seconds"]

    static func fields(_ r: BacktestRow, timings: Bool, errors: Bool, empty: String) -> [String] {
        func number(_ format: String, _ v: Double) -> String { r.isScored ? String(format: format, v) : empty }
        var scores = [r.model, r.cutoff, String(r.customers), number("%.4f", r.deviance), number("%.4f", r.rmse),
                      number("%.4f", r.mae), number("%+.4f", r.bias), number("%.4f", r.top10Capture),
                      number("%.4f", r.coverage80), number("%.4f", r.nominal80), number("%.4f", r.logScore)]
        if timings { scores += [String(format: "%.3f", r.fitSeconds.isFinite ? r.fitSeconds : 0), number("%.3f", r.predictSeconds)] }
        if errors { scores.append(r.error ?? "") }
        return scores
    }

    static func columns(timings: Bool, errors: Bool) -> [String] {
        (timings ? header : Array(header.dropLast(2))) + (errors ? ["error"] : [])
    }

    static func csv(_ rows: [BacktestRow], timings: Bool) -> String {
        let errors = rows.contains { $0.error != nil }
        return ([columns(timings: timings, errors: errors).joined(separator: ",")]
            + rows.map { fields($0, timings: timings, errors: errors, empty: "").map(TextQuoting.csv).joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    static func table(_ rows: [BacktestRow], timings: Bool) -> String {
        let errors = rows.contains { $0.error != nil }
        let names = columns(timings: timings, errors: errors)
        var s = "| " + names.joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: names.count) + "\n"
        for r in rows {
            let cells = fields(r, timings: timings, errors: errors, empty: "–").map { $0.replacingOccurrences(of: "|", with: "\\|") }
            s += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return s
    }
}
