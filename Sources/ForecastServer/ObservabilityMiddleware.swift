import Foundation
import Hummingbird
import Logging

/// Wraps every route: turns any error into a JSON answer (never a dropped connection),
/// stamps the request id on the response (`x-request-id`), records the request in the
/// metrics and logs one line per request with its id, route, status and latency.
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let began = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = Self.apiError(error, request: request)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
            }
            // An error body is strings and integers, which always encode; the fallback is a bare status.
            response = (try? ResponseJSON.response(apiError.body(requestID: context.id), status: apiError.status))
                ?? Response(status: apiError.status)
        }
        response.headers[.init("x-request-id")!] = context.id
        let elapsed = ContinuousClock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let route = context.endpointPath ?? "unmatched"
        metrics.record(route: route, method: request.method.rawValue, status: response.status.code, duration: elapsed)
        context.logger.info("request", metadata: [
            "method": "\(request.method)", "path": "\(request.uri.path)", "route": "\(route)",
            "status": "\(response.status.code)", "ms": "\(String(format: "%.3f", seconds * 1000))",
        ])
        return response
    }

    /// The JSON error for whatever a route threw.
    static func apiError(_ error: Error, request: Request) -> APIError {
        if let e = error as? APIError { return e }
        if let e = error as? any HTTPResponseError {
            switch e.status {
            case .notFound: return APIError(.notFound, "not_found", "no route for \(request.method) \(request.uri.path)")
            case .methodNotAllowed: return APIError(.methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed on \(request.uri.path)")
            case .contentTooLarge: return APIError(.contentTooLarge, "payload_too_large", "the body is too large")
            default: return APIError(e.status, "http_error", "\(e.status)")
            }
        }
        return APIError(.internalServerError, "internal", "the server failed to answer: \(error)")
    }
}
