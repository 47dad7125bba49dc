extension TreasuryStatement {
    /// Keeps what reading one movement gave: the movement, a pass-over when the reader returns nil
    /// (not a credit), or the refusal in `quarantined`, so one bad movement never stops the others.
    mutating func add(at element: String, quarantining quarantined: inout [DocumentRejection],
                      _ read: () throws -> TreasuryMovement?) {
        do {
            if let movement = try read() {
                movements.append(movement)
            } else {
                passedOver += 1
            }
        } catch let rejection as DocumentRejection {
            quarantined.append(rejection)
        } catch {
            quarantined.append(DocumentRejection(element: element, reason: "\(error)"))
        }
    }
}
