import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP answer: status, headers (names in lower case) and body.
public struct HTTPReply: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends one POST. The remote engine talks to the API through this, so its chunking, retries
/// and partial answers are tested against a real server and its timing against a fake.
public protocol HTTPTransport: Sendable {
    func post(_ url: URL, headers: [String: String], body: Data, timeout: Double) async throws -> HTTPReply
}

/// Foundation's URLSession (libcurl on Linux).
public struct URLSessionTransport: HTTPTransport {
    let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    public func post(_ url: URL, headers: [String: String], body: Data, timeout: Double) async throws -> HTTPReply {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var replyHeaders: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { replyHeaders[name.lowercased()] = value }
        }
        return HTTPReply(status: http.statusCode, headers: replyHeaders, body: data)
    }
}
