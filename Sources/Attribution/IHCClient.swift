import Foundation

/// Where and how to call an IHC-style attribution API.
///
/// The key is read from an environment variable by the caller and kept here only to be sent
/// in the `x-api-key` header: `description` redacts it, and no message of the client contains it.
public struct IHCClientConfiguration: Sendable, CustomStringConvertible {
    /// The full endpoint URL, with any query (e.g. `.../v1/compute_ihc?conv_type_id=shop`).
    public var endpoint: URL
    public var apiKey: String
    /// Per-request limits of the API; a request never exceeds either, and never splits a journey.
    public var maxSessionsPerRequest: Int
    public var maxConversionsPerRequest: Int
    /// Retries of a request answered 429 or 5xx (or not answered), with exponential backoff
    /// from `initialBackoff` seconds, doubling, at most `maxBackoff`; a `Retry-After` header wins.
    public var maxRetries: Int
    public var initialBackoff: Double
    public var maxBackoff: Double
    /// Seconds to wait for one answer.
    public var timeout: Double

    public init(endpoint: URL, apiKey: String, maxSessionsPerRequest: Int = 3000, maxConversionsPerRequest: Int = 300,
                maxRetries: Int = 5, initialBackoff: Double = 1, maxBackoff: Double = 60, timeout: Double = 60) {
        self.endpoint = endpoint; self.apiKey = apiKey
        self.maxSessionsPerRequest = maxSessionsPerRequest; self.maxConversionsPerRequest = maxConversionsPerRequest
        self.maxRetries = maxRetries; self.initialBackoff = initialBackoff; self.maxBackoff = maxBackoff; self.timeout = timeout
    }

    public var description: String {
        "IHC API \(endpoint.absoluteString) (key redacted; \(maxSessionsPerRequest) sessions and \(maxConversionsPerRequest) conversions per request, \(maxRetries) retries)"
    }
}

/// A client for an IHC-style attribution API: chunks the journeys into requests within the
/// API's limits (a journey is never split), retries 429 and 5xx with backoff, and takes a 206
/// partial answer journey by journey. Journeys that fail are reported by conversion id.
public struct IHCClient: Sendable {
    public let configuration: IHCClientConfiguration
    let transport: any HTTPTransport
    let progress: (@Sendable (String) -> Void)?
    let sleep: @Sendable (Double) async -> Void

    public init(configuration: IHCClientConfiguration, transport: any HTTPTransport = URLSessionTransport(),
                progress: (@Sendable (String) -> Void)? = nil,
                sleep: @escaping @Sendable (Double) async -> Void = { try? await Task.sleep(nanoseconds: UInt64($0 * 1e9)) }) {
        self.configuration = configuration
        self.transport = transport
        self.progress = progress
        self.sleep = sleep
    }

    /// Groups consecutive journeys into requests of at most `maxSessions` sessions and
    /// `maxConversions` conversions. A journey longer than `maxSessions` cannot be sent whole:
    /// it is returned in `oversized`.
    public static func chunks(_ journeys: JourneySet, maxSessions: Int, maxConversions: Int) -> (chunks: [[Int]], oversized: [Int]) {
        precondition(maxSessions > 0 && maxConversions > 0, "request limits are positive")
        var chunks: [[Int]] = [], current: [Int] = [], sessions = 0, oversized: [Int] = []
        for j in 0..<journeys.count {
            let n = journeys.touchpoints(j).count
            if n > maxSessions { oversized.append(j); continue }
            if !current.isEmpty, sessions + n > maxSessions || current.count + 1 > maxConversions {
                chunks.append(current)
                current = []
                sessions = 0
            }
            current.append(j)
            sessions += n
        }
        if !current.isEmpty { chunks.append(current) }
        return (chunks, oversized)
    }

    /// Attributes every journey; throws only when the API refuses the key (401/403).
    public func attribute(_ journeys: JourneySet) async throws -> EngineResult {
        let c = configuration
        let (chunks, oversized) = Self.chunks(journeys, maxSessions: c.maxSessionsPerRequest, maxConversions: c.maxConversionsPerRequest)
        var weights = [Double](repeating: 0, count: journeys.touchpointCount)
        var failures = oversized.map {
            JourneyFailure(conversionID: journeys.conversionIDs[$0],
                           reason: "journey of \(journeys.touchpoints($0).count) sessions exceeds the \(c.maxSessionsPerRequest) sessions per request")
        }
        for (number, chunk) in chunks.enumerated() {
            let sessions = chunk.reduce(0) { $0 + journeys.touchpoints($1).count }
            let outcome = try await send(chunk, of: journeys)
            progress?("request \(number + 1)/\(chunks.count): \(chunk.count) conversions, \(sessions) sessions -> \(outcome.summary)")
            failures += outcome.apply(to: &weights, chunk: chunk, journeys: journeys)
        }
        return EngineResult(weights: weights, failures: failures)
    }

    /// What one request came to.
    enum Outcome {
        case answered(status: Int, IHCWire.Response)
        case failed(String)

        var summary: String {
            switch self {
            case .answered(let status, let response): return "\(status), \(response.value?.count ?? 0) weights, \(response.partialFailureErrors?.count ?? 0) failed journeys"
            case .failed(let reason): return reason
            }
        }

        /// Writes the chunk's accepted weights; returns its failed journeys.
        func apply(to weights: inout [Double], chunk: [Int], journeys: JourneySet) -> [JourneyFailure] {
            let response: IHCWire.Response
            switch self {
            case .failed(let reason): return chunk.map { JourneyFailure(conversionID: journeys.conversionIDs[$0], reason: reason) }
            case .answered(_, let answer): response = answer
            }
            var failed: [String: String] = [:]
            for f in response.partialFailureErrors ?? [] {
                if let id = f.conversion_id { failed[id] = f.message ?? "failed (no message)" }
            }
            var answered: [String: [String: Double]] = [:]
            for a in response.value ?? [] { answered[a.conversion_id, default: [:]][a.session_id] = a.ihc }
            var result: [JourneyFailure] = []
            for j in chunk {
                let id = journeys.conversionIDs[j]
                if let message = failed[id] {
                    result.append(JourneyFailure(conversionID: id, reason: "the API failed this journey: \(message)"))
                    continue
                }
                guard let shares = answered[id] else {
                    result.append(JourneyFailure(conversionID: id, reason: "the answer has no weights for this conversion"))
                    continue
                }
                let range = journeys.touchpoints(j)
                let values = range.map { shares[journeys.sessionIDs[$0]] }
                if let k = values.firstIndex(where: { $0 == nil }) {
                    result.append(JourneyFailure(conversionID: id, reason: "the answer has no weight for session \(journeys.sessionIDs[range.lowerBound + k])"))
                    continue
                }
                let w = values.map { $0! }
                let sum = w.reduce(0, +)
                guard w.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(sum - 1) <= 1e-9 else {
                    result.append(JourneyFailure(conversionID: id, reason: "the answer's weights sum to \(sum), not 1"))
                    continue
                }
                for (offset, k) in range.enumerated() { weights[k] = w[offset] }
            }
            return result
        }
    }

    /// Sends one chunk, retrying 429, 5xx and transport errors.
    func send(_ chunk: [Int], of journeys: JourneySet) async throws -> Outcome {
        let c = configuration
        let body = try JSONEncoder().encode(IHCWire.Request(customer_journeys: chunk.flatMap { IHCWire.sessions(of: $0, in: journeys) }))
        let headers = ["Content-Type": "application/json", "Accept": "application/json", "x-api-key": c.apiKey]
        var attempt = 0
        while true {
            let reason: String
            var retryAfter: Double? = nil
            do {
                let reply = try await transport.post(c.endpoint, headers: headers, body: body, timeout: c.timeout)
                switch reply.status {
                case 200, 206:
                    guard let response = try? JSONDecoder().decode(IHCWire.Response.self, from: reply.body) else {
                        return .failed("HTTP \(reply.status) with an answer that is not the API's JSON")
                    }
                    return .answered(status: reply.status, response)
                case 401, 403:
                    throw AttributionError.remote("the attribution API refused the key (HTTP \(reply.status)); nothing was written")
                case 429, 500...599:
                    reason = "HTTP \(reply.status)"
                    retryAfter = reply.headers["retry-after"].flatMap(Double.init)
                default:
                    return .failed("HTTP \(reply.status): \(Self.message(reply.body))")
                }
            } catch let error as AttributionError {
                throw error
            } catch {
                reason = "no answer (\(error.localizedDescription))"
            }
            guard attempt < c.maxRetries else { return .failed("\(reason) after \(attempt + 1) attempts") }
            let delay = min(c.maxBackoff, retryAfter ?? c.initialBackoff * pow(2, Double(attempt)))
            progress?("\(reason); retrying in \(String(format: "%.2f", delay)) s (retry \(attempt + 1) of \(c.maxRetries))")
            await sleep(delay)
            attempt += 1
        }
    }

    /// The first 200 characters of an error body.
    static func message(_ body: Data) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty answer)" : text
    }
}

/// The remote engine: the journeys are attributed by an IHC-style API through ``IHCClient``.
public struct RemoteIHCEngine: AttributionEngine {
    public let client: IHCClient
    public let name = "ihc-api"

    public init(client: IHCClient) {
        self.client = client
    }

    public func attribute(_ journeys: JourneySet) async throws -> EngineResult {
        try await client.attribute(journeys)
    }
}
