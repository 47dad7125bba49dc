import ArgumentParser
import Foundation
import Logging
import QuadraKit
import QuadraNet

/// What every `fetch` subcommand shares: the inbox it writes into, and a client built from `[pagopa]`.
struct FetchOptions: ParsableArguments {
    @Option(help: "The inbox folder documents are written into.")
    var inbox: String

    /// Starts logging, then reads the configuration (it must have `[pagopa]`) and makes a client with
    /// its key, or exits 78 saying what is missing.
    func start(_ global: GlobalOptions) throws -> (Logger, QuadraConfiguration, PagoPAConfiguration, PagoPAClient) {
        global.bootstrap()
        let logger = Logger(label: "quadra.fetch")
        let configuration = try global.loadConfiguration(logger: logger)
        guard let pagopa = configuration.pagopa else {
            logger.error("configuration: no [pagopa] section: fetch needs the API addresses and the subscription key")
            throw ExitStatus.configuration.exitCode
        }
        do {
            let key = try SubscriptionKey.load(pagopa)
            return (logger, configuration, pagopa, PagoPAClient(key: key, policy: .init(attempts: pagopa.attempts, requestsPerSecond: pagopa.requestsPerSecond), logger: logger))
        } catch let error as FetchError {
            logger.error("\(error.description)")
            throw ExitStatus.configuration.exitCode
        }
    }

    /// A required URL of `[pagopa]`, or exit 78 naming the key.
    func required(_ url: String?, _ key: String, logger: Logger) throws -> String {
        guard let url else {
            logger.error("configuration: pagopa.\(key) is missing")
            throw ExitStatus.configuration.exitCode
        }
        return url
    }
}

/// A fetch that stopped: 401/403/404 and exhausted retries are I/O failures (exit 74), the message on stderr.
func reportingFetchErrors<T>(_ logger: Logger, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as FetchError {
        logger.error("\(error.description)")
        // A document the API does not have (404) is reported and asked for again, as flows and receipts do.
        if case .notFound = error { throw ExitStatus.dataError.exitCode }
        throw ExitStatus.ioError.exitCode
    }
}

extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(iso: argument)
    }
}
