/// Why a fetch stopped; each message names the request (never the key) and what to do.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    case configuration(String)
    /// 401: the key is missing or wrong.
    case unauthorized(url: String)
    /// 403: the key is not subscribed to this API or this creditor.
    case forbidden(url: String)
    case notFound(url: String)
    /// Another 4xx, or a 429/5xx/network error still there after every attempt.
    case failed(url: String, reason: String)
    /// The answer is not what the API documents.
    case unexpected(url: String, reason: String)

    public var description: String {
        switch self {
        case let .configuration(reason): return "configuration: \(reason)"
        case let .unauthorized(url): return "401 Unauthorized for \(url): the subscription key is missing or wrong"
        case let .forbidden(url): return "403 Forbidden for \(url): the subscription key is not enabled for this API or creditor"
        case let .notFound(url): return "404 Not Found for \(url)"
        case let .failed(url, reason): return "\(url): \(reason)"
        case let .unexpected(url, reason): return "\(url): \(reason)"
        }
    }
}
