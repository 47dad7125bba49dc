import GRDB

extension Store {
    /// Stores taxonomy rows keyed by (code, version): loading a table edition again changes nothing,
    /// and a new edition sits beside the old one, so a payment is checked against the rows of its day.
    /// A row whose validity a later file changes (the same edition corrected) takes that file's id: the
    /// next reconciliation finds the codes to check again by the documents that arrived since.
    static func write(_ entries: [TaxonomyEntry], documentId: Int64, in db: Database) throws {
        let upsert = try RawStatement(db, """
            INSERT INTO taxonomy_entry (code, version, creditor_type, creditor_type_name, macro_area_name,
                service_type_name, legal_reason, service_description, valid_from, valid_to, document_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (code, version) DO UPDATE SET
                creditor_type = excluded.creditor_type, creditor_type_name = excluded.creditor_type_name,
                macro_area_name = excluded.macro_area_name, service_type_name = excluded.service_type_name,
                legal_reason = excluded.legal_reason, service_description = excluded.service_description,
                valid_from = excluded.valid_from, valid_to = excluded.valid_to,
                document_id = CASE WHEN (valid_from, valid_to) IS (excluded.valid_from, excluded.valid_to) THEN document_id
                    ELSE excluded.document_id END
            """)
        for entry in entries {
            try upsert.run {
                $0.add(entry.code)
                $0.add(entry.version)
                $0.add(entry.creditorType)
                $0.add(entry.creditorTypeName)
                $0.add(entry.macroAreaName)
                $0.add(entry.serviceTypeName)
                $0.add(entry.legalReason)
                $0.add(entry.serviceDescription)
                $0.add(entry.validFrom)
                $0.add(entry.validTo)
                $0.add(documentId)
            }
        }
    }
}
