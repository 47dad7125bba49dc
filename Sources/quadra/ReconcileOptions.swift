import ArgumentParser
import QuadraKit

/// The as-of date and look-back that `reconcile` and `run` share.
struct ReconcileOptions: ParsableArguments {
    @Option(help: "The as-of date (YYYY-MM-DD); default today in Europe/Rome.")
    var asOf: String?

    @Option(help: "Days back from the as-of date whose payments are re-evaluated.")
    var lookBack = 400

    func day() throws -> CivilDate {
        try AsOfDate.parse(asOf)
    }
}
