import Attribution
import Foundation
import Hummingbird
import Logging
import Synchronization

/// A real HTTP server on 127.0.0.1 (a free port) that answers like an IHC-style attribution
/// API, for the client's tests: it checks the `x-api-key` header, enforces the per-request
/// limits (400 when a request has too many sessions or conversions), notes any journey split
/// over two requests, plays a script of error statuses, and fails chosen conversions with a
/// 206 partial answer. The weights it returns are linear (1/n per session).
public final class MockIHCServer: Sendable {
    public struct Behaviour: Sendable {
        public var apiKey = "test-key"
        public var maxSessions = 3000
        public var maxConversions = 300
        /// Statuses answered to the first requests, in order (e.g. [429, 503]); normal answers after.
        public var script: [Int] = []
        /// The `Retry-After` header sent with a scripted 429 or 5xx.
        public var retryAfter: String? = nil
        /// Conversions the API fails (status 206 for a request that holds one).
        public var failing: Set<String> = []

        public init() {}
    }

    /// What the server saw.
    public struct Log: Sendable {
        public var requests = 0
        public var sessionsPerRequest: [Int] = []
        public var conversionsPerRequest: [Int] = []
        public var statuses: [Int] = []
        /// Limit breaches and journeys split over requests; empty when the client behaved.
        public var violations: [String] = []
        public var keysSeen: Set<String> = []
        var conversionRequest: [String: Int] = [:]
    }

    public let port: Int
    private let behaviour: Behaviour
    private let state: Mutex<(log: Log, script: [Int])>
    private let task: Mutex<Task<Void, any Error>?>

    /// The endpoint, as a client is configured with it.
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)/v1/compute_ihc?conv_type_id=test")! }
    public var log: Log { state.withLock { $0.log } }

    private init(port: Int, behaviour: Behaviour) {
        self.port = port
        self.behaviour = behaviour
        self.state = Mutex((Log(), behaviour.script))
        self.task = Mutex(nil)
    }

    /// Starts a server and returns once it listens.
    public static func start(_ behaviour: Behaviour = Behaviour()) async throws -> MockIHCServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let holder = Mutex<MockIHCServer?>(nil)
        let router = Router()
        router.post("v1/compute_ihc") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 << 20)
            let key = request.headers.first { $0.name.canonicalName == "x-api-key" }?.value ?? ""
            return holder.withLock { $0 }!.answer(key: key, body: Data(body.readableBytesView))
        }
        // Quiet: a cancelled server logs its shutdown as errors, which would read as test failures.
        var logger = Logger(label: "mock-ihc-api")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        let server = MockIHCServer(port: port, behaviour: behaviour)
        holder.withLock { $0 = server }
        server.task.withLock { $0 = task }
        return server
    }

    /// Stops the server.
    public func stop() async {
        let task = self.task.withLock { $0 }
        task?.cancel()
        _ = await task?.result
    }

    private func answer(key: String, body: Data) -> Response {
        state.withLock { state in
            state.log.requests += 1
            state.log.keysSeen.insert(key)
            let (status, response): (Int, Response) = {
                guard key == behaviour.apiKey else { return (401, json(401, ["message": "invalid api key"])) }
                guard let request = try? JSONDecoder().decode(IHCWire.Request.self, from: body) else {
                    return (400, json(400, ["message": "body is not {\"customer_journeys\": [...]}"]))
                }
                let sessions = request.customer_journeys
                var order: [String] = [], byConversion: [String: [IHCWire.Session]] = [:]
                for s in sessions {
                    if byConversion[s.conversion_id] == nil { order.append(s.conversion_id) }
                    byConversion[s.conversion_id, default: []].append(s)
                }
                state.log.sessionsPerRequest.append(sessions.count)
                state.log.conversionsPerRequest.append(order.count)
                if sessions.count > behaviour.maxSessions || order.count > behaviour.maxConversions {
                    state.log.violations.append("request \(state.log.requests): \(sessions.count) sessions, \(order.count) conversions")
                    return (400, json(400, ["message": "limit exceeded"]))
                }
                if !state.script.isEmpty {
                    let scripted = state.script.removeFirst()
                    var headers = HTTPFields()
                    if let retryAfter = behaviour.retryAfter { headers[.retryAfter] = retryAfter }
                    return (scripted, Response(status: .init(code: scripted), headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"message\":\"try later\"}"))))
                }
                for id in order {
                    if let earlier = state.log.conversionRequest[id], earlier != state.log.requests {
                        state.log.violations.append("conversion \(id) split over requests \(earlier) and \(state.log.requests)")
                    }
                    state.log.conversionRequest[id] = state.log.requests
                }
                var value: [IHCWire.Attributed] = [], failures: [IHCWire.PartialFailure] = []
                for id in order {
                    if behaviour.failing.contains(id) {
                        failures.append(.init(conversion_id: id, message: "journey could not be processed"))
                        continue
                    }
                    let journey = byConversion[id]!
                    let share = 1 / Double(journey.count)
                    for s in journey {
                        value.append(.init(conversion_id: id, session_id: s.session_id, ihc: share,
                                           initializer: share / 3, holder: share / 3, closer: share / 3))
                    }
                }
                let code = failures.isEmpty ? 200 : 206
                let payload = IHCWire.Response(statusCode: code, value: value, partialFailureErrors: failures.isEmpty ? nil : failures)
                return (code, Response(status: .init(code: code), headers: [.contentType: "application/json"],
                                       body: .init(byteBuffer: ByteBuffer(bytes: try! JSONEncoder().encode(payload)))))
            }()
            state.log.statuses.append(status)
            return response
        }
    }

    private func json(_ code: Int, _ object: [String: String]) -> Response {
        Response(status: .init(code: code), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try! JSONEncoder().encode(object))))
    }
}
