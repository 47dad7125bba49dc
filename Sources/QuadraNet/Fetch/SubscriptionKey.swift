import Foundation
import QuadraKit

/// pagoPA's `Ocp-Apim-Subscription-Key`, read from a file only its owner can read or from an
/// environment variable. It prints as `<redacted>` so that no log line or error can carry it.
public struct SubscriptionKey: Sendable, CustomStringConvertible {
    let value: String

    public var description: String { "<redacted>" }

    public init(value: String) {
        self.value = value
    }

    /// The key file if configured (refused when group or others may read it), else the environment variable.
    public static func load(_ configuration: PagoPAConfiguration,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SubscriptionKey {
        if let file = configuration.keyFile {
            var status = stat()
            guard stat(file, &status) == 0 else { throw FetchError.configuration("the key file \(file) cannot be read") }
            guard status.st_mode & 0o077 == 0 else {
                throw FetchError.configuration("the key file \(file) is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))): chmod 600 it")
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw FetchError.configuration("the key file \(file) cannot be read") }
            let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw FetchError.configuration("the key file \(file) is empty") }
            return SubscriptionKey(value: key)
        }
        guard let key = environment[configuration.keyEnvironmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
            throw FetchError.configuration("no subscription key: set pagopa.key_file or the environment variable \(configuration.keyEnvironmentVariable)")
        }
        return SubscriptionKey(value: key)
    }
}
