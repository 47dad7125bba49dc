import Foundation

/// The `[pagopa]` section: where `quadra fetch` asks pagoPA's APIs and with which subscription key.
///
/// ```toml
/// [pagopa]
/// fdr_url = "https://api.platform.pagopa.it/fdr-org/service/v1"   # FdR-3 organization API
/// gpd_payments_url = "https://api.platform.pagopa.it/gpd/payments/v1"  # GPD payments API (receipts)
/// taxonomy_url = "https://…/taxonomy.json"                        # the published taxonomy table
/// key_file = "/etc/quadra/pagopa.key"   # readable by its owner only; or
/// key_env = "PAGOPA_SUBSCRIPTION_KEY"   # the environment variable holding it (the default)
/// requests_per_second = 5               # default 5
/// attempts = 6                          # per request, on 429/5xx/network errors; default 6
/// ```
public struct PagoPAConfiguration: Sendable, Equatable {
    public var fdrURL: String?
    public var gpdPaymentsURL: String?
    public var taxonomyURL: String?
    public var keyFile: String?
    public var keyEnvironmentVariable = "PAGOPA_SUBSCRIPTION_KEY"
    public var requestsPerSecond = 5
    public var attempts = 6

    public init() {}
}

extension QuadraConfiguration {
    static func readPagoPA(_ reader: inout TOMLTableReader) throws -> PagoPAConfiguration? {
        guard let table = try reader.table("pagopa") else { return nil }
        var section = TOMLTableReader(table, key: "pagopa")
        var pagopa = PagoPAConfiguration()
        pagopa.fdrURL = try url(&section, "fdr_url")
        pagopa.gpdPaymentsURL = try url(&section, "gpd_payments_url")
        pagopa.taxonomyURL = try url(&section, "taxonomy_url")
        pagopa.keyFile = try section.optionalString("key_file")
        if let name = try section.optionalString("key_env") {
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw Failure(key: "pagopa.key_env", reason: "'\(name)' is not an environment variable name")
            }
            pagopa.keyEnvironmentVariable = name
        }
        if let rate = try section.int("requests_per_second") {
            guard (1...100).contains(rate) else { throw Failure(key: "pagopa.requests_per_second", reason: "\(rate) is not 1 to 100") }
            pagopa.requestsPerSecond = rate
        }
        if let attempts = try section.int("attempts") {
            guard (1...20).contains(attempts) else { throw Failure(key: "pagopa.attempts", reason: "\(attempts) is not 1 to 20") }
            pagopa.attempts = attempts
        }
        try section.finish()
        return pagopa
    }

    /// An http(s) base URL, kept without its trailing slash.
    private static func url(_ reader: inout TOMLTableReader, _ name: String) throws -> String? {
        guard var text = try reader.optionalString(name) else { return nil }
        guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil,
              parsed.query == nil else {
            throw Failure(key: reader.path(name), reason: "'\(text)' is not an http(s) URL without a query")
        }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
