extension Reconciler {
    /// A reconciler with what `quadra.toml` says about reconciling: the served creditors, when a
    /// creditor's silence is a discrepancy, and how long a provvisorio may wait for its reversale.
    public init(store: Store, configuration: QuadraConfiguration) {
        self.init(store: store, creditors: configuration.creditors)
        silentDays = configuration.silentDays
        provvisorioRules.regulariseWorkingDays = configuration.accounting.regulariseWorkingDays
    }
}
