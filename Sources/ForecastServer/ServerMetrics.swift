import Foundation
import Synchronization

/// Request counts and latencies per route, method and status, and the customers forecast per
/// model, served at `GET /metrics` in the Prometheus text format.
final class ServerMetrics: Sendable {
    /// Latency histogram bucket bounds, in seconds.
    static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    struct Key: Hashable, Comparable {
        var route: String
        var method: String
        var status: Int
        static func < (a: Key, b: Key) -> Bool { (a.route, a.method, a.status) < (b.route, b.method, b.status) }
    }

    struct Series {
        var count = 0
        var seconds = 0.0
        /// Per bucket, the requests at or under its bound (not cumulative; summed on output).
        var perBucket = [Int](repeating: 0, count: ServerMetrics.buckets.count)
    }

    private struct State {
        var requests: [Key: Series] = [:]
        var forecasts: [String: Int] = [:]
    }

    private let state = Mutex(State())
    let started = Date()

    func record(route: String, method: String, status: Int, seconds: Double) {
        let bucket = Self.buckets.firstIndex { seconds <= $0 }
        state.withLock { s in
            var series = s.requests[Key(route: route, method: method, status: status)] ?? Series()
            series.count += 1
            series.seconds += seconds
            if let bucket { series.perBucket[bucket] += 1 }
            s.requests[Key(route: route, method: method, status: status)] = series
        }
    }

    /// Counts `customers` forecasts made with `model` (`name@version`).
    func recordForecasts(model: String, customers: Int) {
        state.withLock { $0.forecasts[model, default: 0] += customers }
    }

    /// Total requests so far (all routes).
    var requestCount: Int { state.withLock { $0.requests.values.reduce(0) { $0 + $1.count } } }

    /// The Prometheus text exposition; `models` adds the registry's gauges.
    func prometheusText(reloads: Int, refusals: Int, modelsServed: Int) -> String {
        let s = state.withLock { $0 }
        var out = "# HELP forecast_http_requests_total HTTP requests answered, by route, method and status.\n"
        out += "# TYPE forecast_http_requests_total counter\n"
        for key in s.requests.keys.sorted() {
            out += "forecast_http_requests_total{\(labels(key))} \(s.requests[key]!.count)\n"
        }
        out += "# HELP forecast_http_request_duration_seconds Time from the request's arrival to its answer.\n"
        out += "# TYPE forecast_http_request_duration_seconds histogram\n"
        for key in s.requests.keys.sorted() {
            let series = s.requests[key]!
            var cumulative = 0
            for (b, bound) in Self.buckets.enumerated() {
                cumulative += series.perBucket[b]
                out += "forecast_http_request_duration_seconds_bucket{\(labels(key)),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "forecast_http_request_duration_seconds_bucket{\(labels(key)),le=\"+Inf\"} \(series.count)\n"
            out += "forecast_http_request_duration_seconds_sum{\(labels(key))} \(series.seconds)\n"
            out += "forecast_http_request_duration_seconds_count{\(labels(key))} \(series.count)\n"
        }
        out += "# HELP forecast_customers_forecast_total Customers forecast, by model version.\n"
        out += "# TYPE forecast_customers_forecast_total counter\n"
        for model in s.forecasts.keys.sorted() { out += "forecast_customers_forecast_total{model=\"\(model)\"} \(s.forecasts[model]!)\n" }
        out += "# HELP forecast_model_reloads_total New versions picked up while running.\n# TYPE forecast_model_reloads_total counter\n"
        out += "forecast_model_reloads_total \(reloads)\n"
        out += "# HELP forecast_model_refusals_total New versions refused (damaged or incompatible).\n# TYPE forecast_model_refusals_total counter\n"
        out += "forecast_model_refusals_total \(refusals)\n"
        out += "# HELP forecast_models_served Models being served.\n# TYPE forecast_models_served gauge\n"
        out += "forecast_models_served \(modelsServed)\n"
        out += "# HELP forecast_uptime_seconds Seconds since the server started.\n# TYPE forecast_uptime_seconds gauge\n"
        out += "forecast_uptime_seconds \(String(format: "%.3f", Date().timeIntervalSince(started)))\n"
        return out
    }

    private func labels(_ key: Key) -> String {
        "route=\"\(key.route)\",method=\"\(key.method)\",status=\"\(key.status)\""
    }
}
