import Metrics
import Synchronization
// Only these two: Prometheus also has a `Counter` and a `Gauge`, and the ones used here are
// swift-metrics'.
import class Prometheus.PrometheusCollectorRegistry
import struct Prometheus.PrometheusMetricsFactory

/// The server's metrics, recorded through swift-metrics and served at `GET /metrics` in the
/// Prometheus text format by swift-prometheus.
///
/// Each server owns its registry and makes its metrics with a factory over it, instead of
/// bootstrapping the process-wide `MetricsSystem`: that can be done once per process, and
/// tests run several servers in one process, each of which must count only its own requests.
///
/// | metric | type | labels |
/// | --- | --- | --- |
/// | `forecast_http_requests_total` | counter | `route`, `method`, `status` |
/// | `forecast_http_request_duration_seconds` | histogram | `route`, `method`, `status` |
/// | `forecast_customers_forecast_total` | counter | `model` (`name@version`) |
/// | `forecast_model_reloads_total` | counter | |
/// | `forecast_model_refusals_total` | counter | |
/// | `forecast_models_served` | gauge | |
/// | `forecast_uptime_seconds` | gauge | |
final class ServerMetrics: Sendable {
    /// Latency histogram bucket bounds: 0.5 ms to 5 s (a one-customer answer takes about a
    /// millisecond, a 10,000-customer batch a few hundred).
    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct RequestSeries {
        var count: Counter
        var latency: Timer
    }

    /// The registry the metrics live in; ``prometheusText()`` writes it out.
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// The series made so far, so a request does not build its metric objects anew.
    private let requestSeries = Mutex<[RequestKey: RequestSeries]>([:])
    private let forecastSeries = Mutex<[String: Counter]>([:])
    private let reloads: Counter
    private let refusals: Counter
    private let modelsServed: Gauge
    private let uptime: Gauge
    /// Kept beside the counters because swift-metrics counters cannot be read back, and
    /// `/health` and the `stopped` log line report the total.
    private let requestTotal = Atomic<Int>(0)
    let started = ContinuousClock.now

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["forecast_http_request_duration_seconds"] = Self.latencyBuckets
        self.factory = factory
        reloads = Counter(label: "forecast_model_reloads_total", factory: factory)
        refusals = Counter(label: "forecast_model_refusals_total", factory: factory)
        modelsServed = Gauge(label: "forecast_models_served", factory: factory)
        uptime = Gauge(label: "forecast_uptime_seconds", factory: factory)
    }

    /// Counts one answered request and its latency.
    func record(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let series = requestSeries.withLock { all in
            if let series = all[key] { return series }
            let labels = [("route", route), ("method", method), ("status", String(status))]
            let series = RequestSeries(count: Counter(label: "forecast_http_requests_total", dimensions: labels, factory: factory),
                                       latency: Timer(label: "forecast_http_request_duration_seconds", dimensions: labels, factory: factory))
            all[key] = series
            return series
        }
        series.count.increment()
        series.latency.record(duration: duration)
        requestTotal.add(1, ordering: .relaxed)
    }

    /// Counts `customers` forecasts made with `model` (`name@version`).
    func recordForecasts(model: String, customers: Int) {
        let counter = forecastSeries.withLock { all in
            if let counter = all[model] { return counter }
            let counter = Counter(label: "forecast_customers_forecast_total", dimensions: [("model", model)], factory: factory)
            all[model] = counter
            return counter
        }
        counter.increment(by: customers)
    }

    /// A new version of a served model was swapped in.
    func modelReloaded() { reloads.increment() }

    /// A new version was refused (damaged or incompatible).
    func modelRefused() { refusals.increment() }

    /// Total requests so far (all routes).
    var requestCount: Int { requestTotal.load(ordering: .relaxed) }

    /// Seconds since the server started, to the millisecond.
    var uptimeSeconds: Double {
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return Double(milliseconds) / 1000
    }

    /// The Prometheus text exposition, with the gauges set to their values now.
    func prometheusText(modelsServed served: Int) -> String {
        modelsServed.record(served)
        uptime.record(uptimeSeconds)
        return registry.emitToString()
    }
}
