import Foundation
import Testing
@testable import QuadraKit

@Suite struct QuadraConfigurationTests {
    static let comune = """
        [[creditor]]
        fiscal_code = "80000000002"
        name = "Comune di Esempio"
        ibans = ["IT60X0542811101000000123456"]
        """

    @Test func theSampleConfigurationServesTheComuneAndTheProvincia() throws {
        let configuration = try TreasurySamples.configuration
        #expect(configuration.creditors.map(\.fiscalCode) == ["80000000002", "80000000010"])
        #expect(configuration.creditors[0].opiAccounts == ["0000001"])
        #expect(configuration.creditors.allSatisfy { $0.expectsPositions && $0.expectsTreasury })
        #expect(configuration.bankCSVLayouts.map(\.name) == ["home-banking", "tesoreria-export"])
        #expect(configuration.directory.creditor(forIBAN: "IT78 K030 6911 8841 0000 0046 001") == "80000000010")
        #expect(configuration.directory.creditor(forIBAN: "IT21C0200805364000040000123") == nil, "the Regione is not served")
    }

    @Test func optionalKeysHaveDefaults() throws {
        let creditor = try #require(try QuadraConfiguration.parse(Self.comune).creditors.first)
        #expect(creditor.opiAccounts.isEmpty && creditor.expectsPositions && creditor.expectsTreasury)
    }

    @Test(arguments: [
        ("fiscal_code = \"80000000002\"", "fiscal_code = \"80000000003\"", "creditor[0].fiscal_code: '80000000003' is not an 11-digit fiscal code"),
        ("IT60X0542811101000000123456", "IT61X0542811101000000123456",
         "creditor[0].ibans[0]: IT61X0542811101000000123456 has wrong check digits (60 would be right)"),
        ("IT60X0542811101000000123456", "IT60X05428111010000001234", "creditor[0].ibans[0]: IT60X05428111010000001234 is not an IBAN"),
        ("name = \"Comune di Esempio\"", "nome = \"Comune di Esempio\"", "creditor[0].name: is missing"),
        ("name = \"Comune di Esempio\"", "name = \"Comune di Esempio\"\niban = \"x\"", "creditor[0].iban: unknown key"),
        ("ibans = [\"IT60X0542811101000000123456\"]", "ibans = \"IT60X0542811101000000123456\"", "creditor[0].ibans: is a string, not an array of strings"),
        ("name = \"Comune di Esempio\"", "name = \"Comune di Esempio\"\nexpects_treasury = \"yes\"", "creditor[0].expects_treasury: is a string, not true or false"),
    ])
    func badValuesAreRefusedNamingTheKey(original: String, broken: String, message: String) throws {
        let text = Self.comune.replacingOccurrences(of: original, with: broken)
        #expect(text != Self.comune)
        let failure = #expect(throws: QuadraConfiguration.Failure.self) { try QuadraConfiguration.parse(text) }
        #expect(failure?.description.hasPrefix(message) == true, "\(failure?.description ?? "")")
    }

    @Test func unknownTopLevelKeysAndRepeatedCreditorsAreRefused() throws {
        #expect(throws: QuadraConfiguration.Failure(key: "creditors", reason: "unknown key")) {
            try QuadraConfiguration.parse("[[creditors]]\nname = \"x\"\n")
        }
        #expect(throws: QuadraConfiguration.Failure(key: "creditor[1].fiscal_code", reason: "80000000002 is already creditor[0]")) {
            try QuadraConfiguration.parse(Self.comune + "\n" + Self.comune)
        }
        #expect(throws: QuadraConfiguration.Failure.self) { try QuadraConfiguration.parse("[[creditor]\n") }
    }

    @Test(arguments: [
        ("columns = { date = \"D\", amount = \"A\", causale = \"C\", credit = \"X\", debit = \"Y\" }", "bank_csv[0].columns: give either amount"),
        ("columns = { date = \"D\", amount = \"A\", causale = \"C\", sign = \"S\" }", "bank_csv[0].credit_marks: is missing"),
        ("columns = { date = \"D\", amount = \"A\", causale = \"C\", importo = \"I\" }", "bank_csv[0].columns.importo: unknown key"),
        ("columns = { date = \"D\", amount = \"D\", causale = \"C\" }", "bank_csv[0].columns: 'D' is used for two fields"),
        ("columns = { date = 1, amount = 2, causale = 3 }", "bank_csv[0].header_contains: is missing"),
        ("columns = { date = 0, amount = 2, causale = 3 }", "bank_csv[0].columns.date: positions start at 1"),
        ("date_format = \"MM/YYYY\"\ncolumns = { date = \"D\", amount = \"A\", causale = \"C\" }", "bank_csv[0].date_format"),
        ("delimiter = \";;\"\ncolumns = { date = \"D\", amount = \"A\", causale = \"C\" }", "bank_csv[0].delimiter"),
    ])
    func badCSVLayoutsAreRefusedNamingTheKey(body: String, message: String) throws {
        let text = "[[bank_csv]]\nname = \"b\"\naccount = \"IT60X0542811101000000123456\"\n" + body + "\n"
        let failure = #expect(throws: QuadraConfiguration.Failure.self) { try QuadraConfiguration.parse(text) }
        #expect(failure?.description.hasPrefix(message) == true, "\(failure?.description ?? "")")
    }

    @Test func aMissingFileIsAnErrorOnlyWhenNamed() throws {
        let missing = try TestSupport.scratchFolder().appendingPathComponent("nowhere.toml").path
        #expect(throws: QuadraConfiguration.Failure.self) { try QuadraConfiguration.load(path: missing) }
        try #require(!FileManager.default.fileExists(atPath: QuadraConfiguration.defaultPath), "tests run where no quadra.toml is")
        #expect(try QuadraConfiguration.load(path: nil) == QuadraConfiguration())
    }

    /// The command line stops before reading anything (exit 78) and names the key; with the sample
    /// configuration, `status --json` shows the movements with their creditor and parsed reference.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.quadra.path)))
    func theCommandsLoadTheConfiguration() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        let bad = try TestSupport.write(Self.comune + "\nexpects_treasury = 1\n", to: folder, as: "bad.toml")
        let refused = try run(["ingest", "--db", db, "--config", bad.path, TreasurySamples.folder.path])
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("creditor[0].expects_treasury: is an integer, not true or false"))
        #expect(!FileManager.default.fileExists(atPath: db))

        let config = TestSupport.samples.appendingPathComponent("quadra.toml").path
        #expect(try run(["ingest", "--db", db, "--config", config, TreasurySamples.folder.path]).status == 0)
        let status = try run(["status", "--db", db, "--json"])
        let decoded = try JSONDecoder().decode(StoreStatus.self, from: Data(status.stdout.utf8))
        let single = try #require(decoded.treasury.movements.first { $0.causaleKind == "payment" })
        #expect(single.creditor == "80000000002" && single.iuv == "01261060000077770" && single.causaleAmount == "59.60")
    }

    /// The commands that only read the store took any `--config`, even one that was not there: a typo
    /// in a cron line went unnoticed. Each now refuses it as the writing commands do (exit 78, the path
    /// named), and reads the store as before when the file is there.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.quadra.path)))
    func theCommandsThatOnlyReadRefuseAConfigurationThatIsNotThere() throws {
        let folder = try TestSupport.scratchFolder()
        let db = folder.appendingPathComponent("quadra.sqlite").path
        let config = TestSupport.samples.appendingPathComponent("quadra.toml").path
        #expect(try run(["ingest", "--db", db, "--config", config, TreasurySamples.folder.path]).status == 0)
        let missing = folder.appendingPathComponent("quadra.tml").path
        for command in [["status"], ["explain", "01261060000077770"], ["note", "list"],
                        ["backup", "--to", folder.appendingPathComponent("copy.sqlite").path]] {
            let refused = try run(command + ["--db", db, "--config", missing])
            #expect(refused.status == 78, "\(command)")
            #expect(refused.stderr.contains("the configuration file \(missing) does not exist"), "\(command)")
            #expect(try run(command + ["--db", db, "--config", config]).status == 0, "\(command)")
        }
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = CrashRecoveryTests.quadra
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
