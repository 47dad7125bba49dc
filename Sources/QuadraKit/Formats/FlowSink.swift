/// Receives a reporting flow as it is read: the header once, before the first row, then each row in
/// document order. The store implements it to write rows as they stream in, so a flow of any size
/// is read in constant memory; `FlowCollector` keeps them for a flow small enough to hold.
protocol FlowSink: AnyObject {
    func begin(_ header: FlowHeader) throws
    func add(_ row: FlowRow) throws
}

/// Keeps a whole flow in memory.
final class FlowCollector: FlowSink {
    private(set) var header: FlowHeader?
    private(set) var rows: [FlowRow] = []

    func begin(_ header: FlowHeader) throws { self.header = header }

    func add(_ row: FlowRow) throws { rows.append(row) }
}
