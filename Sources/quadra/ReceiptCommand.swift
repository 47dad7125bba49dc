import ArgumentParser
import Foundation
import Logging
import QuadraKit

/// `quadra receipt`: the attestation of one payment as a one-page PDF (and an HTML page), for the
/// citizen who asks for proof of payment.
struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Write the attestation of a payment (IUV, notice number or receipt id) as a one-page A4 PDF, and optionally HTML."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "An IUV, notice number or receipt id.")
    var term: String

    @Option(help: "The creditor's fiscal code, when the IUV or notice number is another creditor's too.")
    var creditor: String?

    @Option(help: "The PDF to write.")
    var pdf: String

    @Option(help: "The same attestation as a self-contained HTML page.")
    var html: String?

    @Flag(help: "Show the debtor's name and fiscal code whole.")
    var unmask = false

    func run() throws {
        let store = try global.readableStore()
        defer { store.closeReading() }
        let logger = Logger(label: "quadra")
        let found: [PaymentAttestation]
        do {
            found = try store.attestations(term, creditor: creditor)
        } catch {
            logger.error("cannot read the store \(global.db): \(error)")
            throw ExitStatus.ioError.exitCode
        }
        guard let attestation = found.first else {
            logger.error("no receipt in the store matches \(term)\(creditor.map { " for creditor \($0)" } ?? "")")
            throw ExitStatus.dataError.exitCode
        }
        guard found.count == 1 else {
            logger.error("\(found.count) receipts match \(term): name one by its receipt id (\(found.map(\.receiptId).joined(separator: ", ")))")
            throw ExitStatus.usage.exitCode
        }
        do {
            try Self.write(attestation.pdf(unmask: unmask), to: pdf)
            if let html { try Self.write(Array(attestation.html(unmask: unmask).utf8), to: html) }
        } catch {
            logger.error("cannot write the attestation: \(error)")
            throw ExitStatus.ioError.exitCode
        }
    }

    /// Owner-only, like the reports: the attestation names a citizen's payment.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try Data(bytes).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
