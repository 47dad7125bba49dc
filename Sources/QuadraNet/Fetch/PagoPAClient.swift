import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// GET requests to pagoPA's APIs with the subscription key, a bounded request rate, and retries
/// with exponential backoff and full jitter on 429, 5xx and network errors (a connection cut
/// mid-answer included), honouring `Retry-After`. 401, 403 and 404 stop at once with a clear error.
///
/// ```swift
/// let client = PagoPAClient(key: try SubscriptionKey.load(pagopa), policy: .init(pagopa))
/// let page = try await client.get(URL(string: "https://…/organizations/80000000002/fdrs?page=1")!)
/// ```
///
/// Built on Foundation's `URLSession` (FoundationNetworking on Linux), which ships with the
/// toolchain: no package to build (README: build time).
public final class PagoPAClient: Sendable {
    public struct Policy: Sendable {
        public var attempts: Int
        public var requestsPerSecond: Int
        /// The first backoff's ceiling; each retry doubles it, up to `maxDelay`.
        public var baseDelay: Duration = .milliseconds(500)
        /// Also the longest `Retry-After` honoured.
        public var maxDelay: Duration = .seconds(60)

        public init(attempts: Int = 6, requestsPerSecond: Int = 5) {
            self.attempts = attempts
            self.requestsPerSecond = requestsPerSecond
        }
    }

    private let key: SubscriptionKey
    private let policy: Policy
    private let session: URLSession
    private let pacer: RequestPacer
    private let logger: Logger

    public init(key: SubscriptionKey, policy: Policy, logger: Logger = Logger(label: "quadra.fetch")) {
        self.key = key
        self.policy = policy
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
        pacer = RequestPacer(interval: .seconds(1) / policy.requestsPerSecond)
        self.logger = logger
    }

    /// The body of a 2xx answer.
    public func get(_ url: URL) async throws -> Data {
        var request = URLRequest(url: url)
        request.setValue(key.value, forHTTPHeaderField: "Ocp-Apim-Subscription-Key")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let shown = url.absoluteString
        var attempt = 0
        while true {
            attempt += 1
            await pacer.wait()
            let retryAfter: Duration?
            let reason: String
            do {
                let (data, response) = try await session.data(for: request)
                guard let http = response as? HTTPURLResponse else { throw FetchError.unexpected(url: shown, reason: "not an HTTP answer") }
                switch http.statusCode {
                case 200..<300:
                    return data
                case 401: throw FetchError.unauthorized(url: shown)
                case 403: throw FetchError.forbidden(url: shown)
                case 404: throw FetchError.notFound(url: shown)
                case 429, 500..<600:
                    retryAfter = http.value(forHTTPHeaderField: "Retry-After").flatMap(Self.retryAfter)
                    reason = "HTTP \(http.statusCode)"
                default:
                    throw FetchError.failed(url: shown, reason: "HTTP \(http.statusCode): \(String(decoding: data.prefix(300), as: UTF8.self))")
                }
            } catch let error as FetchError {
                throw error
            } catch {
                retryAfter = nil
                reason = "\(error.localizedDescription)"
            }
            guard attempt < policy.attempts else {
                throw FetchError.failed(url: shown, reason: "\(reason), still after \(attempt) attempts")
            }
            let delay = min(retryAfter ?? backoff(attempt), policy.maxDelay)
            logger.notice("\(shown): \(reason); attempt \(attempt + 1) of \(policy.attempts) in \(delay)")
            try await Task.sleep(for: delay)
        }
    }

    /// Full jitter: a random wait up to `baseDelay · 2^(attempt-1)`, so that clients retrying together spread out.
    private func backoff(_ attempt: Int) -> Duration {
        let ceiling = min(policy.baseDelay * (1 << min(attempt - 1, 20)), policy.maxDelay)
        return ceiling * Double.random(in: 0...1)
    }

    /// `Retry-After` in seconds or as an HTTP date.
    static func retryAfter(_ value: String) -> Duration? {
        if let seconds = Int(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSinceNow * 1000)))
    }
}

/// Spaces requests at least `interval` apart: pagoPA's APIs limit each subscription's rate.
actor RequestPacer {
    private let interval: Duration
    private var next = ContinuousClock.now

    init(interval: Duration) {
        self.interval = interval
    }

    func wait() async {
        let now = ContinuousClock.now
        let slot = max(now, next)
        next = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}
