/// How a provvisorio's money splits into the lines of the reversale that regularises it: by taxonomy
/// code and by the ente's capitolo, accertamento and ufficio, the lines summing exactly to the
/// provvisorio's amount, whatever cannot be attributed on a `NON_ATTRIBUITO` line with the reason.
///
/// A credit pays a flow's rows (or a single payment's transfers) in their order: several credits of one
/// flow (a flow credited in parts, an `LGPE-INTEGRAZIONE` top-up) each take the rows their slice of the
/// flow's total covers, a row split between two credits when it straddles them. Negative rows
/// (revocations) reduce the first credit of the flow. What a credit brings beyond its rows is excess.
public enum ProvvisorioAttribution {
    /// The ente's accounting heads of one transfer; nil fields where its metadata does not carry them.
    public struct Heads: Sendable, Hashable, Comparable {
        public var taxonomyCode: String?
        public var capitolo: String?
        public var accertamento: String?
        public var ufficio: String?

        public init(taxonomyCode: String?, capitolo: String? = nil, accertamento: String? = nil, ufficio: String? = nil) {
            self.taxonomyCode = taxonomyCode
            self.capitolo = capitolo
            self.accertamento = accertamento
            self.ufficio = ufficio
        }

        public static func < (lhs: Heads, rhs: Heads) -> Bool {
            let order = { (heads: Heads) in [heads.taxonomyCode, heads.capitolo, heads.accertamento, heads.ufficio].map { $0 ?? "" } }
            return order(lhs).lexicographicallyPrecedes(order(rhs))
        }
    }

    /// One transfer the credit pays: its amount and heads, nil heads when neither a receipt nor a
    /// position backs it (a flow row Quadra cannot tell the purpose of).
    public struct Part: Sendable, Equatable {
        public var amountCents: Int64
        public var heads: Heads?

        public init(amountCents: Int64, heads: Heads?) {
            self.amountCents = amountCents
            self.heads = heads
        }
    }

    /// Why part of a provvisorio cannot be attributed, as the reversale line says it.
    public enum Reason: String, Sendable, CaseIterable {
        case noPayments = "nessun pagamento collegato all'accredito"
        case unknownPayment = "pagamento rendicontato senza ricevuta né posizione"
        case excess = "eccedenza oltre i pagamenti rendicontati"
    }

    public struct Line: Sendable, Equatable {
        /// nil on a `NON_ATTRIBUITO` line.
        public var heads: Heads?
        public var reason: Reason?
        public var transfers: Int
        public var amountCents: Int64
    }

    /// The lines of a credit of `creditCents` that follows `creditedBeforeCents` of earlier credits of
    /// the same flow or payment, over `parts` in their order: attributed lines by heads, then the
    /// unattributed ones by reason. They sum to `creditCents` exactly.
    public static func split(creditCents: Int64, creditedBeforeCents: Int64, parts: [Part]) -> [Line] {
        guard parts.contains(where: { $0.amountCents != 0 }) else {
            return [Line(heads: nil, reason: .noPayments, transfers: 0, amountCents: creditCents)]
        }
        let revoked = -(Money.sum(parts.lazy.map(\.amountCents).filter { $0 < 0 }) ?? 0)
        let first = creditedBeforeCents <= 0
        // The credit's slice of the positive rows laid end to end; the first credit also carries the revocations.
        let start = first ? 0 : creditedBeforeCents + revoked
        let end = max(creditedBeforeCents, 0) + creditCents + revoked
        var attributed: [Heads: (transfers: Int, cents: Int64)] = [:]
        var unknown: (transfers: Int, cents: Int64) = (0, 0)
        func add(_ heads: Heads?, _ cents: Int64) {
            if let heads {
                attributed[heads, default: (0, 0)].transfers += 1
                attributed[heads, default: (0, 0)].cents += cents
            } else {
                unknown.transfers += 1
                unknown.cents += cents
            }
        }
        var offset: Int64 = 0
        var covered: Int64 = 0
        for part in parts where part.amountCents != 0 {
            if part.amountCents < 0 {
                if first { add(part.heads, part.amountCents) }
                continue
            }
            let overlap = min(end, offset + part.amountCents) - max(start, offset)
            offset += part.amountCents
            guard overlap > 0 else { continue }
            covered += overlap
            add(part.heads, overlap)
        }
        var lines = attributed.keys.sorted().map { Line(heads: $0, reason: nil, transfers: attributed[$0]!.transfers, amountCents: attributed[$0]!.cents) }
        if unknown.transfers > 0 { lines.append(Line(heads: nil, reason: .unknownPayment, transfers: unknown.transfers, amountCents: unknown.cents)) }
        let excess = (end - start) - covered
        if excess != 0 { lines.append(Line(heads: nil, reason: .excess, transfers: 0, amountCents: excess)) }
        return lines
    }
}
