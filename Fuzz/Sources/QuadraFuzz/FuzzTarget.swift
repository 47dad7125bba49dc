import CFuzzDriver
import Foundation
@testable import QuadraKit

/// One reader under libFuzzer: every input must come back as a document, a rejection or an input
/// error, never a crash, a trap, a leak or an out-of-bounds access (AddressSanitizer).
enum FuzzTarget: String, CaseIterable {
    case receipt, fdrXML = "fdr-xml", fdr3, gpd, taxonomy, opi, camt053, bankCSV = "bank-csv", causale, gzip, zip

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["QUADRA_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("QUADRA_FUZZ_TARGET must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'")
        }
        return target
    }()

    /// For `bank-csv`, the sample day's CSV layouts, so statements reach their reader. Only there:
    /// TOMLKit leaks about 9 KB per configuration read (its C++ bridge's `tableGetKeys`, `nodeAsString`),
    /// which LeakSanitizer would report at the end of every target's run.
    static let context: DocumentParser.Context = {
        let path = ProcessInfo.processInfo.environment["QUADRA_FUZZ_CONFIG"] ?? "Samples/quadra.toml"
        let configuration = selected == .bankCSV ? (try? QuadraConfiguration.load(path: path)) ?? QuadraConfiguration() : QuadraConfiguration()
        return DocumentParser.Context(defaultCreditor: "80000000002", creditors: configuration.directory,
                                      bankCSVLayouts: configuration.bankCSVLayouts)
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .receipt, .fdrXML, .fdr3, .gpd, .taxonomy, .opi, .camt053, .bankCSV:
            // Every document reader is reached as ingestion reaches it: through the kind sniffer, with
            // the JSON pre-scan and the XML parser in front. The seed corpus steers each target.
            _ = DocumentParser.parse(bytes, context: Self.context)
        case .causale:
            _ = CausaleParser.parse(String(decoding: bytes, as: UTF8.self))
        case .gzip:
            guard let inflater = try? GzipInflater() else { return }
            var total = 0
            _ = try? bytes.withUnsafeBytes { try inflater.inflate($0) { total += $0.count } }
            _ = try? inflater.finish()
        case .zip:
            let path = NSTemporaryDirectory() + "quadra-fuzz-\(getpid()).zip"
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
            defer { try? FileManager.default.removeItem(atPath: path) }
            guard let entries = try? ZipDirectory.entries(of: path) else { return }
            for entry in entries.prefix(16) {
                _ = try? ZipEntryReader(archive: path, entry: entry).forEachChunk { _ in }
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}

/// The program's entry: SwiftPM links an executable through `QuadraFuzz_main`, so libFuzzer's own
/// `main` is not used and its driver is started here with the command line.
@_cdecl("QuadraFuzz_main")
public func quadraFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
