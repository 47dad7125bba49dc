import ArgumentParser
import Foundation
import Logging
import QuadraKit
import QuadraNet

struct StationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station",
        abstract: "Receive receipts from pagoPA (paSendRTV2, paSendRT) over HTTP and write each durably into the inbox before answering.",
        discussion: "Served creditors come from the configuration. GET /health and GET /metrics (Prometheus). SIGTERM finishes requests in flight."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address and port to listen on (loopback by default: TLS belongs to the reverse proxy).")
    var listen = "127.0.0.1:8080"

    @Option(help: "The path pagoPA posts to.")
    var path = "/"

    @Option(help: "The inbox folder receipts are written into, under YYYY/MM/DD/.")
    var inbox: String

    @Flag(help: "Write receipts mode 0640 instead of 0600.")
    var groupReadable = false

    func validate() throws {
        guard listenAddress != nil else { throw ValidationError("--listen must be HOST:PORT, not '\(listen)'") }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with '/'") }
    }

    private var listenAddress: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
    }

    func run() async throws {
        global.bootstrap()
        let logger = Logger(label: "quadra.station")
        let configuration = try global.loadConfiguration(logger: logger)
        guard !configuration.creditors.isEmpty else {
            logger.error("configuration: no [[creditor]]: the station would refuse every receipt")
            throw ExitStatus.configuration.exitCode
        }
        let station = BroadcastStation(inbox: try ReceiptInbox(folder: inbox, groupReadable: groupReadable),
                                       served: configuration.directory, logger: logger)
        let options = StationServer.Options(host: listenAddress!.host, port: listenAddress!.port, path: path)
        let server = try await StationServer.start(station, options: options, logger: logger)
        try await server.runUntilTerminated()
    }
}
