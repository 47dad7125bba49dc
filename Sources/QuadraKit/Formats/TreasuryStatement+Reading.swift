extension TreasuryStatement {
    /// Keeps what reading one movement gave: the movement, a pass-over when the reader returns nil
    /// (not a credit), or the refusal in `quarantined`, so one bad movement never stops the others.
    mutating func add(at element: String, quarantining quarantined: inout [DocumentRejection],
                      _ read: () throws -> TreasuryMovement?) {
        guard let read = Self.attempt(at: element, quarantining: &quarantined, read) else { return }
        if let movement = read { movements.append(movement) } else { passedOver += 1 }
    }

    /// The same for an OPI `REGOLARIZZATO`: the regularisation, a pass-over, or the refusal.
    mutating func add(at element: String, quarantining quarantined: inout [DocumentRejection],
                      _ read: () throws -> Regularisation?) {
        guard let read = Self.attempt(at: element, quarantining: &quarantined, read) else { return }
        if let regularisation = read { regularisations.append(regularisation) } else { passedOver += 1 }
    }

    /// What `read` gave, or nil once its refusal is kept in `quarantined`.
    private static func attempt<T>(at element: String, quarantining quarantined: inout [DocumentRejection],
                                   _ read: () throws -> T?) -> T?? {
        do {
            return .some(try read())
        } catch let rejection as DocumentRejection {
            quarantined.append(rejection)
        } catch {
            quarantined.append(DocumentRejection(element: element, reason: "\(error)"))
        }
        return nil
    }
}
