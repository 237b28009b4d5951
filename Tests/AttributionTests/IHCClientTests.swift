import Attribution
import Foundation
import IHCTestServer
import Synchronization
import Testing
import Warehouse

/// Records the client's backoff delays instead of sleeping.
final class Sleeps: Sendable {
    let delays = Mutex<[Double]>([])
    var sleep: @Sendable (Double) async -> Void { { d in self.delays.withLock { $0.append(d) } } }
}

func client(_ server: MockIHCServer, key: String = "test-key", sessions: Int = 3000, conversions: Int = 300, retries: Int = 3,
            sleeps: Sleeps = Sleeps()) -> IHCClient {
    IHCClient(configuration: IHCClientConfiguration(endpoint: server.endpoint, apiKey: key, maxSessionsPerRequest: sessions,
                                                    maxConversionsPerRequest: conversions, maxRetries: retries, initialBackoff: 0.5,
                                                    maxBackoff: 4, timeout: 10),
              sleep: sleeps.sleep)
}

/// Journeys of 1 to 9 sessions.
func varied(_ count: Int) -> JourneySet {
    journeys((0..<count).map { j in (0...(j % 9)).map { Int32($0 % 4) } })
}

@Suite("IHC API client against a local server", .serialized)
struct IHCClientTests {
    @Test func chunksNeverSplitAJourneyNorExceedTheLimits() async throws {
        var behaviour = MockIHCServer.Behaviour()
        behaviour.maxSessions = 20
        behaviour.maxConversions = 4
        let server = try await MockIHCServer.start(behaviour)
        defer { Task { await server.stop() } }
        let set = varied(60)
        let result = try await client(server, sessions: 20, conversions: 4).attribute(set)
        let log = server.log
        #expect(log.violations.isEmpty)
        #expect(log.requests > 15)
        #expect(log.sessionsPerRequest.allSatisfy { $0 <= 20 })
        #expect(log.conversionsPerRequest.allSatisfy { $0 <= 4 })
        #expect(log.sessionsPerRequest.reduce(0, +) == set.touchpointCount)
        #expect(result.failures.isEmpty)
        #expect(try AttributeStep.validate(result, set) <= 1e-9)
        // The server's weights are linear.
        let third: [Double] = [1.0 / 3, 1.0 / 3, 1.0 / 3]
        let journey2: [Double] = Array(result.weights[set.touchpoints(2)])
        #expect(close(journey2, third))
    }

    @Test func chunkingByHand() {
        let set = journeys([[0, 1, 2], [0], [1, 1, 1, 1, 1, 1], [2, 2], [3]])
        let (chunks, oversized) = IHCClient.chunks(set, maxSessions: 4, maxConversions: 2)
        #expect(chunks == [[0, 1], [3, 4]] && oversized == [2])
        #expect(IHCClient.chunks(JourneySet(channels: []), maxSessions: 4, maxConversions: 2).chunks.isEmpty)
    }

    @Test func aJourneyLongerThanTheLimitIsReportedNotSplit() async throws {
        var behaviour = MockIHCServer.Behaviour()
        behaviour.maxSessions = 5
        let server = try await MockIHCServer.start(behaviour)
        defer { Task { await server.stop() } }
        let set = journeys([[0, 1], [0, 1, 2, 3, 0, 1, 2], [3]])
        let result = try await client(server, sessions: 5).attribute(set)
        #expect(result.failures.map(\.conversionID) == ["c1"])
        #expect(result.failures[0].reason.contains("exceeds the 5 sessions per request"))
        #expect(server.log.violations.isEmpty && server.log.sessionsPerRequest == [3])
    }

    @Test func retriesTooManyRequestsAndServerErrorsWithBackoff() async throws {
        var behaviour = MockIHCServer.Behaviour()
        behaviour.script = [429, 503, 500]
        let server = try await MockIHCServer.start(behaviour)
        defer { Task { await server.stop() } }
        let sleeps = Sleeps()
        let set = varied(10)
        let result = try await client(server, sleeps: sleeps).attribute(set)
        #expect(result.failures.isEmpty)
        #expect(server.log.statuses == [429, 503, 500, 200])
        #expect(sleeps.delays.withLock { $0 } == [0.5, 1, 2])
    }

    @Test func retryAfterWinsAndRetriesEnd() async throws {
        var behaviour = MockIHCServer.Behaviour()
        behaviour.script = [503, 503, 503, 503]
        behaviour.retryAfter = "3"
        let server = try await MockIHCServer.start(behaviour)
        defer { Task { await server.stop() } }
        let sleeps = Sleeps()
        let set = varied(3)
        let result = try await client(server, retries: 2, sleeps: sleeps).attribute(set)
        #expect(sleeps.delays.withLock { $0 } == [3, 3])
        #expect(result.failures.count == 3 && result.failures.allSatisfy { $0.reason == "HTTP 503 after 3 attempts" })
    }

    @Test func partialAnswerIsHandledPerJourney() async throws {
        var behaviour = MockIHCServer.Behaviour()
        behaviour.failing = ["c3", "c7"]
        let server = try await MockIHCServer.start(behaviour)
        defer { Task { await server.stop() } }
        let set = varied(12)
        let result = try await client(server, conversions: 5).attribute(set)
        #expect(result.failures.map(\.conversionID) == ["c3", "c7"])
        #expect(result.failures[0].reason.contains("journey could not be processed"))
        #expect(server.log.statuses == [206, 206, 200])
        #expect(try AttributeStep.validate(result, set) <= 1e-9)
    }

    @Test func aRefusedKeyStopsTheRun() async throws {
        let server = try await MockIHCServer.start()
        defer { Task { await server.stop() } }
        await #expect(throws: AttributionError.self) { try await client(server, key: "wrong").attribute(varied(3)) }
        #expect(server.log.requests == 1)
        #expect(!IHCClientConfiguration(endpoint: server.endpoint, apiKey: "s3cret").description.contains("s3cret"))
    }

    @Test func noServerMeansFailuresAfterRetries() async throws {
        let server = try await MockIHCServer.start()
        let endpoint = server.endpoint
        await server.stop()
        let sleeps = Sleeps()
        let c = IHCClient(configuration: IHCClientConfiguration(endpoint: endpoint, apiKey: "k", maxRetries: 1, initialBackoff: 0.25, timeout: 5),
                          sleep: sleeps.sleep)
        let result = try await c.attribute(varied(2))
        #expect(result.failures.count == 2 && result.failures[0].reason.hasPrefix("no answer"))
        #expect(sleeps.delays.withLock { $0 } == [0.25])
    }

    @Test func remoteEngineWritesThroughTheAttributeStep() async throws {
        let server = try await MockIHCServer.start()
        defer { Task { await server.stop() } }
        let db = try generatedDatabase(users: 400)
        _ = try JourneyStep.run(db, range: .all, lookbackDays: nil)
        let summary = try await AttributeStep.run(db, range: .all, engine: RemoteIHCEngine(client: client(server, sessions: 200, conversions: 50)))
        #expect(summary.failures.isEmpty && summary.attributed == summary.journeys && summary.engine == "ihc-api")
        #expect(server.log.violations.isEmpty)
        #expect(try DataCheck.run(AttributionChecks.all, in: db).filter { !$0.passed }.map(\.name)
                == ["every attributed session's date is reported"])
    }
}
