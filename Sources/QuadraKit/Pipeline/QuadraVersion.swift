/// The version the command line reports and every manifest records.
public enum QuadraVersion {
    public static let current = "0.1.0"
}
