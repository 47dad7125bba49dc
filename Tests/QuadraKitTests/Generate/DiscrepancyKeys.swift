import Foundation
import GRDB
@testable import QuadraKit

/// One string per discrepancy, the same whether read from a `truth.jsonl` or from the store's
/// `discrepancy` table, so that planted and found compare both ways as sets.
enum DiscrepancyKeys {
    /// A night's records carry one code and a status each, which lead the key.
    static func planted(_ records: [TruthRecord]) -> Set<String> {
        var keys = Set<String>()
        for record in records {
            let status = record.status.map { "\($0) " } ?? ""
            for code in record.codes {
                switch record.scope {
                case .key: keys.insert("\(status)\(code) \(record.creditor) \(record.iuv!) \(record.iur!) \(record.transferIndex!)")
                case .position: keys.insert("\(status)\(code) \(record.creditor) \(record.iuv!)")
                case .flow: keys.insert("\(status)\(code) \(record.creditor) \(record.flowId!)")
                case .movement: keys.insert("\(status)\(code) \(record.creditor) \(record.amountCents!)")
                }
            }
        }
        return keys
    }

    /// The open discrepancies; with `night`, also those resolved that day, each led by its status.
    static func found(in store: Store, night: CivilDate? = nil) throws -> [String] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT status, code, creditor_fiscal_code, iuv, iur, transfer_index, flow_id, treasury_reference, actual_cents
                FROM discrepancy WHERE status IN ('new', 'open') OR resolved_on = ?
                """, arguments: [night?.description]).map { row -> String in
                let code: String = row["code"], creditor: String = row["creditor_fiscal_code"]
                let status = night == nil ? "" : "\(row["status"] as String) "
                if code == "OVERPAYMENT" || code == "POSITION_STATUS_MISMATCH" { return "\(status)\(code) \(creditor) \(row["iuv"] as String)" }
                if let iuv: String = row["iuv"] { return "\(status)\(code) \(creditor) \(iuv) \(row["iur"] as String) \(row["transfer_index"] as Int)" }
                if row["treasury_reference"] as String? != nil { return "\(status)\(code) \(creditor) \(row["actual_cents"] as Int64)" }
                return "\(status)\(code) \(creditor) \(row["flow_id"] as String)"
            }
        }
    }

    static func truth(at path: String) throws -> [TruthRecord] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(TruthRecord.self, from: Data($0.utf8))
        }
    }
}
