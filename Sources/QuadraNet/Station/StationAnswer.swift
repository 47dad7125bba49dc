import QuadraKit

/// The SOAP answer to a `paSendRTV2` / `paSendRT` request, as `paForNode.wsdl` defines it:
/// `paSendRTV2Response` or `paSendRTRes` with `outcome` and, for KO, the `faultBean`
/// (`faultCode`, `faultString`, `id`, `description`).
public struct StationAnswer: Sendable, Equatable {
    /// pagoPA's creditor-side fault codes the station answers with.
    public enum FaultCode: String, Sendable, CaseIterable {
        /// The request is not a well-formed paSendRT/paSendRTV2 request.
        case syntax = "PAA_SINTASSI_XSD"
        /// The receipt breaks a rule (amounts, transfers, outcome) or conflicts with one already received.
        case semantics = "PAA_SEMANTICA"
        /// No creditor of the receipt is served by this station.
        case wrongDomain = "PAA_ID_DOMINIO_ERRATO"
        /// The receipt was already received: pagoPA takes this as delivered.
        case duplicate = "PAA_RECEIPT_DUPLICATA"
        /// The station could not store the receipt; pagoPA retries.
        case system = "PAA_SYSTEM_ERROR"

        /// `faultString` as pagoPA's stations word it.
        var faultString: String {
            switch self {
            case .syntax: return "Errore di sintassi XSD."
            case .semantics: return "Errore semantico."
            case .wrongDomain: return "Il dominio indicato non è gestito dalla stazione."
            case .duplicate: return "La ricevuta è già stata ricevuta."
            case .system: return "Errore generico."
            }
        }
    }

    public var version: Receipt.Version
    /// Nil for OK.
    public var fault: FaultCode?
    public var description: String?
    /// `faultBean.id`: the creditor the request was for, when known, else the station's name.
    public var id: String

    /// The label metrics and logs use: `OK` or the fault code.
    public var outcome: String { fault?.rawValue ?? "OK" }

    public var xml: String {
        let element = version == .v2 ? "paSendRTV2Response" : "paSendRTRes"
        var body = "<outcome>\(fault == nil ? "OK" : "KO")</outcome>"
        if let fault {
            body += "<fault><faultCode>\(fault.rawValue)</faultCode><faultString>\(Markup.escape(fault.faultString))</faultString>"
                + "<id>\(Markup.escape(id))</id>" + (description.map { "<description>\(Markup.escape($0))</description>" } ?? "") + "</fault>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" \
            xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body>\
            <pafn:\(element)>\(body)</pafn:\(element)></soapenv:Body></soapenv:Envelope>
            """
    }
}
